"""The 爱心妈妈 who took part in something: a checkable list, narrowed by typing a name."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from carebook.i18n import tr
from carebook.services.volunteers import VolunteerRow


class VolunteerChecklist(QWidget):
    def __init__(self, volunteers: Sequence[VolunteerRow], parent=None) -> None:
        super().__init__(parent)
        self._build_ui(volunteers)
        self._connect_signals()

    def _build_ui(self, volunteers: Sequence[VolunteerRow]) -> None:
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("查找爱心妈妈：姓名或村"))
        layout.addWidget(self.search)
        self.list = QListWidget()
        for v in volunteers:
            item = QListWidgetItem(f"{v.name}（{v.village or '-'}）")
            item.setData(Qt.ItemDataRole.UserRole, v.uid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list, 1)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self.narrow)

    def keyPressEvent(self, event) -> None:
        # Enter in the search box only narrows the list; passed on, it would press 保存.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def narrow(self, text: str) -> None:
        """Show the volunteers whose name or village holds the text, and every one ticked:
        a county lists tens of thousands."""
        term = text.strip()
        for n in range(self.list.count()):
            item = self.list.item(n)
            ticked = item.checkState() == Qt.CheckState.Checked
            item.setHidden(bool(term) and not ticked and term not in item.text())

    def checked_uids(self) -> list[str]:
        items = (self.list.item(n) for n in range(self.list.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]
