"""A crash dialog that also writes the traceback to the log file, so nothing is lost."""

from __future__ import annotations

import logging
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from carebook.gui.state import USER_ERRORS
from carebook.i18n import tr
from carebook.logs import scrub

log = logging.getLogger("carebook.crash")


_OVERRIDE = re.compile(r"^Error calling Python override of [^:]*(::[^:]*)*\(\): ")
_saying: set[str] = set()  # sentences on screen now: a page shown again says it only once


def _say(message: str) -> None:
    """A user error no page caught (the county's server went away while a page read it):
    its one sentence, not a crash dialog with a traceback."""
    if message in _saying:
        return
    _saying.add(message)
    try:
        QMessageBox.warning(QApplication.activeWindow(), tr("关爱簿"), message)
    finally:
        _saying.discard(message)


def install_crash_handler(log_file: Path, *, show_dialog: bool = True) -> None:
    def handle(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if isinstance(error, USER_ERRORS):
            # PySide6 puts "Error calling Python override of QWidget::showEvent(): " before
            # the sentence of an error raised in a Qt handler.
            message = getattr(error, "message", None) or _OVERRIDE.sub("", str(error))
            log.warning("%s: %s", kind.__name__, message)
            if show_dialog and QApplication.instance() is not None:
                _say(message)
            return
        # Masked here too: the details box is what a worker copies into a message to support.
        text = scrub("".join(traceback.format_exception(kind, error, tb)))
        log.critical("unhandled exception\n%s", text)
        if show_dialog and QApplication.instance() is not None:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                tr("关爱簿出错了"),
                tr("程序遇到意外错误，已写入日志：{path}\n您的数据没有丢失。", path=log_file),
            )
            box.setDetailedText(text)
            box.exec()

    sys.excepthook = handle
