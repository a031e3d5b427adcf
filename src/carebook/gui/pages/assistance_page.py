"""帮扶: the ledger of help given, filtered by period, project, provider and search, with totals.

A county's year holds tens of thousands of records: the list reads a page at a time as the worker
scrolls (newest first, or sorted in SQL by a header click) and the figures come from SQL over the
whole filter, so the page opens at once whatever the period.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.dates import parse_period
from carebook.domain.errors import DomainError
from carebook.gui.dialogs.assistance_dialog import AssistanceDialog
from carebook.gui.pages.care_table import RowTableModel, make_table, selected_payloads, set_widths
from carebook.gui.pages.today import FollowsToday
from carebook.gui.state import USER_ERRORS, show_error
from carebook.i18n import tr
from carebook.services import assistance as assistance_service
from carebook.services.workspace import Workspace

HEADERS = ["日期", "儿童", "村（社区）", "项目", "内容", "数量", "价值（元）", "提供者", "来自活动"]
# The AssistanceRow field each column shows, for sorting the whole list in SQL.
CELL_FIELDS = [
    "given_on",
    "child_name",
    "village",
    "project",
    "content",
    "quantity",
    "value_yuan",
    "provider",
    "activity",
]
TOTAL_HEADERS = ["", "记录数", "金额（元）"]


class AssistancePage(FollowsToday, QWidget):
    def __init__(self, workspace: Workspace, *, today: date | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self._fixed_today = today
        self._sort: tuple[str, bool] | None = None  # newest first until a header is clicked
        self._build_ui()
        self._connect_signals()
        self.refresh()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('帮扶')}</h2>"))
        bar = QHBoxLayout()
        self.period = QLineEdit(str(self.today.year))
        self.period.setPlaceholderText(tr("如 2026、2026-Q4、2026-11 或 2026-01-01..2026-06-30"))
        self.project = QComboBox()
        self.provider = QComboBox()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("搜索：儿童姓名、拼音、身份证号或帮扶内容"))
        self._debounce = QTimer(self)  # one reading when the worker stops typing
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self.add_button = QPushButton(tr("登记帮扶…"))
        self.delete_button = QPushButton(tr("删除记录"))
        for label, w in (
            (tr("时段"), self.period),
            (tr("项目"), self.project),
            (tr("提供者"), self.provider),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.delete_button)
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 12pt;")
        layout.addWidget(self.summary)
        split = QSplitter()
        self.model = RowTableModel([tr(h) for h in HEADERS])
        self.table = make_table(self.model)
        set_widths(self.table, {0: 95, 1: 70, 2: 90, 3: 100, 4: 110, 5: 50, 6: 80, 7: 90})
        split.addWidget(self.table)
        self.totals = QTabWidget()
        self.total_models = {}
        for key, label in (
            ("by_project", "按项目"),
            ("by_provider", "按提供者"),
            ("by_month", "按月"),
        ):
            model = RowTableModel([tr(h) for h in TOTAL_HEADERS])
            self.total_models[key] = model
            self.totals.addTab(make_table(model), tr(label))
        split.addWidget(self.totals)
        split.setSizes([800, 340])
        layout.addWidget(split, 1)
        self._fill_choices()

    def _fill_choices(self) -> None:
        for combo, names, every in (
            (self.project, assistance_service.projects(self.workspace.db), tr("全部项目")),
            (self.provider, assistance_service.providers(self.workspace.db), tr("全部提供者")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(every, "")
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _connect_signals(self) -> None:
        self.period.editingFinished.connect(self.refresh)
        self.project.currentIndexChanged.connect(self.refresh)
        self.provider.currentIndexChanged.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self._debounce.timeout.connect(self.refresh)
        self.add_button.clicked.connect(self.add)
        self.delete_button.clicked.connect(self.delete)

    def current_filter(self) -> assistance_service.AssistanceFilter | None:
        """The filter the bar describes, or None (the summary says why) for an unclear period."""
        try:
            start, end = parse_period(self.period.text(), today=self.today)
        except DomainError as error:
            self.summary.setText(error.message)
            return None
        return assistance_service.AssistanceFilter(
            start=start,
            end=end,
            project=self.project.currentData() or "",
            provider=self.provider.currentData() or "",
            search=self.search.text(),
        )

    def refresh(self) -> None:
        self._debounce.stop()
        wanted = self.current_filter()
        if wanted is None:
            return
        summary = assistance_service.ledger_summary(self.workspace.db, wanted)
        self._show(wanted, summary.records)
        for key, model in self.total_models.items():
            totals = getattr(summary, key)
            model.set_rows([(t.key, t.records, t.value) for t in totals], totals)
        text = tr(
            "{a} 至 {b}：帮扶 {n} 人次，涉及儿童 {c} 名，合计 {v} 元",
            a=wanted.start,
            b=wanted.end,
            n=summary.records,
            c=summary.children,
            v=summary.total_value,
        )
        if summary.records > self.model.rowCount():
            text += tr("（列表先显示最新的 {m} 条，向下滚动继续显示）", m=self.model.rowCount())
        self.summary.setText(text)

    def _show(self, wanted: assistance_service.AssistanceFilter, total: int) -> None:
        # A header clicked earlier still sorts the list the filter now gives, as it shows.
        db, sort = self.workspace.db, self._sort

        def fetch(offset: int, limit: int) -> tuple[list[tuple], list]:
            rows = assistance_service.ledger_page(db, wanted, offset=offset, limit=limit, sort=sort)
            return [_cells(r) for r in rows], rows

        def resort(column: int, descending: bool) -> None:
            self._sort = (CELL_FIELDS[column], descending)
            self._show(wanted, total)

        self.model.set_source(total, fetch, sorter=resort)

    def add(self) -> None:
        if AssistanceDialog(self.workspace, (), self, today=self.today).exec():
            self._fill_choices()
            self.refresh()

    def delete(self) -> None:
        chosen = selected_payloads(self.table)
        if not chosen:
            QMessageBox.information(self, tr("帮扶"), tr("请先选中一条帮扶记录。"))
            return
        row = chosen[0]
        answer = QMessageBox.question(
            self,
            tr("删除帮扶记录"),
            tr(
                "删除 {name} 在 {day} 的“{what}”？",
                name=row.child_name,
                day=row.given_on,
                what=row.content,
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            assistance_service.delete_assistance(
                self.workspace.db, row.uid, origin=self.workspace.origin()
            )
        except USER_ERRORS as error:
            show_error(self, error)
        self.refresh()


def _cells(r: assistance_service.AssistanceRow) -> tuple:
    return (
        r.given_on,
        r.child_name,
        r.village,
        r.project,
        r.content,
        assistance_service.quantity_text(r.quantity),
        r.value_yuan,
        r.provider,
        r.activity,
    )
