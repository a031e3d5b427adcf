"""run_application: the welcome on a first start with the real data folder, and the smoke hook."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEventLoop

from carebook.gui import application
from carebook.gui.dialogs import first_run
from carebook.settings import Settings, save_settings


class _OwnLoop:
    """The test's QApplication with exec/quit on a local loop: a real quit() would leave Qt's
    quit flag set and make every later nested event loop in the run return at once."""

    def __init__(self, app) -> None:
        self._app = app
        self._loop = QEventLoop()

    def exec(self) -> int:
        return self._loop.exec()

    def quit(self) -> None:
        self._loop.exit(0)

    def exit(self, code: int = 0) -> None:
        self._loop.exit(code)

    def __getattr__(self, name):
        return getattr(self._app, name)


@pytest.fixture(autouse=True)
def own_loop(qapp, monkeypatch):
    real = application.create_qt_app
    monkeypatch.setattr(application, "create_qt_app", lambda *a, **k: _OwnLoop(real(*a, **k)))


def test_first_start_shows_the_welcome_and_closing_it_ends_quietly(
    qapp, monkeypatch, isolated_home
):
    asked = []

    def closed(workspace):
        asked.append(workspace.db.file)
        return None

    monkeypatch.setattr(first_run, "run_first_run", closed)
    assert application.run_application() == 0
    assert asked == [isolated_home / "carebook.db"]  # the real database, not a demo


def test_explicit_database_skips_the_welcome_and_smoke_hook_opens_every_page(
    qapp, monkeypatch, tmp_path, db_path
):
    monkeypatch.setattr(
        first_run, "run_first_run", lambda ws: (_ for _ in ()).throw(AssertionError)
    )
    shot = tmp_path / "smoke.png"
    monkeypatch.setenv("CAREBOOK_SMOKE_SCREENSHOT", str(shot))
    assert application.run_application(db=str(db_path)) == 0
    assert shot.stat().st_size > 5000


def test_a_worker_already_welcomed_goes_straight_to_work(
    qapp, monkeypatch, isolated_home, tmp_path
):
    save_settings(
        Settings(worker_name="王秀英", first_run_done=True), isolated_home / "settings.json"
    )
    monkeypatch.setattr(
        first_run, "run_first_run", lambda ws: (_ for _ in ()).throw(AssertionError)
    )
    monkeypatch.setenv("CAREBOOK_SMOKE_SCREENSHOT", str(tmp_path / "s.png"))
    assert application.run_application() == 0
    assert (isolated_home / "carebook.db").exists()


def test_import_now_lands_on_the_import_page_and_starts_it(qapp, monkeypatch, workspace, qtbot):
    from PySide6.QtWidgets import QWidget

    from carebook.gui.main_window import MainWindow
    from carebook.gui.pages import PageSpec

    started = []

    class ImportPage(QWidget):
        def __init__(self, _workspace) -> None:
            super().__init__()

        def start_import(self) -> None:
            started.append(True)

    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.specs = [*window.specs, PageSpec("import", "导入", ImportPage)]
    application._open_import(window)
    qtbot.waitUntil(lambda: started == [True])
    assert window.stack.currentWidget().objectName() == "page-import"


def test_many_qt_calls_do_not_abort_the_process(tmp_path):
    """PySide6 6.12 on Python 3.11 loses a reference to None on each Qt call returning nothing;
    more such calls than None had references aborted the app (登记活动 on a 100,000-child
    county). The app's Qt start keeps None alive however many calls a session makes."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import carebook

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QLabel\n"
        "from carebook.gui.application import create_qt_app\n"
        "calls = sys.getrefcount(None) + 20_000  # more than None has\n"
        "app = create_qt_app('zh_CN')\n"
        "label = QLabel()\n"
        "for _ in range(calls):\n"
        "    label.setText('x')\n"
        "print('still running')\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CAREBOOK_HOME=str(tmp_path))
    env["PYTHONPATH"] = str(Path(carebook.__file__).parents[1])
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "still running" in done.stdout, done.stderr[-500:]
