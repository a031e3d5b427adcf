"""An ID or phone field that shows 140725********1234 until the worker deliberately reveals it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from carebook.i18n import tr


class MaskedField(QWidget):
    """value() is the full number whether shown or not; revealing asks `reveal` (which audits)."""

    textEdited = Signal(str)
    revealed = Signal()

    def __init__(self, mask: Callable[[str], str], parent=None) -> None:
        super().__init__(parent)
        self._mask = mask
        self._value = ""
        self._masked = False
        self.reveal: Callable[[], str | None] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.button = QPushButton(tr("显示完整号码"))
        self.button.setToolTip(tr("显示完整号码会记入操作日志"))
        # Only a deliberate click reveals: as a dialog's auto-default button, Enter typed in
        # any field above it showed the full number and logged a reveal nobody asked for.
        self.button.setAutoDefault(False)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.button.setVisible(False)
        self.button.clicked.connect(self._reveal)
        self.edit.textEdited.connect(self._edited)
        self.setFocusProxy(self.edit)

    def set_value(self, value: str, *, masked: bool) -> None:
        self._value = value or ""
        self._masked = bool(masked and self._value)
        self.edit.setText(self._mask(self._value) if self._masked else self._value)
        self.edit.setReadOnly(self._masked)
        self.button.setVisible(self._masked)

    def value(self) -> str:
        return self._value if self._masked else self.edit.text().strip()

    def is_masked(self) -> bool:
        return self._masked

    def setPlaceholderText(self, text: str) -> None:
        self.edit.setPlaceholderText(text)

    def _edited(self, text: str) -> None:
        self.textEdited.emit(text)

    def _reveal(self) -> None:
        full = self.reveal() if self.reveal is not None else self._value
        if full is None:
            return
        self._value = full
        self._masked = False
        self.edit.setReadOnly(False)
        self.edit.setText(full)
        self.button.setVisible(False)
        self.edit.setFocus()
        self.revealed.emit()
