"""Asks the date and the reason when a child leaves or re-enters the register."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout

from carebook.i18n import tr


class StatusDialog(QDialog):
    """Asks the date and the reason for leaving or re-entering the register."""

    def __init__(self, title: str, reasons: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        self.reason_box.addItems(list(reasons))
        form.addRow(tr("日期"), self.date)
        form.addRow(tr("原因"), self.reason_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.reason_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def on(self) -> date:
        return self.date.date().toPython()

    def reason(self) -> str:
        return self.reason_box.currentText().strip()
