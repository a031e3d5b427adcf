"""A thin Qt table model over light tuples, and a table view set up the way the care pages want."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_TOOLTIP_FROM = 12  # characters
PAGE_SIZE = 500  # rows a lazy list fetches at a time: a few screens, well under 0.1 s


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.1%}" if 0 <= value <= 1 else f"{value:.2f}"
    return str(value)


class RowTableModel(QAbstractTableModel):
    """Columns are headers; each row is a tuple of cells plus the object it stands for."""

    def __init__(self, headers: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[tuple] = []
        self.payloads: list[object] = []
        self.highlight: Callable[[object], QColor | None] | None = None
        # Lazy mode (set_source): further pages come from _fetch as the view scrolls down.
        self._fetch: Callable[[int, int], tuple[list[tuple], list[object]]] | None = None
        self._sorter: Callable[[int, bool], None] | None = None
        self.total = 0

    def set_rows(
        self,
        rows: Sequence[tuple],
        payloads: Sequence[object] | None = None,
        *,
        headers: Sequence[str] | None = None,
    ) -> None:
        self.beginResetModel()
        if headers is not None:
            self.headers = list(headers)
        self._fetch = self._sorter = None
        self.rows = [tuple(r) for r in rows]
        self.payloads = list(payloads) if payloads is not None else list(self.rows)
        self.total = len(self.rows)
        self.endResetModel()

    def set_source(
        self,
        total: int,
        fetch: Callable[[int, int], tuple[list[tuple], list[object]]],
        *,
        headers: Sequence[str] | None = None,
        sorter: Callable[[int, bool], None] | None = None,
    ) -> None:
        """Show a list of `total` rows a page at a time: fetch(offset, limit) -> (rows,
        payloads). Sorting a lazy list is the sorter's business (in SQL), not the model's."""
        self.beginResetModel()
        if headers is not None:
            self.headers = list(headers)
        self._fetch, self._sorter, self.total = fetch, sorter, total
        self.rows, self.payloads = [], []
        self._load_page()
        self.endResetModel()

    def _load_page(self) -> int:
        rows, payloads = self._fetch(len(self.rows), PAGE_SIZE)
        self.rows.extend(tuple(r) for r in rows)
        self.payloads.extend(payloads)
        if not rows:  # the list shrank since it was counted: stop asking
            self.total = len(self.rows)
        return len(rows)

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._fetch is not None and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        first = len(self.rows)
        rows, payloads = self._fetch(first, PAGE_SIZE)
        if not rows:
            self.total = first
            return
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(tuple(r) for r in rows)
        self.payloads.extend(payloads)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            # A long cell (a note, a log entry's value) is cut off in its column: hover shows it.
            text = _text(value)
            return text if len(text) > _TOOLTIP_FROM else None
        if role == SORT_ROLE:
            return value
        numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.highlight is not None:
            return self.highlight(self.payloads[index.row()])
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def fetch_all(self) -> None:
        """Load every remaining page: for actions on the whole list (print all on it)."""
        while self.canFetchMore():
            before = len(self.rows)
            self.fetchMore()
            if len(self.rows) == before:
                break

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if self._fetch is not None:
            # A lazy list holds one page or a few: only a sort in SQL orders the whole list.
            if self._sorter is not None:
                self._sorter(column, order == Qt.SortOrder.DescendingOrder)
            return
        # Plain Python sort over light tuples: fast even for 100,000 rows.
        pairs = list(zip(self.rows, self.payloads, strict=True))
        pairs.sort(
            key=lambda p: (p[0][column] is None, _key(p[0][column])),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self.beginResetModel()
        self.rows = [p[0] for p in pairs]
        self.payloads = [p[1] for p in pairs]
        self.endResetModel()

    def payload(self, row: int) -> object:
        return self.payloads[row]


def _key(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return (0, float(value), "")
    return (1, 0.0, _text(value))


def make_table(model: RowTableModel, parent: QWidget | None = None, *, multi: bool = False):
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    # No sort until the worker clicks a header: the services already order rows meaningfully.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setDefaultSectionSize(110)
    # A list's columns change with its kind (走访 has four); each time, no title is cut.
    model.modelReset.connect(lambda: fit_titles(view))
    model.headerDataChanged.connect(lambda *_: fit_titles(view))
    fit_titles(view)
    return view


def fit_titles(view: QTableView) -> None:
    """Widen any column narrower than its title: English titles run longer than Chinese ones,
    and a clipped "Village (community)" read as "lage (communi"."""
    header = view.horizontalHeader()
    for column in range(header.count() - 1):  # the last one stretches
        needed = header.sectionSizeHint(column)
        if header.sectionSize(column) < needed:
            header.resizeSection(column, needed)


def selected_payloads(view: QTableView) -> list:
    model = view.model()
    rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
    return [model.payload(r) for r in rows]


def set_widths(view: QTableView, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        view.setColumnWidth(column, width)
    fit_titles(view)
