"""The one search box: results follow each keystroke; Esc clears it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit

from carebook.i18n import tr

if TYPE_CHECKING:  # naming the class makes PySide6 build it: 3 ms of the register's first rows
    from PySide6.QtGui import QKeyEvent


class SearchBox(QLineEdit):
    searchChanged = Signal(str)
    submitted = Signal()  # Enter: open the first match
    moveDown = Signal()  # Down arrow: go into the list

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("search-box")
        self.setClearButtonEnabled(True)
        self.setPlaceholderText(
            tr("搜索：姓名、拼音或首字母（如 zzh）、身份证号、电话号码的一部分、村名  （Ctrl+F）")
        )
        self.setMinimumHeight(self.fontMetrics().height() * 2)
        self.textChanged.connect(self.searchChanged)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, Qt = event.key(), QtCore.Qt  # named here: see children_model on the Qt namespace
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
            return
        if key == Qt.Key.Key_Down:
            self.moveDown.emit()
            return
        super().keyPressEvent(event)
