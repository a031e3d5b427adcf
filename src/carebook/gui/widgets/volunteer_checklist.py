"""The 爱心妈妈 who took part in something: typed part of a name, phone or village finds a
short list (in SQL) to tick; the ticked ones stay at the top of the list whatever is typed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from carebook.gui.widgets.volunteer_finder import SHOWN_MATCHES, describe, found_text
from carebook.i18n import tr
from carebook.services.volunteers import VolunteerMatch, find_volunteers
from carebook.storage.database import Database

UID = Qt.ItemDataRole.UserRole


class VolunteerChecklist(QWidget):
    def __init__(
        self, db: Database, ticked: Sequence[VolunteerMatch] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.ticked: dict[str, VolunteerMatch] = {v.uid: v for v in ticked}
        self._shown: dict[str, VolunteerMatch] = {}
        self._build_ui()
        self._connect_signals()
        self.narrow(self.search.text())

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("查找爱心妈妈：姓名、拼音首字母、手机号中的几位或村名"))
        layout.addWidget(self.search)
        self.found_label = QLabel()
        self.found_label.setStyleSheet("color: #555;")
        layout.addWidget(self.found_label)
        self.list = QListWidget()
        layout.addWidget(self.list, 1)
        self.ticked_label = QLabel()
        layout.addWidget(self.ticked_label)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self.narrow)
        self.list.itemChanged.connect(self._item_changed)

    def keyPressEvent(self, event) -> None:
        # Enter in the search box only narrows the list; passed on, it would press 保存.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def narrow(self, text: str) -> None:
        """The ticked ones first, then the first matches of the text: a county lists tens of
        thousands, so they are found in SQL, a few at a time."""
        matches = find_volunteers(self.db, text, limit=SHOWN_MATCHES)
        self._shown = {v.uid: v for v in self.ticked.values()}
        for match in matches.rows:
            self._shown.setdefault(match.uid, match)
        self.list.blockSignals(True)  # rebuilding is no ticking
        self.list.clear()
        for uid, match in self._shown.items():
            item = QListWidgetItem(describe(match, load=False))
            item.setData(UID, uid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if uid in self.ticked else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.found_label.setText(found_text(len(matches.rows), matches.total))
        self._count_ticked()

    def _item_changed(self, item: QListWidgetItem) -> None:
        # The item stays where it is until the next search: a row jumping away under the
        # pointer would be ticked or unticked by the next click by mistake.
        uid = item.data(UID)
        if item.checkState() == Qt.CheckState.Checked:
            self.ticked[uid] = self._shown[uid]
        else:
            self.ticked.pop(uid, None)
        self._count_ticked()

    def _count_ticked(self) -> None:
        self.ticked_label.setText(tr("已选 {n} 位爱心妈妈", n=len(self.ticked)))

    def checked_uids(self) -> list[str]:
        return list(self.ticked)

    def selected_uids(self) -> list[str]:
        """The ticked ones, as ChildPicker names them: closing the form asks before losing them."""
        return self.checked_uids()
