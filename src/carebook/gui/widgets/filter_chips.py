"""The active filters as chips: each says what it keeps and how many, and closes in one click."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from carebook.i18n import tr

_CHIP_STYLE = (
    "QPushButton#filter-chip { border: 1px solid #1d6fb8; border-radius: 12px;"
    " padding: 3px 12px; background: #e8f1fb; color: #0b3d6e; }"
    "QPushButton#filter-chip:hover { background: #d2e4f7; }"
)


class FilterChips(QWidget):
    """set_chips([(key, text)]) shows them; removed(key) and clearAll() report clicks."""

    removed = Signal(str)
    clearAll = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._title = QLabel(tr("已选筛选："))
        self._clear = QPushButton(tr("清除全部筛选"))
        self._clear.setObjectName("clear-filters")
        self._clear.clicked.connect(self.clearAll)
        self._chips: dict[str, QPushButton] = {}
        self.setStyleSheet(_CHIP_STYLE)
        self._layout.addWidget(self._title)
        self._layout.addStretch(1)
        self._layout.addWidget(self._clear)
        self.setVisible(False)

    def set_chips(self, chips: list[tuple[str, str]]) -> None:
        for button in self._chips.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self._chips = {}
        for position, (key, text) in enumerate(chips, start=1):
            button = QPushButton(f"{text}  ✕")
            button.setObjectName("filter-chip")
            button.setToolTip(tr("点击取消这个筛选"))
            button.clicked.connect(lambda _=False, k=key: self.removed.emit(k))
            self._layout.insertWidget(position, button)
            self._chips[key] = button
        self.setVisible(bool(chips))

    def chip_texts(self) -> dict[str, str]:
        return {key: button.text() for key, button in self._chips.items()}

    def chip(self, key: str) -> QPushButton | None:
        return self._chips.get(key)
