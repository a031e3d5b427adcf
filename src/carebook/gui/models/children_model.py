"""The register list's table model: a thin adapter over a search result's light rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItemModel

from carebook.domain.id_numbers import mask_id
from carebook.domain.phones import mask_phone
from carebook.i18n import tr
from carebook.services.register_query import RegisterRow

if TYPE_CHECKING:  # the search brings SQLAlchemy; the first rows show before it is imported
    from carebook.services.register_search import SearchResult

FETCH = 500  # rows added each time the view scrolls near the end
OVERDUE = QColor("#b3261e")
LEFT = QColor("#767676")

Index = QModelIndex | QPersistentModelIndex

# Qt.ItemDataRole's values, as Qt passes them to data(). PySide6 builds its whole Qt namespace
# (94 Python enums, 25-40 ms) the first time anything names it; the register's first rows show
# before that, so nothing on their way names it (tests hold these to Qt's values).
DISPLAY_ROLE, TOOLTIP_ROLE, FOREGROUND_ROLE, USER_ROLE = 0, 3, 9, 256


@dataclass(frozen=True)
class Column:
    key: str  # the RegisterRow field and the sort key
    header: str
    shown: bool = True  # shown until the worker chooses otherwise
    sample: str = ""  # a typical value when sizing columns before rows arrive


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", sample="欧阳子涵"),
    Column("sex", "性别", sample="女"),
    Column("age", "年龄", sample="17"),
    Column("township", "乡镇", False, "东冶镇"),
    Column("village", "村（社区）", sample="后槐沟村"),
    Column("categories", "儿童类别", sample="农村留守儿童"),
    Column("care_level", "关爱等级", sample="重点"),
    Column("guardian_name", "监护人", sample="张桂兰（祖母）"),
    Column("guardian_phone", "监护人电话", sample="138****1234"),
    Column("volunteers", "结对爱心妈妈", sample="李秀英"),
    Column("last_visit_on", "上次走访", sample="2026-11-28"),
    Column("next_due_on", "下次应走访", sample="2026-11-28 逾期"),
    Column("status", "状态", sample="在册"),
    Column("id_number", "身份证号", False, "140725********1234"),
    Column("registered_on", "登记日期", False, "2026-11-28"),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
_FIELD = {c.key: RegisterRow._fields.index(c.key) for c in COLUMNS}
_WORDS = frozenset({"care_level", "status"})  # shown translated: 重点 / 一般, 在册 / 退出


class ChildrenTableModel(QAbstractTableModel):
    """Rows come from one SearchResult; more are pulled as the view scrolls (fetchMore)."""

    sortRequested = Signal(str, bool)  # column key, descending: the page asks the search again

    def __init__(self, parent=None, *, mask_numbers: bool = True) -> None:
        super().__init__(parent)
        self._result: SearchResult | None = None
        self._rows: list[RegisterRow] = []
        self._shown = 0  # rows the view knows about
        self.mask_numbers = mask_numbers
        self.today = date.today()

    # -- feeding --------------------------------------------------------------------------
    def set_result(self, result: SearchResult) -> None:
        self.beginResetModel()
        self._result = result
        self._rows = result.rows
        self._shown = min(len(self._rows), FETCH)
        self.endResetModel()

    def set_rows(self, rows: list[RegisterRow]) -> None:
        """Show a fixed list of rows (a preview before the index has loaded)."""
        self.beginResetModel()
        self._result = None
        self._rows = rows
        self._shown = len(rows)
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        if self._shown < len(self._rows):
            return True
        return self._result is not None and not self._result.complete

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        if self._result is not None and len(self._rows) < self._shown + FETCH:
            self._result.advance(FETCH)
        end = min(len(self._rows), self._shown + FETCH)
        if end > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, end - 1)
            self._shown = end
            self.endInsertRows()

    # -- reading --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def row_at(self, row: int) -> RegisterRow | None:
        return self._rows[row] if 0 <= row < self._shown else None

    def row_of_uid(self, uid: str) -> int:
        """The view row showing this child, or -1 (only rows already shown are looked at)."""
        return next((i for i in range(self._shown) if self._rows[i].uid == uid), -1)

    def header_labels(self) -> QStandardItemModel:
        """The column titles as a Qt model, for the view's header to read from C++ (see
        SpokenChildrenTableModel for why this model has no headerData())."""
        labels = QStandardItemModel(0, len(COLUMNS), self)
        labels.setHorizontalHeaderLabels([tr(c.header) for c in COLUMNS])
        return labels

    def data(self, index: Index, role: int = DISPLAY_ROLE):
        if not index.isValid() or index.row() >= self._shown:
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()].key
        if role == DISPLAY_ROLE:
            return self.display(row, key)
        if role == FOREGROUND_ROLE:
            if key == "next_due_on" and row.overdue:
                return QBrush(OVERDUE)
            if row.status != "在册":
                return QBrush(LEFT)
            return None
        if role == TOOLTIP_ROLE:
            if key == "next_due_on" and row.overdue:
                days = (self.today - row.next_due_on).days if row.next_due_on else 0
                return tr("已逾期 {days} 天", days=days)
            if key in ("categories", "volunteers", "guardian_name"):
                return self.display(row, key) or None
            return None
        if role == USER_ROLE:
            return row.uid
        return None

    def display(self, row: RegisterRow, key: str) -> str:
        value = row[_FIELD[key]]
        if key == "guardian_phone":
            return (mask_phone(value) if self.mask_numbers else value) if value else ""
        if key == "id_number":
            return (mask_id(value) if self.mask_numbers else value) if value else ""
        if key == "guardian_name":
            return (
                f"{value}（{row.guardian_relation}）" if value and row.guardian_relation else value
            )
        if key == "categories":
            return "、".join(value)
        if key in _WORDS:  # the program's own words (the filters show them translated too)
            return tr(value) if value else ""
        if key == "next_due_on" and value is not None and row.overdue:
            return tr("{date} 逾期", date=value.isoformat())
        if isinstance(value, date):
            return value.isoformat()
        if value is None:
            return ""
        return str(value)

    def sort(self, column: int, order=None) -> None:
        # Sorting happens in the search service (plain Python over light rows), not in Qt.
        if not 0 <= column < len(COLUMNS):
            self.sortRequested.emit("", False)  # Qt's "back to the original order"
            return
        descending = order == QtCore.Qt.SortOrder.DescendingOrder
        self.sortRequested.emit(COLUMNS[column].key, descending)


class SpokenChildrenTableModel(ChildrenTableModel):
    """The same model, also answering headerData(): screen readers ask the model itself for the
    column titles. Qt hands headerData() an orientation, and naming that builds PySide6's Qt
    namespace (25-40 ms), so the plain model leaves the titles to its header's label model and
    this one is used only while a screen reader is active."""

    def headerData(self, section: int, orientation, role: int = DISPLAY_ROLE):
        if orientation == QtCore.Qt.Orientation.Horizontal and role == DISPLAY_ROLE:
            return tr(COLUMNS[section].header)
        return None
