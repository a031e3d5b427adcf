"""The print font field of 设置: the fonts found here, another file, or the built-in CID font."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import tr
from carebook.services.printing import font_in_use, font_options


class FontPickerField(QWidget):
    """Behaves like the QLineEdit it replaces: text() and setText() hold the settings value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_ui()
        self._connect_signals()
        self._show_status()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.combo = QComboBox()
        self.combo.setEditable(False)
        for label, value in font_options():
            self.combo.addItem(label, value)
        self.browse = QPushButton(tr("选择字体文件…"))
        row.addWidget(self.combo, 1)
        row.addWidget(self.browse)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.combo.currentIndexChanged.connect(self._show_status)
        self.browse.clicked.connect(self._choose_file)

    def text(self) -> str:
        return str(self.combo.currentData() or "")

    def setText(self, value: str) -> None:  # the QLineEdit name it stands in for
        index = self.combo.findData(value)
        if index < 0:
            self.combo.addItem(value, value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("选择字体文件"), "", tr("TrueType 字体 (*.ttf *.ttc)")
        )
        if name:
            self.setText(name)

    def _show_status(self) -> None:
        choice = font_in_use(self.text())
        if choice.embedded:
            text = tr("打印将使用 {font}，嵌入 PDF。", font=choice.path.name)
        else:
            text = tr("打印将使用内置 STSong-Light 字体（不嵌入）。")
        if choice.note:
            text += "\n" + choice.note
        self.status.setText(text)
        self.status.setStyleSheet("" if choice.embedded and not choice.note else "color:#8a5300;")
