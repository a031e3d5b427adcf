"""Thin Qt table models for the import wizard: a sheet preview and the list of problems."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from carebook.i18n import tr
from carebook.services.ledger_views import CHANGE, ERROR, IssueRow

_HEADER_BAND = QBrush(QColor("#cfe2f3"))
_LEVEL_COLOURS = {ERROR: QColor("#b00020"), CHANGE: QColor("#1d5fa8")}


class PreviewModel(QAbstractTableModel):
    """The first rows of a sheet as read; the header band is shaded and says so."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[int, tuple[str, ...]]] = []
        self._header_count = 0
        self._width = 0

    def set_rows(self, rows: list[tuple[int, tuple[str, ...]]], header_count: int) -> None:
        self.beginResetModel()
        self._rows, self._header_count = rows, header_count
        self._width = max((len(cells) for _, cells in rows), default=0)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._width

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        _, cells = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[index.column()] if index.column() < len(cells) else ""
        if role == Qt.ItemDataRole.BackgroundRole and index.row() < self._header_count:
            return _HEADER_BAND
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            number = self._rows[section][0]
            return tr("表头 {n}", n=number) if section < self._header_count else str(number)
        return _column_letter(section)


def _column_letter(index: int) -> str:
    text, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        text = chr(65 + rem) + text
    return text


class IssueModel(QAbstractTableModel):
    COLUMNS = ("类型", "工作表", "行", "列", "姓名", "说明")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[IssueRow] = []

    def set_rows(self, rows: list[IssueRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def issue(self, row: int) -> IssueRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (tr(item.level), item.sheet, item.row, item.column, item.name, item.message)
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return item.message
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            colour = _LEVEL_COLOURS.get(item.level)
            return QBrush(colour) if colour else None
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section])
        return None
