"""The navigation entries of the main window, in order; each builds its page on first use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from carebook.services.workspace import Workspace


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    build: Callable[[Workspace], QWidget]


def page_specs() -> list[PageSpec]:
    # Imported here so that starting the window loads only the page shown first.
    from carebook.gui.pages.placeholder import placeholder
    from carebook.gui.pages.settings_page import SettingsPage
    from carebook.gui.pages.visits_page import VisitsPage
    from carebook.gui.pages.volunteers_page import VolunteersPage

    return [
        PageSpec("children", "儿童台账", placeholder("儿童台账", "儿童名单、搜索和儿童档案")),
        PageSpec("volunteers", "爱心妈妈", VolunteersPage),
        PageSpec("pairings", "结对", placeholder("结对", "爱心妈妈与儿童的结对关系")),
        PageSpec("visits", "走访", VisitsPage),
        PageSpec("assistance", "帮扶", placeholder("帮扶", "帮扶记录和合计")),
        PageSpec("activities", "活动", placeholder("活动", "集体活动和参加的儿童")),
        PageSpec("statistics", "统计", placeholder("统计", "按村、类别、年龄的统计和图表")),
        PageSpec("exchange", "数据交换", placeholder("数据交换", "导入台账、与县里交换工作簿")),
        PageSpec("settings", "设置", SettingsPage),
    ]
