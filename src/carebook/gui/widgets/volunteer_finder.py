"""Pick one 爱心妈妈 by typing part of her name, phone digits or village: a short list of
matches (found in SQL) to click, or to walk with the arrows and take with Enter.

What is picked is only ever the row the worker took, named in full under the box; editing
the text afterwards drops the pick, so a dialog never saves someone it no longer shows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from carebook.gui.pages.care_table import RowTableModel, make_table, set_widths
from carebook.i18n import tr
from carebook.services.volunteers import VolunteerMatch, find_volunteers
from carebook.storage.database import Database

HEADERS = ["姓名", "乡镇", "村（社区）", "手机（隐去中间四位）", "结对儿童"]
SHOWN_MATCHES = 50  # found in SQL and cut there: a county has tens of thousands
SHOWN_ROWS = 7  # the list's height: enough to tell namesakes apart without a scroll
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def describe(match: VolunteerMatch, *, load: bool = True) -> str:
    """Her name with what tells her from a namesake: place, masked phone (and current load)."""
    place = " ".join(p for p in (match.township, match.village) if p) or "-"
    phone = match.masked_phone or tr("无电话")
    if not load:
        return tr("{name}（{place}，{phone}）", name=match.name, place=place, phone=phone)
    return tr(
        "{name}（{place}，{phone}，结对 {n} 名）",
        name=match.name,
        place=place,
        phone=phone,
        n=match.load,
    )


def found_text(shown: int, total: int) -> str:
    """How many the text found, and that only the nearest few are listed."""
    if not shown:
        return tr("没有找到，请换个写法（姓名、拼音首字母、手机号中的几位或村名）。")
    if shown < total:
        return tr(
            "找到 {total} 位，列出最相近的 {n} 位；多输入几个字可缩小范围。", total=total, n=shown
        )
    return tr("找到 {total} 位。", total=total)


class VolunteerFinder(QWidget):
    """A search box over a short list; `chosen` is the picked volunteer or None."""

    chosenChanged = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.chosen: VolunteerMatch | None = None
        self.total = 0
        self._build_ui()
        self._connect_signals()
        self.find()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("查找爱心妈妈：姓名、拼音首字母、手机号中的几位或村名"))
        layout.addWidget(self.search)
        self.model = RowTableModel([tr(h) for h in HEADERS], self)  # dies with the finder
        self.table = make_table(self.model)
        self.table.setSortingEnabled(False)  # best matches first, as found
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        set_widths(self.table, {0: 90, 1: 100, 2: 120, 3: 150})
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(
            rows * SHOWN_ROWS + self.table.horizontalHeader().sizeHint().height() + 4
        )
        layout.addWidget(self.table)
        self.found_label = QLabel()
        self.found_label.setStyleSheet("color: #555;")
        layout.addWidget(self.found_label)
        self.chosen_label = QLabel()
        self.chosen_label.setWordWrap(True)
        layout.addWidget(self.chosen_label)
        self._show_chosen()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._text_changed)
        self.table.clicked.connect(lambda index: self.pick_row(index.row()))
        self.search.installEventFilter(self)
        self.table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter takes the highlighted row and goes no further: passed on, it would press the
        # dialog's default button. The arrows walk the list from the search box.
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = event.key()
        if key in ENTER:
            current = self.table.currentIndex()
            if self.chosen is None and current.isValid():
                self.pick_row(current.row())
            return True
        if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._walk(1 if key == Qt.Key.Key_Down else -1)
            return True
        return super().eventFilter(watched, event)

    def _walk(self, step: int) -> None:
        if self.chosen is not None:  # choosing again: the list comes back, the pick goes
            self._drop()
            return
        count = self.model.rowCount()
        if not count:
            return
        row = self.table.currentIndex().row()
        row = 0 if row < 0 else max(0, min(count - 1, row + step))
        self.table.setCurrentIndex(self.model.index(row, 0))

    def _text_changed(self, _text: str) -> None:
        # Any edit after a pick drops it: the text no longer says who she is.
        self._drop(search=True)

    def _drop(self, *, search: bool = False) -> None:
        was = self.chosen
        self.chosen = None
        self.table.setVisible(True)
        if search or was is not None:
            self.find()
        self._show_chosen()
        if was is not None:
            self.chosenChanged.emit()

    def find(self) -> None:
        """The first matches of the text, the first one highlighted (not yet picked)."""
        matches = find_volunteers(self.db, self.search.text(), limit=SHOWN_MATCHES)
        self.total = matches.total
        self.model.set_rows(
            [(m.name, m.township, m.village, m.masked_phone, m.load) for m in matches.rows],
            list(matches.rows),
        )
        if matches.rows:
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.found_label.setText(found_text(len(matches.rows), self.total))

    def pick_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        self.chosen = self.model.payload(row)
        self.table.setVisible(False)  # no list left whose highlight could say otherwise
        self.found_label.setText(tr("要换一位，改一改上面的文字或按 ↓ 重新选择。"))
        self._show_chosen()
        self.chosenChanged.emit()

    def _show_chosen(self) -> None:
        if self.chosen is None:
            self.chosen_label.setText(
                tr("还没有选定爱心妈妈：在列表中点一下，或用 ↑↓ 选中后按回车。")
            )
            self.chosen_label.setStyleSheet("color: #a15c00;")
        else:
            self.chosen_label.setText(tr("已选定：{who}", who=describe(self.chosen)))
            self.chosen_label.setStyleSheet("font-weight: bold; color: #1b5e20;")
