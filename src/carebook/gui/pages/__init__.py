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
    from carebook.gui.pages.activities_page import ActivitiesPage
    from carebook.gui.pages.assistance_page import AssistancePage
    from carebook.gui.pages.pairings_page import PairingsPage
    from carebook.gui.pages.placeholder import placeholder
    from carebook.gui.pages.settings_page import SettingsPage
    from carebook.gui.pages.statistics_page import StatisticsPage
    from carebook.gui.pages.visits_page import VisitsPage
    from carebook.gui.pages.volunteers_page import VolunteersPage

    return [
        PageSpec("children", "儿童台账", placeholder("儿童台账", "儿童名单、搜索和儿童档案")),
        PageSpec("volunteers", "爱心妈妈", VolunteersPage),
        PageSpec("pairings", "结对", PairingsPage),
        PageSpec("visits", "走访", VisitsPage),
        PageSpec("assistance", "帮扶", AssistancePage),
        PageSpec("activities", "活动", ActivitiesPage),
        PageSpec("statistics", "统计", StatisticsPage),
        PageSpec("exchange", "数据交换", placeholder("数据交换", "导入台账、与县里交换工作簿")),
        PageSpec("settings", "设置", SettingsPage),
    ]
