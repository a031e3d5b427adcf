"""Asks the date and the reason when a child leaves or re-enters the register."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout

from carebook.domain.errors import DateParseError
from carebook.gui.widgets.date_field import DateField
from carebook.gui.widgets.form_footer import may_discard, typed_values
from carebook.i18n import tr


class StatusDialog(QDialog):
    """Asks the date and the reason for leaving or re-entering the register."""

    def __init__(self, title: str, reasons: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(340)  # the title bar and the reason's hint stay readable
        form = QFormLayout(self)
        # Typed as people type dates (2026.11.3, 11月3日): a QDateEdit read 2026-11-03 as
        # 2026-11-11, and a child left the register on the wrong day.
        self.date = DateField(QDate.currentDate())
        # Never after today: leaving or coming back is a fact, and a slip of the year wheel
        # would date it years ahead.
        self.date.setMaximumDate(QDate.currentDate())
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        self.reason_box.addItems(list(reasons))
        # No reason chosen for the worker: the first one (年满16周岁) stood ready for a
        # six-year-old, one Enter away from the register.
        self.reason_box.setCurrentIndex(-1)
        self.reason_box.lineEdit().setPlaceholderText(tr("请选择或填写原因"))
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
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.reason_box.currentTextChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        self.reason_box.setFocus(Qt.FocusReason.OtherFocusReason)
        self._typed = typed_values(self)

    def accept(self) -> None:
        try:
            self.date.date()
        except DateParseError:
            self.date.lineEdit().setFocus()  # said in red under the date; not closed on it
            return
        super().accept()

    def reject(self) -> None:
        """Esc and 取消: a reason typed out (随父母到浙江宁波上学) is not dropped without asking."""
        if may_discard(self, self._typed):
            super().reject()

    def on(self) -> date:
        return self.date.date().toPython()

    def reason(self) -> str:
        return self.reason_box.currentText().strip()
