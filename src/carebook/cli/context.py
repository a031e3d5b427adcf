"""What a CLI command needs, opened on first use and closed at the end."""

from __future__ import annotations

import argparse
import getpass
from functools import cached_property
from pathlib import Path

from carebook.i18n import set_language, tr
from carebook.logs import start_log
from carebook.paths import AppPaths, app_paths, database_url
from carebook.settings import Settings, load_settings, save_settings
from carebook.storage.database import Database, open_database


class CliError(Exception):
    """A command-line problem explained in one sentence."""


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._db: Database | None = None

    @cached_property
    def paths(self) -> AppPaths:
        paths = app_paths().ensure()
        start_log(paths.log_file, debug=getattr(self.args, "debug", False))
        return paths

    @cached_property
    def settings(self) -> Settings:
        settings = load_settings(self.paths.settings_file)
        set_language(settings.language)
        return settings

    @property
    def actor(self) -> str:
        """Who the audit log names for this command: the worker set in 设置, else the login
        name, so that no export, print or import from the command line goes unsigned."""
        if self.settings.worker_name:
            return self.settings.worker_name
        try:
            return getpass.getuser()
        except (OSError, KeyError, ImportError):  # no login name (a service, a bare container)
            return ""

    def save_settings(self) -> None:
        save_settings(self.settings, self.paths.settings_file)

    @property
    def url(self) -> str:
        return database_url(getattr(self.args, "db", None))

    def db(self, *, read_only: bool = False) -> Database:
        if self._db is None:
            self._refuse_missing_folder()
            self._db = open_database(
                self.url, backups_dir=self.paths.backups_dir, read_only=read_only
            )
        return self._db

    def _refuse_missing_folder(self) -> None:
        """A --db path in a folder that does not exist is a typo far more often than a wish for a
        new, empty register there: say so instead of creating the folders and an empty file."""
        chosen = getattr(self.args, "db", None)
        if not chosen or "://" in chosen:
            return
        folder = Path(chosen).expanduser().resolve().parent
        if not folder.is_dir():
            raise CliError(
                tr("找不到文件夹 {folder}，请核对 --db 给出的数据库路径。", folder=folder)
            )

    def forget_db(self) -> None:
        """For commands that close the database themselves (restore)."""
        self._db = None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
