"""The village bars name every village in full: a township's dozen villages read as "庄…"."""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsTextItem

from carebook.gui.pages.statistics_charts import fill_village_bars, village_bars
from carebook.services.statistics import VillageFigures

VILLAGES = [
    "东槐庄村",
    "后段村",
    "庄峪村",
    "沟坪村",
    "河堡村",
    "西马村",
    "南松堡村",
    "坪庄村",
    "大柳坪村",
    "庄堡村",
    "柳峪村",
    "郭村",
    "韩坪村",
]


def test_a_townships_village_names_are_not_elided(qtbot):
    view, chart = village_bars()
    qtbot.addWidget(view)
    view.resize(680, 300)  # the chart's width on the page in a 1400-pixel window
    view.show()
    figures = [
        VillageFigures("南燕竹镇", name, 200 + n, {}, 150, 10, 3) for n, name in enumerate(VILLAGES)
    ]
    fill_village_bars(chart, figures)
    qtbot.waitExposed(view)

    def labels() -> set[str]:
        items = view.scene().items()
        return {i.toPlainText() for i in items if isinstance(i, QGraphicsTextItem)}

    qtbot.waitUntil(lambda: len(labels()) > len(VILLAGES))  # the axes laid out
    assert set(VILLAGES) <= labels()
