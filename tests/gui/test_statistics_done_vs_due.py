"""应走访 / 已走访 compares children with children: a child visited twice is visited once."""

from __future__ import annotations

from datetime import date

from carebook.domain.id_numbers import make_id
from carebook.gui.pages.statistics_page import StatisticsPage
from carebook.services.care_figures import figure_tables, overview
from carebook.services.children import register_child
from carebook.services.statistics import period_figures
from carebook.services.visits import VisitInput, log_visit
from tests.conftest import TODAY, child_facts

START, END = date(2026, 11, 1), date(2026, 11, 30)


def _township(db) -> None:
    """Three children: one visited twice this month, one once, one not at all."""
    uids = [
        register_child(
            db,
            child_facts(name=f"儿童{n}", id_number=make_id("140725", date(2015, 1, 1), n * 2)),
            today=date(2026, 10, 1),
        ).uid
        for n in (1, 2, 3)
    ]
    for uid, day in ((uids[0], 3), (uids[0], 20), (uids[1], 10)):
        log_visit(
            db,
            [uid],
            VisitInput(visited_on=date(2026, 11, day), visitor_name="王主任"),
            today=TODAY,
        )


def test_done_counts_children_visited_on_every_surface(qtbot, workspace):
    _township(workspace.db)
    for figures in (
        period_figures(workspace.db, START, END, today=TODAY),
        overview(workspace.db, START, END, today=TODAY).period,
    ):
        assert figures.visits_in_period == 3
        assert figures.visited_children == 2
        assert figures.due_in_period >= figures.visited_children
    (summary,) = [
        r
        for t, _h, r in figure_tables(overview(workspace.db, START, END, today=TODAY))
        if t == "概况"
    ]
    assert ["时段内已走访儿童", 2] in summary
    page = StatisticsPage(workspace, today=TODAY)
    qtbot.addWidget(page)
    page.period.setText("2026-11")
    page.refresh()
    qtbot.waitUntil(lambda: page.job is None, timeout=10000)
    due = page.view.period.due_in_period
    assert f"<b>{due}&nbsp;/&nbsp;2&nbsp;名</b>" in page.cards["应走访 / 已走访"].text()
