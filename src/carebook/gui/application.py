"""Start the desktop application: Qt, language, fonts, the database, the main window."""

from __future__ import annotations

import logging
import os
import sys
import traceback

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from carebook.gui.crash import install_crash_handler
from carebook.gui.print_files import remove_own_print_folders, sweep_stale_print_folders
from carebook.gui.state import USER_ERRORS
from carebook.gui.ui_settings import keep_ui_settings_for
from carebook.i18n import tr
from carebook.logs import start_log
from carebook.paths import AppPaths, database_url, sqlite_file
from carebook.resources import resource_path
from carebook.services.quick_start import QuickStart, abandon, finish_open, quick_start
from carebook.services.workspace import Workspace, load_app_settings
from carebook.settings import Settings

# SQLAlchemy (half a second to a second to import on a modest laptop) comes with the database and
# the services that use it: a start that can show the register's first rows without it does so,
# and imports it right after the first paint.

log = logging.getLogger("carebook")
FIRST_PAINT_MS = 50  # the full open waits this long after the window shows its first rows


def keep_none_alive() -> None:
    """PySide6 6.12 on Python 3.11 drops one reference to None too many on every call of a Qt
    method that returns nothing (setText, addItem, setChecked ...). When None runs out of
    references the process aborts ("Fatal Python error: none_dealloc"): opening 登记活动 on a
    100,000-child county (33,333 爱心妈妈 added to its list) did, and a long day's clicks
    would. Python 3.12 makes None immortal; here None gets more references than any session
    could lose. Done once, before the first window."""
    if sys.version_info >= (3, 12) or hasattr(sys, "getobjects"):  # immortal, or a debug build
        return
    import ctypes

    # ob_refcnt is the first field of every object in a release build of CPython.
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


def create_qt_app(language: str, font_scale: float = 1.0) -> QApplication:
    keep_none_alive()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("carebook")
    app.setApplicationDisplayName(tr("关爱簿"))
    app.setWindowIcon(QIcon(str(resource_path("icons", "carebook.svg"))))
    install_qt_translator(app, language)
    font = app.font()
    base = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(max(base, 10.5) * font_scale)
    app.setFont(font)
    return app


_qt_translator: dict[str, QTranslator] = {}
QT_LOCALES = {
    "zh_CN": QLocale(QLocale.Language.Chinese, QLocale.Country.China),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}


def install_qt_translator(app: QApplication, language: str) -> QTranslator | None:
    """Qt's own dialogs (file pickers, message box buttons, calendars) in the chosen language."""
    locale = QT_LOCALES.get(language, QT_LOCALES["zh_CN"])
    # Dates and numbers in Qt widgets follow the chosen language, not the laptop's locale.
    QLocale.setDefault(locale)
    # One Qt translator at a time: an older one would answer for strings the new one lacks.
    previous = _qt_translator.pop("current", None)
    if previous is not None:
        app.removeTranslator(previous)
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(locale, "qtbase", "_", path):
        log.warning("no Qt translation for %s in %s", language, path)
        return None
    app.installTranslator(translator)
    _qt_translator["current"] = translator
    return translator


def _smoke_exit(app: QApplication, window) -> None:
    """CAREBOOK_SMOKE_SCREENSHOT=path: open every page, save the window, quit (smoke test)."""
    target = os.environ.get("CAREBOOK_SMOKE_SCREENSHOT")
    if not target:
        return

    def finish() -> None:
        # Building each page imports its modules: a module the bundle lacks fails here, loudly.
        try:
            for spec in window.specs:
                window.show_page(spec.key)
        except Exception:
            log.exception("smoke test: a page failed to open")
            traceback.print_exc()
            app.exit(3)
            return
        window.show_page(window.specs[0].key)
        window.grab().save(target)
        app.quit()

    QTimer.singleShot(1500, finish)


def _open_import(window) -> None:
    """After "import a ledger now": the page that imports, its file picker opened if it has one."""
    keys = [spec.key for spec in window.specs]
    key = next((k for k in ("import", "exchange") if k in keys), None)
    if key is None:
        return
    start_import = getattr(window.show_page(key), "start_import", None)
    if callable(start_import):
        QTimer.singleShot(0, start_import)


