"""儿童台账: the register list with one search box, filters with counts, and the child's file."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAccessible, QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.child_actions import log_visit, pair_child
from carebook.gui.models.children_model import (
    COLUMNS,
    ChildrenTableModel,
    SpokenChildrenTableModel,
)
from carebook.gui.state import USER_ERRORS, show_error
from carebook.gui.widgets.filter_bar import FilterBar
from carebook.gui.widgets.filter_chips import FilterChips
from carebook.gui.widgets.search_box import SearchBox
from carebook.gui.widgets.table_columns import TableColumns
from carebook.i18n import tr
from carebook.services.register_query import FIRST_ROWS, FacetCounts, RegisterQuery, RegisterRow
from carebook.services.workspace import Workspace
from carebook.settings import Settings

if TYPE_CHECKING:  # the search brings SQLAlchemy: imported when the database is open (attach)
    from carebook.services.register_search import RegisterIndex, SearchResult

SETTINGS_KEY = "children_page/columns"
BACKGROUND_ABOVE = 20_000  # registers larger than this load their index off the GUI thread
COUNT_STEP = 20_000  # rows counted per event-loop turn, so typing never waits for a total


class _LoadSignals(QObject):
    done = Signal(object)


class _Counter(QRunnable):
    """Counts per filter off the GUI thread: at 100,000 children a broad count takes a while."""

    def __init__(self, index: RegisterIndex, query: RegisterQuery) -> None:
        super().__init__()
        self.index = index
        self.query = query
        self.signals = _LoadSignals()

    def run(self) -> None:
        self.signals.done.emit((self.query, self.index.facet_counts(self.query)))


class _IndexLoader(QRunnable):
    def __init__(self, index: RegisterIndex) -> None:
        super().__init__()
        self.index = index
        self.signals = _LoadSignals()

    def run(self) -> None:
        try:
            self.index.load()
        except USER_ERRORS as exc:
            self.signals.done.emit(exc)
        else:
            self.signals.done.emit(None)


class ChildrenPage(QWidget):
    """Hook points for other pieces: `toolbar` (add 结对 / 登记走访 / 打印 actions),
    `current_uid()`, `selected_uids()`, `refresh()` and the `childSaved` signal.

    A quick start builds it with `opening()`: the first rows shown before the database is open
    for writing, nothing editable; `attach(workspace)` then makes it the full page."""

    indexReady = Signal()
    childSaved = Signal(str)
    resultShown = Signal()
    countsShown = Signal()

    def __init__(
        self,
        workspace: Workspace | None,
        *,
        background_above: int = BACKGROUND_ABOVE,
        settings: Settings | None = None,
        first_rows: list[RegisterRow] | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = workspace.settings if workspace is not None else settings
        assert self.settings is not None, "a page without a workspace needs the settings"
        self.index: RegisterIndex | None = None
        self.query = RegisterQuery()
        self.result: SearchResult | None = None
        self.dialog = None
        self._loader: _IndexLoader | None = None
        self._counters: list[_Counter] = []
        self._background_above = background_above
        self._first_rows = first_rows is not None
        self._build_ui()
        self._connect_signals()
        if first_rows is not None:
            self._show_first_rows(first_rows)
            # After the first rows: restoring a header state earlier gave some sections wrong
            # widths.
            self.columns.restore()
        if workspace is not None:
            self.attach(workspace)

    @classmethod
    def opening(cls, settings: Settings, first_rows: list[RegisterRow]) -> ChildrenPage:
        """The page showing these rows while the database is still being opened."""
        return cls(None, settings=settings, first_rows=first_rows)

    def attach(self, workspace: Workspace) -> None:
        """Work on this open workspace: load the index, enable searching and editing."""
        from carebook.services.register_search import register_index

        self.workspace = workspace
        self.settings = workspace.settings
        self.index = register_index(workspace.db)
        self._set_waiting(False)
        self._enable_header()
        self._start(self._background_above)
        if not self._first_rows:
            self.columns.restore()  # after the first rows, as above

    def _show_first_rows(self, rows: list[RegisterRow]) -> None:
        self.model.set_rows(rows)
        self.columns.size_from_sample()
        self._set_waiting(True)

    def _set_waiting(self, waiting: bool) -> None:
        """Nothing that searches or edits works before the index (or the database) is there."""
        if waiting:
            self.count_label.setText(tr("正在载入整个台账，稍候即可搜索和筛选……"))
            self.search.setPlaceholderText(tr("正在载入，稍候即可搜索……"))
        for widget in (self.toolbar, self.filters, *self.filters.toggles, self.chips):
            widget.setEnabled(not waiting)

    def _enable_header(self) -> None:
        """Sorting and the column menu, with the database: these name PySide6's Qt namespace,
        which costs the first rows 25-40 ms to build (see children_model)."""
        Qt = QtCore.Qt
        header = self.view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        blocked = self.model.blockSignals(True)  # Qt sorts at once by the (empty) indicator
        self.view.setSortingEnabled(True)
        self.model.blockSignals(blocked)

    # -- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel(tr("儿童台账"))
        title.setObjectName("page-title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        top.addWidget(title)
        self.toolbar = QToolBar(tr("儿童台账操作"))
        self.register_action = QAction(tr("登记儿童"), self)
        self.register_action.setToolTip(tr("登记一名新儿童（Ctrl+N）"))
        self.open_action = QAction(tr("打开档案"), self)
        self.open_action.setToolTip(tr("打开选中儿童的档案（Enter）"))
        self.visit_action = QAction(tr("登记走访"), self)
        self.visit_action.setToolTip(tr("为选中的儿童登记一次走访（同一家庭可多选）"))
        self.pair_action = QAction(tr("结对…"), self)
        self.pair_action.setToolTip(tr("为选中的儿童结对爱心妈妈"))
        self.toolbar.addAction(self.register_action)
        self.toolbar.addAction(self.open_action)
        self.print_action = QAction(tr("打印走访表"), self)
        self.print_action.setToolTip(tr("为选中的儿童打印走访记录表，每人一页"))
        self.roster_action = QAction(tr("打印花名册"), self)
        self.roster_action.setToolTip(tr("按当前筛选的村或乡镇打印花名册"))
        self.toolbar.addAction(self.visit_action)
        self.toolbar.addAction(self.pair_action)
        self.toolbar.addAction(self.print_action)
        self.toolbar.addAction(self.roster_action)
        self.toolbar.addSeparator()
        top.addWidget(self.toolbar, 1)
        # A push button: a tool button's menu arrow was drawn over the end of its text.
        self.columns_button = QPushButton(tr("显示的列"))
        top.addWidget(self.columns_button)
        layout.addLayout(top)

        self.search = SearchBox()
        self.filters = FilterBar()
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        for toggle in self.filters.toggles:
            search_row.addWidget(toggle)
        layout.addLayout(search_row)
        layout.addWidget(self.filters)
        self.chips = FilterChips()
        layout.addWidget(self.chips)

        spoken = QAccessible.isActive()  # a screen reader: see SpokenChildrenTableModel
        model_class = SpokenChildrenTableModel if spoken else ChildrenTableModel
        self.model = model_class(self, mask_numbers=self.settings.mask_personal_numbers)
        self.view = QTableView()
        self.view.setObjectName("children-table")
        # The list is read all day: a little larger than the rest (which follows 设置's scale).
        larger = self.view.font()
        larger.setPointSizeF(larger.pointSizeF() * 1.12)
        self.view.setFont(larger)
        self.search.setFont(larger)
        self.view.setModel(self.model)
        self.view.horizontalHeader().setModel(self.model.header_labels())
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        line = self.view.fontMetrics().height()
        self.view.verticalHeader().setDefaultSectionSize(int(line * 1.9))
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        layout.addWidget(self.view, 1)

        self.count_label = QLabel()
        self.count_label.setObjectName("count-label")
        layout.addWidget(self.count_label)
        self.columns = TableColumns(self.view, COLUMNS, SETTINGS_KEY, self._sample_texts)
        self.columns_button.setMenu(self.columns.menu(self))

    def _connect_signals(self) -> None:
        self.search.searchChanged.connect(self._text_changed)
        self.search.submitted.connect(self._open_first)
        self.search.moveDown.connect(self._focus_list)
        self.filters.changed.connect(self._filters_changed)
        self.chips.removed.connect(self._chip_removed)
        self.chips.clearAll.connect(self.clear_filters)
        self.model.sortRequested.connect(self._sort_changed)
        self.view.activated.connect(lambda index: self.open_child(self._uid_at(index.row())))
        self.view.horizontalHeader().customContextMenuRequested.connect(
            lambda pos: self.columns.menu(self).exec(self.view.horizontalHeader().mapToGlobal(pos))
        )
        self.register_action.triggered.connect(self.register_child)
        self.open_action.triggered.connect(self._open_current)
        self.visit_action.triggered.connect(
            lambda: log_visit(self, self.workspace, self.selected_uids()) and self.refresh()
        )
        self.print_action.triggered.connect(self.print_visit_sheets)
        self.roster_action.triggered.connect(self.print_roster)
        self.pair_action.triggered.connect(
            lambda: pair_child(self, self.workspace, self.current_uid()) and self.refresh()
        )
        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.New, self.register_child),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)  # the window's (Qt's default)
            shortcut.activated.connect(slot)
        self._count_timer = QTimer(self)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._count_more)
        self._facet_timer = QTimer(self)
        self._facet_timer.setSingleShot(True)
        self._facet_timer.setInterval(250)
        self._facet_timer.timeout.connect(self._update_facets)

    # -- loading --------------------------------------------------------------------------
    def _start(self, background_above: int) -> None:
        self.filters.set_places(self._places())
        if self.index.loaded:
            self.index.refresh()
            self._index_loaded(None)
            return
        from carebook.services.register_search import register_size_estimate

        if register_size_estimate(self.workspace.db) <= background_above:
            self.index.load()
            self._index_loaded(None)
            return
        # A large register: show the first page by SQL now, search once the index is in memory.
        if not self._first_rows:  # a quick start has shown them already
            self._show_first_rows(self.index.preview())
        self._set_waiting(False)  # editing works now: a saved child joins the loading index
        self.count_label.setText(tr("正在载入整个台账，稍候即可搜索和筛选……"))
        self.search.setPlaceholderText(tr("正在载入，稍候即可搜索……"))
        self._loader = _IndexLoader(self.index)
        self._loader.signals.done.connect(self._index_loaded)
        # Started once the window has painted its first rows: loading competes for the CPU.
        QTimer.singleShot(50, lambda: QThreadPool.globalInstance().start(self._loader))

    def _index_loaded(self, error: object) -> None:
        background = self._loader is not None
        self._loader = None
        if isinstance(error, Exception):
            show_error(self, error)
            return
        if background:
            self.index.refresh()  # children saved while the index was loading
        self.search.setPlaceholderText(
            tr("搜索：姓名、拼音或首字母（如 zzh）、身份证号、电话号码的一部分、村名  （Ctrl+F）")
        )
        self.run_search()
        self.indexReady.emit()

    @property
    def ready(self) -> bool:
        return self.index is not None and self.index.loaded and self._loader is None

    def _places(self) -> list[tuple[str, str]]:
        from carebook.services.register_search import all_places

        return all_places(self.workspace.db)

    # -- searching ------------------------------------------------------------------------
    def run_search(self, keep_uid: str | None = None) -> None:
        if self.index is None or not self.index.loaded:
            return
        keep_uid = keep_uid or self.current_uid()
        self.result = self.index.search(self.query)
        self.model.set_result(self.result)
        if not self.columns.sized:
            self.columns.size_from_sample()
        if keep_uid:
            self.select_uid(keep_uid)
        self._show_count()
        if not self.result.complete:
            self._count_timer.start()
        self._facet_timer.start()
        self.resultShown.emit()

    def _count_more(self) -> None:
        if self.result is None or self.result.advance(COUNT_STEP):
            self._count_timer.stop()
        self._show_count()

    def _show_count(self) -> None:
        result = self.result
        if result is None:
            return
        if result.complete:
            text = tr("显示 {shown} 名", shown=f"{result.total:,}")
        else:
            text = tr("已找到 {shown} 名以上，正在统计……", shown=f"{len(result.rows):,}")
        self.count_label.setText(text + tr("（台账共 {n} 名）", n=f"{result.register_size:,}"))

    def _update_facets(self) -> None:
        if self.index.size <= self._background_above:
            self._show_facets((self.query, self.index.facet_counts(self.query)))
            return
        counter = _Counter(self.index, self.query)
        counter.signals.done.connect(self._show_facets)
        self._counters.append(counter)  # kept alive until it reports
        QThreadPool.globalInstance().start(counter)

    def _show_facets(self, found: tuple[RegisterQuery, FacetCounts]) -> None:
        query, counts = found
        self._counters = [c for c in self._counters if c.query != query]
        if query != self.query:
            return  # the worker has typed on since: a newer count is on its way
        self.filters.set_counts(counts)
        self.chips.set_chips(self.filters.chips(counts))
        self.countsShown.emit()

    def _text_changed(self, text: str) -> None:
        self.query = replace(self.query, text=text)
        self.run_search()

    def _filters_changed(self) -> None:
        self.query = self.filters.apply(self.query)
        self.run_search()

    def _chip_removed(self, key: str) -> None:
        self.filters.clear(key)

    def clear_filters(self) -> None:
        self.filters.clear_all()

    def _sort_changed(self, key: str, descending: bool) -> None:
        self.query = replace(self.query, sort=key, descending=descending)
        self.run_search()

    def _sample_texts(self, key: str) -> list[str]:
        """What the first rows show in a column, to size it (never all 100,000 rows)."""
        rows = (self.model.row_at(r) for r in range(min(FIRST_ROWS, self.model.rowCount())))
        return [self.model.display(row, key) for row in rows if row]

    # -- rows and selection ---------------------------------------------------------------
    def _uid_at(self, row: int) -> str | None:
        found = self.model.row_at(row)
        return found.uid if found else None

    def current_uid(self) -> str | None:
        index = self.view.currentIndex()
        return self._uid_at(index.row()) if index.isValid() else None

    def selected_uids(self) -> list[str]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [uid for uid in (self._uid_at(r) for r in rows) if uid]

    def select_uid(self, uid: str) -> bool:
        row = self.model.row_of_uid(uid)
        if row < 0:
            return False
        self.view.selectRow(row)
        self.view.setCurrentIndex(self.model.index(row, 0))
        return True

    def _open_first(self) -> None:
        if self.model.rowCount() == 0:
            return
        if not self.view.currentIndex().isValid():
            self.view.selectRow(0)
        self.open_child(self.current_uid())

    def _focus_list(self) -> None:
        self.view.setFocus()
        if not self.view.currentIndex().isValid() and self.model.rowCount():
            self.view.selectRow(0)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- the child's file -----------------------------------------------------------------
    def register_child(self) -> None:
        if self.workspace is not None:
            self._show_dialog(None)

    def open_child(self, uid: str | None) -> None:
        """Open this child's file (nothing happens without a child, or before the database)."""
        if uid and self.workspace is not None:
            self._show_dialog(uid)

    def _open_current(self) -> None:
        self.open_child(self.current_uid())

    def _show_dialog(self, uid: str | None) -> None:
        from carebook.gui.dialogs.child_dialog import ChildDialog

        try:
            self.dialog = ChildDialog(self.workspace, uid, places=self._places(), parent=self)
        except USER_ERRORS as exc:  # e.g. removed by an import meanwhile
            show_error(self, exc)
            self.refresh()
            return
        self.dialog.saved.connect(self._child_saved)
        self.dialog.openOther.connect(self.open_child)
        self.dialog.open()

    def _child_saved(self, uid: str) -> None:
        if not self.ready:
            self.childSaved.emit(uid)  # the loading index will pick it up when it is done
            return
        self.index.refresh_uid(uid)
        self.filters.set_places(self._places())
        self.run_search(keep_uid=uid)
        self.childSaved.emit(uid)

    def refresh(self) -> None:
        """Pick up changes made elsewhere (imports, visits, pairings) and search again."""
        if self.index is not None and self.index.loaded and self.index.refresh():
            self.filters.set_places(self._places())
            self.run_search()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._follow_masking()
        if self.ready and self.result is not None:
            self.refresh()

    def _follow_masking(self) -> None:
        """设置's 隐私 switch takes effect on the list at once: turned on, full numbers kept
        showing until the program was restarted."""
        mask = self.settings.mask_personal_numbers
        if self.model.mask_numbers == mask:
            return
        self.model.mask_numbers = mask
        if self.model.rowCount():
            last = self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1)
            self.model.dataChanged.emit(self.model.index(0, 0), last)

    def hideEvent(self, event) -> None:
        self.columns.save()
        super().hideEvent(event)

    def print_visit_sheets(self) -> None:
        from carebook.gui import printing_actions  # printing brings reportlab: load on demand

        uids = self.selected_uids()
        if not uids:
            QMessageBox.information(self, tr("关爱簿"), tr("请先在名单中选中儿童。"))
            return
        self._print_job = printing_actions.print_visit_sheets_for(self, self.workspace, uids)

    def print_roster(self) -> None:
        from carebook.gui import printing_actions

        self._print_job = printing_actions.print_roster(
            self,
            self.workspace,
            village=self.query.village or None,
            township=self.query.township or None,
        )
