"""The 帮扶 page at county scale: a page of rows at a time, figures of the whole filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from carebook.domain.id_numbers import make_id
from carebook.gui.pages import care_table
from carebook.gui.pages.assistance_page import AssistancePage
from carebook.services import assistance as a
from carebook.services.children import register_child
from tests.conftest import TODAY, child_facts


@pytest.fixture
def ledger_workspace(workspace):
    """Two children; 30 records in 2026 worth 1.10 each, the newest in November."""
    uids = [
        register_child(
            workspace.db,
            child_facts(name=name, id_number=make_id("140702", date(2015, 3, 12), seq)),
            today=TODAY,
        ).uid
        for name, seq in (("王小明", 11), ("李娟", 12))
    ]
    for n in range(30):
        item = a.AssistanceInput(
            date(2026, 1 + n % 11, 1 + n), "春蕾计划" if n % 2 else "小候鸟", f"物品{n}", None,
            Decimal("1.10"), "县妇联",
        )  # fmt: skip
        a.record_assistance(workspace.db, [uids[n % 2]], item, today=TODAY)
    return workspace


def test_a_long_ledger_shows_its_first_rows_and_the_totals_of_all(
    qtbot, ledger_workspace, monkeypatch
) -> None:
    monkeypatch.setattr(care_table, "PAGE_SIZE", 8)  # a county's year, in miniature
    page = AssistancePage(ledger_workspace, today=TODAY)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 8
    text = page.summary.text()
    assert "帮扶 30 人次" in text and "涉及儿童 2 名" in text and "合计 33.00 元" in text
    assert "最新的 8 条" in text
    dates = [page.model.payload(r).given_on for r in range(8)]
    assert dates == sorted(dates, reverse=True) and dates[0] == date(2026, 11, 22)
    totals = page.total_models["by_project"]
    assert [row[:2] for row in totals.rows] == [("小候鸟", 15), ("春蕾计划", 15)]
    assert sum(row[1] for row in page.total_models["by_month"].rows) == 30
    page.model.fetch_all()  # the worker scrolls to the end
    assert page.model.rowCount() == 30
    assert len({page.model.payload(r).uid for r in range(30)}) == 30


def test_a_header_click_sorts_the_whole_ledger_and_search_narrows_the_figures(
    qtbot, ledger_workspace, monkeypatch
) -> None:
    monkeypatch.setattr(care_table, "PAGE_SIZE", 8)
    page = AssistancePage(ledger_workspace, today=TODAY)
    qtbot.addWidget(page)
    page.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # 内容: 物品0, 物品1, 物品10, ...
    assert [page.model.rows[r][4] for r in range(3)] == ["物品0", "物品1", "物品10"]
    page.search.setText("wxm")  # 王小明's initials
    with qtbot.waitSignal(page._debounce.timeout, timeout=2000):
        pass
    assert "帮扶 15 人次" in page.summary.text() and "涉及儿童 1 名" in page.summary.text()
    shown = [page.model.payload(r) for r in range(page.model.rowCount())]
    assert {r.child_name for r in shown} == {"王小明"}
    # The header still says 内容 ascending, and so does the new list.
    assert [r.content for r in shown[:3]] == ["物品0", "物品10", "物品12"]
    page.search.setText("")
    page.period.setText("2026-11")
    page.refresh()
    assert "帮扶 2 人次" in page.summary.text() and "最新的" not in page.summary.text()
    assert page.model.rowCount() == 2


def test_counts_read_as_written_and_money_keeps_its_fen(qtbot, workspace) -> None:
    uid = register_child(workspace.db, child_facts(name="王小明"), today=TODAY).uid
    for content, qty in (("冬衣", "1"), ("大米（袋）", "2.5"), ("作业本", "1200")):
        item = a.AssistanceInput(
            date(2026, 11, 1), "其他", content, Decimal(qty), Decimal("80"), "县妇联"
        )
        a.record_assistance(workspace.db, [uid], item, today=TODAY)
    page = AssistancePage(workspace, today=TODAY)
    qtbot.addWidget(page)
    shown = {
        page.model.data(page.model.index(r, 4)): (
            page.model.data(page.model.index(r, 5)),
            page.model.data(page.model.index(r, 6)),
        )
        for r in range(page.model.rowCount())
    }
    assert shown == {
        "冬衣": ("1", "80.00"),
        "大米（袋）": ("2.5", "80.00"),
        "作业本": ("1200", "80.00"),
    }
