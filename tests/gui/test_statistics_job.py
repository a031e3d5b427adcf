"""The 统计 page counts off the GUI thread; the period asked last is the one shown."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

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


def test_the_last_month_of_the_visits_chart_keeps_its_label(qtbot):
    from carebook.gui.pages.statistics_charts import fill_monthly_line, monthly_line

    view, chart = monthly_line()
    qtbot.addWidget(view)
    months = [(f"2026-{m:02d}", m * 10) for m in range(1, 12)] + [("2026-12", 5)]
    fill_monthly_line(chart, months)
    axis = chart.axes(Qt.Orientation.Horizontal)[0]
    assert axis.categoriesLabels()[-1] == "12月"
    # The label is centred on the last point: the axis runs on past it to leave it room.
    assert axis.endValue(axis.categoriesLabels()[-1]) == 11
    assert axis.max() - 11 >= 0.5
