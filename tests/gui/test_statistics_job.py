"""The 统计 page counts off the GUI thread; the period asked last is the one shown."""

from __future__ import annotations

from datetime import date

from carebook.gui.pages.statistics_page import StatisticsPage
from tests.conftest import TODAY


def test_the_latest_period_wins_and_the_button_comes_back(qtbot, demo_workspace, tmp_path):
    page = StatisticsPage(demo_workspace, today=TODAY)
    qtbot.addWidget(page)
    assert not page.apply_button.isEnabled()  # counting
    page.period.setText("2026-10")
    page.refresh()
    page.period.setText("2026-11")
    page.refresh()
    qtbot.waitUntil(lambda: page.job is None, timeout=10000)
    assert page.apply_button.isEnabled()
    assert (page.view.period.start, page.view.period.end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert f"<b>{page.view.period.in_register}</b>" in page.cards["在册儿童"].text()
    page.resize(1200, 800)
    page.grab().save(str(tmp_path / "statistics.png"))
