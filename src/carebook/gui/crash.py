"""A crash dialog that also writes the traceback to the log file, so nothing is lost."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from carebook.i18n import tr
from carebook.logs import scrub

log = logging.getLogger("carebook.crash")


def install_crash_handler(log_file: Path, *, show_dialog: bool = True) -> None:
    def handle(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
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
