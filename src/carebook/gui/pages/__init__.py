"""The navigation entries of the main window, in order; each builds its page on first use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from PySide6.QtWidgets import QWidget

from carebook.services.workspace import Workspace


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    build: Callable[[Workspace], QWidget]


def _lazy(module: str, name: str) -> Callable[[Workspace], QWidget]:
    # A page's module is imported when the page is first shown, so a start loads only the first.
    def build(workspace: Workspace) -> QWidget:
        return getattr(import_module(f"carebook.gui.pages.{module}"), name)(workspace)

    return build


def page_specs() -> list[PageSpec]:
    return [
        PageSpec("children", "儿童台账", _lazy("children_page", "ChildrenPage")),
        PageSpec("volunteers", "爱心妈妈", _lazy("volunteers_page", "VolunteersPage")),
        PageSpec("pairings", "结对", _lazy("pairings_page", "PairingsPage")),
        PageSpec("visits", "走访", _lazy("visits_page", "VisitsPage")),
        PageSpec("assistance", "帮扶", _lazy("assistance_page", "AssistancePage")),
        PageSpec("activities", "活动", _lazy("activities_page", "ActivitiesPage")),
        PageSpec("statistics", "统计", _lazy("statistics_page", "StatisticsPage")),
        PageSpec("exchange", "数据交换", _lazy("exchange_page", "ExchangePage")),
        PageSpec("settings", "设置", _lazy("settings_page", "SettingsPage")),
        PageSpec("audit", "操作记录", _lazy("audit_page", "AuditPage")),
    ]
