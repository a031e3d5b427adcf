"""The 走访 page's due lists arrive a page at a time yet show the same children, in order."""

from __future__ import annotations

from PySide6.QtCore import Qt

from carebook.gui.pages import care_table
from carebook.gui.pages.visits_page import VisitsPage
from carebook.services.schedule import DueQuery, count_due, due_children, due_page
from tests.conftest import TODAY


def test_count_and_pages_match_the_full_list(demo_db):
    full = due_children(demo_db, today=TODAY, within_days=30)
    query = DueQuery(TODAY, within_days=30)
    assert count_due(demo_db, query) == (len(full), sum(1 for c in full if c.days_overdue))
    paged = [
        r
        for start in range(0, len(full), 7)
        for r in due_page(demo_db, query, offset=start, limit=7)
    ]
    assert [r.uid for r in paged] == [c.uid for c in full]
    assert [(r.days_overdue, r.volunteer) for r in paged] == [
        (c.days_overdue, c.volunteer) for c in full
    ]


def test_the_page_loads_more_as_asked_and_sorts_the_whole_list(qtbot, demo_workspace, monkeypatch):
    monkeypatch.setattr(care_table, "PAGE_SIZE", 5)
    page = VisitsPage(demo_workspace, today=TODAY)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("month"))
    full = due_children(demo_workspace.db, today=TODAY, within_days=30)
    assert len(full) > 10
    model = page.model
    assert model.rowCount() == 5 and model.canFetchMore()
    assert str(len(full)) in page.count.text()
    model.fetch_all()
    assert [p.uid for p in model.payloads] == [c.uid for c in full]
    assert not model.canFetchMore()
    model.sort(5, Qt.SortOrder.DescendingOrder)  # 逾期天数, most overdue first
    assert model.rowCount() == 5
    assert model.payload(0).days_overdue == max(c.days_overdue for c in full)
    model.sort(1, Qt.SortOrder.AscendingOrder)  # 姓名
    model.fetch_all()
    # By pinyin, as the register sorts names (by code point 丁 came before 白).
    from carebook.services.name_keys import pinyin_keys

    by_pinyin = sorted(full, key=lambda c: (pinyin_keys(c.name)[0], c.name))
    assert [p.name for p in model.payloads] == [c.name for c in by_pinyin]
