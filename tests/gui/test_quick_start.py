"""A quick start: the first rows before the database is open, the lock held throughout."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from carebook.gui.application import finish_quick_start, first_rows_window
from carebook.services.backup import list_backups
from carebook.services.quick_start import quick_start
from carebook.services.register_search import RegisterIndex
from carebook.services.workspace import load_app_settings
from carebook.storage.database import open_database
from carebook.storage.errors import DatabaseInUseError
from carebook.storage.locking import DatabaseLock
from tests.conftest import TODAY


@pytest.fixture
def demo_file(demo_db) -> Path:
    """The demo county's file with no program holding it."""
    path = demo_db.file
    demo_db.close()
    return path


def _locked(path: Path) -> bool:
    lock = DatabaseLock(path)
    try:
        lock.acquire()
    except DatabaseInUseError:
        return True
    lock.release()
    return False


def test_first_rows_show_before_the_full_open_and_the_lock_is_held_throughout(
    qapp, qtbot, demo_file, isolated_home
):
    start = quick_start(demo_file, today=TODAY)
    assert start is not None
    assert _locked(demo_file)  # taken before any row shows
    with open_database(f"sqlite:///{demo_file}", read_only=True) as reader:
        assert start.rows == RegisterIndex(reader, today=TODAY).preview()  # the very same rows

    paths, settings = load_app_settings()
    window = first_rows_window(paths, settings, start)
    qtbot.addWidget(window)
    window.show()
    page = window.page("children")
    assert page.model.rowCount() == len(start.rows) > 0
    assert page.model.row_at(0) == start.rows[0]
    # Nothing edits or leaves the register before the database is open.
    assert window.workspace is None and page.workspace is None and not page.ready
    assert not page.toolbar.isEnabled() and not page.filters.isEnabled()
    assert not any(toggle.isEnabled() for toggle in page.filters.toggles)  # beside the search
    page.register_child()
    page.open_child(start.rows[0].uid)
    assert page.dialog is None
    assert window.show_page("settings") is page and set(window.pages) == {"children"}

    assert finish_quick_start(qapp, window, paths, settings, start)
    assert window.workspace is not None and page.workspace is window.workspace
    qtbot.waitUntil(lambda: page.ready)
    assert page.toolbar.isEnabled() and page.result is not None
    assert all(toggle.isEnabled() for toggle in page.filters.toggles)
    assert page.model.rowCount() >= len(start.rows)
    assert _locked(demo_file)  # the same lock, kept by the open database
    assert window.show_page("settings") is window.page("settings")
    # The daily backup still happens, just after the first paint.
    qtbot.waitUntil(lambda: any(b.reason == "daily" for b in list_backups(paths.backups_dir)))
    window.workspace.close()
    assert not _locked(demo_file)


def test_no_quick_start_for_a_database_that_needs_migrating_or_is_not_there(tmp_path, demo_file):
    with sqlite3.connect(demo_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.close()
    assert quick_start(demo_file) is None
    assert not _locked(demo_file)  # let go: the ordinary open migrates under its own lock
    assert quick_start(tmp_path / "missing.db") is None
    (tmp_path / "notes.db").write_text("not a database", encoding="utf-8")
    assert quick_start(tmp_path / "notes.db") is None


def test_a_database_in_use_is_refused_before_any_row_shows(demo_file):
    other = DatabaseLock(demo_file)
    other.acquire()
    try:
        with pytest.raises(DatabaseInUseError):
            quick_start(demo_file)
    finally:
        other.release()


_FIRST_PAINT = """
import os, sys
from pathlib import Path
import carebook.cli  # what `python -m carebook` imports before anything else
from carebook.gui.application import create_qt_app, first_rows_window
from carebook.services.quick_start import quick_start
from carebook.services.workspace import load_app_settings
paths, settings = load_app_settings()
app = create_qt_app(settings.language)
start = quick_start(Path(sys.argv[1]))
window = first_rows_window(paths, settings, start)
window.show()
app.processEvents()
from PySide6 import QtCore
# PySide6 builds its Qt namespace (94 enums) when first named: not on the way to the first rows.
qt_built = "Qt" in vars(QtCore)
print(window.page("children").model.rowCount(), "sqlalchemy" in sys.modules, qt_built)
os._exit(0)
"""


def test_the_first_rows_need_no_sqlalchemy_nor_the_qt_namespace(demo_file, isolated_home):
    """The point of the quick start: SQLAlchemy's import comes after the first paint, also
    through the command line's entry point; so does PySide6's Qt namespace (25-40 ms)."""
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_PAINT, str(demo_file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shown, imported, qt_built = done.stdout.split()
    assert int(shown) > 0 and imported == "False" and qt_built == "False"
