"""The open workspace the GUI works in: where files live, the settings, and the database."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebook.domain.schedule import DEFAULT_RULES, VisitRule, rules_from_json
from carebook.i18n import set_language
from carebook.paths import AppPaths, app_paths, database_url
from carebook.settings import Settings, load_settings, save_settings

# SQLAlchemy comes with these; a quick start shows the window's first rows before importing it.
if TYPE_CHECKING:
    from carebook.services.audit import Origin
    from carebook.storage.database import Database


@dataclass
class Workspace:
    paths: AppPaths
    settings: Settings
    db: Database

    def origin(self, source: str = "手工录入") -> Origin:
        """Who did it: the worker set in 设置, else the computer's login name, as the command
        line signs; an export, print or reveal from the window must not go unsigned either."""
        from carebook.services.audit import Origin

        return Origin(self.settings.worker_name or _login_name(), source)

    def visit_rules(self) -> tuple[VisitRule, ...]:
        if not self.settings.visit_rules:
            return DEFAULT_RULES
        return rules_from_json(self.settings.visit_rules)

    def save_settings(self) -> None:
        save_settings(self.settings, self.paths.settings_file)

    def close(self) -> None:
        self.db.close()


def load_app_settings(paths: AppPaths | None = None) -> tuple[AppPaths, Settings]:
    paths = (paths or app_paths()).ensure()
    settings = load_settings(paths.settings_file)
    set_language(settings.language, pseudo=settings.pseudo_translation)
    return paths, settings


def open_workspace(db: str | None = None) -> Workspace:
    """Open settings and the database named by --db / CAREBOOK_DB, or the default one."""
    from carebook.storage.database import open_database

    paths, settings = load_app_settings()
    database = open_database(database_url(db), backups_dir=paths.backups_dir)
    return Workspace(paths, settings, database)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name (a service, a bare container)
        return ""
