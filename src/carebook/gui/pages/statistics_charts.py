"""The two charts of the 统计 page, drawn with QtCharts: bars by village and a monthly line."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QPainter

from carebook.i18n import tr
from carebook.services.statistics import VillageFigures

# The visits chart's month labels, translated as words (English: Jan, Feb ...).
MONTHS = ("1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月")

MAX_BARS = 24


def _view(chart: QChart) -> QChartView:
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    return view


def village_bars() -> tuple[QChartView, QChart]:
    chart = QChart()
    return _view(chart), chart


def fill_village_bars(chart: QChart, villages: list[VillageFigures]) -> None:
    """In register vs paired for the largest villages (a chart of 300 bars reads as nothing)."""
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    shown = sorted(villages, key=lambda v: -v.in_register)[:MAX_BARS]
    shown.sort(key=lambda v: (v.township, v.village))
    total, paired = QBarSet(tr("在册")), QBarSet(tr("已结对"))
    for v in shown:
        total.append(v.in_register)
        paired.append(v.paired)
    series = QBarSeries()
    series.append(total)
    series.append(paired)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append([v.village for v in shown])
    # Upright past eight bars: slanted at -45°, QtCharts cut a township's dozen names to "庄…".
    axis_x.setLabelsAngle(-90 if len(shown) > 8 else 0)
    axis_y = QValueAxis()
    axis_y.setLabelFormat("%d")
    axis_y.setRange(0, max([v.in_register for v in shown] + [1]))
    axis_y.applyNiceNumbers()  # steps of 10 or 20, not 16, 33, 49
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    title = tr("各村在册与已结对儿童")
    if len(villages) > MAX_BARS:
        title += tr("（人数最多的 {n} 个村）", n=MAX_BARS)
    chart.setTitle(title)


def monthly_line() -> tuple[QChartView, QChart]:
    chart = QChart()
    return _view(chart), chart


def fill_monthly_line(chart: QChart, months: list[tuple[str, int]]) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    series = QLineSeries()
    series.setName(tr("每月走访次数"))
    for n, (_label, count) in enumerate(months):
        series.append(n, count)
    chart.addSeries(series)
    # Labels placed on the points: a category axis elides "11月" to "…" in a narrow chart.
    axis_x = QCategoryAxis()
    axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    # Past the last point by most of a month: the last label, centred on it, needs room for
    # its right half inside the plot or it is elided ("11月" became "1…").
    axis_x.setRange(0, max(len(months) - 1, 1) + 0.6)
    # Every other month keeps each label wide enough to be read whole.
    last = len(months) - 1
    for n, (label, _count) in enumerate(months):
        if (last - n) % 2 == 0:
            axis_x.append(tr(MONTHS[int(label[5:]) - 1]), n)
    axis_y = QValueAxis()
    axis_y.setLabelFormat("%d")
    axis_y.setRange(0, max([c for _m, c in months] + [1]) * 1.1)
    axis_y.applyNiceNumbers()
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    chart.setTitle(tr("近 12 个月走访次数"))