def run_application(db: str | None = None, debug: bool = False) -> int:
    paths, settings = load_app_settings()
    start_log(paths.log_file, debug=debug)
    sweep_stale_print_folders()
    keep_ui_settings_for(paths)
    app = create_qt_app(settings.language, settings.font_scale)
    install_crash_handler(paths.log_file)
    url = database_url(db)
    # The welcome belongs to the real data folder; an explicit --db is a developer's choice.
    welcome = not settings.first_run_done and db is None and not os.environ.get("CAREBOOK_DB")
    file = sqlite_file(url)
    if not welcome and file is not None:
        try:
            start = quick_start(file)
        except USER_ERRORS as exc:  # e.g. another carebook has it open
            QMessageBox.critical(None, tr("关爱簿"), getattr(exc, "message", None) or str(exc))
            return 1
        if start is not None:
            return _run_quick(app, paths, settings, start)
    from carebook.storage.database import open_database

    try:
        database = open_database(url, backups_dir=paths.backups_dir)
    except USER_ERRORS as exc:
        QMessageBox.critical(None, tr("关爱簿"), getattr(exc, "message", None) or str(exc))
        return 1
    workspace = Workspace(paths, settings, database)
    choice = None
    if welcome:
        from carebook.gui.dialogs.first_run import run_first_run

        result = run_first_run(workspace)
        if result is None:  # closed the welcome: nothing decided, ask again next time
            workspace.close()
            return 0
        workspace, choice = result.workspace, result.choice
    if choice != "demo":
        _daily_backup(workspace)
    from carebook.gui.main_window import MainWindow

    window = MainWindow(workspace)
    window.show()
    if choice == "import":
        _open_import(window)
    _smoke_exit(app, window)
    try:
        return app.exec()
    finally:
        from carebook.gui.workers import stop_jobs

        stop_jobs()
        remove_own_print_folders()
        workspace.close()


def _daily_backup(workspace: Workspace) -> None:
    from carebook.services.backup import daily_backup

    try:
        if workspace.db.file is not None:
            daily_backup(workspace.db, workspace.paths.backups_dir)
    except USER_ERRORS as exc:
        log.warning("daily backup failed: %s", exc)


def first_rows_window(paths: AppPaths, settings: Settings, start: QuickStart):
    """The main window showing a quick start's first rows; nothing opens or edits until
    finish_quick_start()."""
    from carebook.gui.main_window import MainWindow, Opening

    return MainWindow(None, opening=Opening(paths, settings, start.file, start.rows))


def _run_quick(app: QApplication, paths: AppPaths, settings: Settings, start: QuickStart) -> int:
    """Show the register's first rows at once, then open the database under the same lock."""
    window = first_rows_window(paths, settings, start)
    window.show()
    app.processEvents()  # the first paint, before the heavy imports below take the thread
    # A moment's grace: some window systems deliver the first expose a little after show().
    QTimer.singleShot(
        FIRST_PAINT_MS, lambda: finish_quick_start(app, window, paths, settings, start)
    )
    try:
        return app.exec()
    finally:
        from carebook.gui.workers import stop_jobs

        stop_jobs()  # before the database closes under a job still using it
        remove_own_print_folders()
        if window.workspace is not None:
            window.workspace.close()
        else:
            abandon(start)


def finish_quick_start(
    app: QApplication, window, paths: AppPaths, settings: Settings, start: QuickStart
) -> bool:
    """Right after the first paint: the full open (pragmas, schema, ORM), then everything else.
    On failure: one clear message and the application ends (False)."""
    try:
        workspace = Workspace(paths, settings, finish_open(start, paths.backups_dir))
    except USER_ERRORS as exc:
        QMessageBox.critical(window, tr("关爱簿"), getattr(exc, "message", None) or str(exc))
        window.hide()
        app.exit(1)
        return False
    window.attach(workspace)
    _smoke_exit(app, window)
    # Once a day, after the window works: the copy must not delay the first rows.
    QTimer.singleShot(0, lambda: _daily_backup(workspace))
    return True
