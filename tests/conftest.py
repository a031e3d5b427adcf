"""Shared fixtures: offscreen Qt, an isolated data dir, migrated databases, a demo county."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from carebook import i18n
from carebook.domain.records import ChildFacts
from carebook.services.demo import build_demo
from carebook.services.progress import run_to_end
from carebook.services.workspace import Workspace, load_app_settings
from carebook.storage.database import Database, open_database

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True, scope="session")
def isolated_qt_settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Window sizes and column choices the tests save go to a folder of this run, never to the
    user's own Qt settings (~/.config/carebook on Linux)."""
    from PySide6.QtCore import QSettings

    from carebook.gui.application import keep_none_alive

    # As the application does at its start: every Qt call that returns nothing costs None a
    # reference under PySide6 6.12 on Python 3.11, and the whole GUI suite makes enough of
    # them to abort the run ("none_dealloc") wherever it happens to be.
    keep_none_alive()
    folder = tmp_path_factory.mktemp("qt-settings")
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(kind, QSettings.Scope.SystemScope, str(folder / "system"))
    return folder


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, logs and backups of every test live in its own folder, never the user's."""
    home = tmp_path / "home"
    monkeypatch.setenv("CAREBOOK_HOME", str(home))
    monkeypatch.delenv("CAREBOOK_DB", raising=False)
    return home


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """Runs a test in both languages, and comes back to Chinese after."""
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("zh_CN")


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("zh_CN")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "carebook.db"


@pytest.fixture
def db(db_path: Path, isolated_home: Path) -> Iterator[Database]:
    """A freshly migrated, empty SQLite database."""
    database = open_database(f"sqlite:///{db_path}", backups_dir=isolated_home / "backups")
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-child demo county built once per run; tests get a copy of the file."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.db"
    database = open_database(f"sqlite:///{path}", backups_dir=folder / "backups")
    try:
        run_to_end(build_demo(database, children=300, seed=7, today=TODAY))
    finally:
        database.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path, isolated_home: Path) -> Iterator[Database]:
    path = tmp_path / "demo.db"
    shutil.copy2(demo_template, path)
    database = open_database(f"sqlite:///{path}", backups_dir=isolated_home / "backups")
    yield database
    database.close()


@pytest.fixture
def workspace(db: Database) -> Workspace:
    paths, settings = load_app_settings()
    settings.worker_name = "测试员"
    return Workspace(paths, settings, db)


@pytest.fixture
def demo_workspace(demo_db: Database) -> Workspace:
    paths, settings = load_app_settings()
    settings.worker_name = "测试员"
    return Workspace(paths, settings, demo_db)


def child_facts(**changes: object) -> ChildFacts:
    """A valid child to register in tests; override any field."""
    values: dict[str, object] = {
        "name": "张子涵",
        "id_number": "110105201503120025",
        "township": "宗艾镇",
        "village": "东村",
        "categories": ("农村留守儿童",),
        "care_level": "一般",
        "guardian_name": "张桂兰",
        "guardian_relation": "祖母",
        "guardian_phone": "13812345678",
        "father_name": "张建国",
        "father_status": "外出务工",
        "father_phone": "13987654321",
    }
    values.update(changes)
    return ChildFacts(**values)  # type: ignore[arg-type]
