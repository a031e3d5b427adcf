"""Start the desktop application: Qt, language, fonts, the database, the main window."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from carebook.gui.crash import install_crash_handler
from carebook.gui.state import USER_ERRORS
from carebook.i18n import tr
from carebook.paths import database_url
from carebook.services.backup import daily_backup
from carebook.services.workspace import Workspace, load_app_settings
from carebook.storage.database import open_database

log = logging.getLogger("carebook")


def create_qt_app(language: str, font_scale: float = 1.0) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("carebook")
    app.setApplicationDisplayName(tr("关爱簿"))
    if language == "zh_CN":
        # Qt's own dialogs (file pickers, message box buttons) in Chinese too.
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(
            QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path
        ):
            app.installTranslator(translator)
    font = app.font()
    base = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(max(base, 10.5) * font_scale)
    app.setFont(font)
    return app


def run_application(db: str | None = None, debug: bool = False) -> int:
    paths, settings = load_app_settings()
    logging.basicConfig(
        filename=paths.log_file,
        level=logging.DEBUG if debug else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = create_qt_app(settings.language, settings.font_scale)
    install_crash_handler(paths.log_file)
    try:
        database = open_database(database_url(db), backups_dir=paths.backups_dir)
    except USER_ERRORS as exc:
        QMessageBox.critical(None, tr("关爱簿"), getattr(exc, "message", None) or str(exc))
        return 1
    workspace = Workspace(paths, settings, database)
    try:
        if database.file is not None:
            daily_backup(database, paths.backups_dir)
    except USER_ERRORS as exc:
        log.warning("daily backup failed: %s", exc)
    from carebook.gui.main_window import MainWindow

    window = MainWindow(workspace)
    window.show()
    try:
        return app.exec()
    finally:
        workspace.close()
