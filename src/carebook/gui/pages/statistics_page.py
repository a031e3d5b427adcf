"""统计: the figures the federation and the county ask for, for a chosen period, with charts,
exportable as a table file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.dates import parse_period
from carebook.gui.pages.care_table import RowTableModel, make_table
from carebook.gui.pages.statistics_charts import (
    fill_monthly_line,
    fill_village_bars,
    monthly_line,
    village_bars,
)
from carebook.gui.pages.today import FollowsToday
from carebook.gui.state import USER_ERRORS, show_error
from carebook.gui.workers import JobRunner, start_job
from carebook.i18n import tr
from carebook.services import care_figures
from carebook.services.workspace import Workspace

CARD_STYLE = (
    "QLabel { background: #f3f6fa; border: 1px solid #d5dde8; border-radius: 6px;"
    " padding: 8px; font-size: 12pt; }"
)


class StatisticsPage(FollowsToday, QWidget):
    def __init__(self, workspace: Workspace, *, today: date | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self._fixed_today = today
        self.view: care_figures.Overview | None = None
        self.job: JobRunner | None = None  # the count in progress, if any
        self._build_ui()
        self._connect_signals()
        self.refresh()

    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(f"<h2>{tr('统计')}</h2>"))
        bar.addSpacing(20)
        bar.addWidget(QLabel(tr("统计时段")))
        self.period = QLineEdit(f"{self.today.year}-Q{(self.today.month - 1) // 3 + 1}")
        self.period.setToolTip(tr("如 2026-11、2026-Q4、2026 或 2026-01-01..2026-06-30"))
        self.apply_button = QPushButton(tr("统计"))
        self.export_button = QPushButton(tr("导出统计表…"))
        for w in (self.period, self.apply_button):
            bar.addWidget(w)
        bar.addStretch()
        bar.addWidget(self.export_button)
        outer.addLayout(bar)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.cards: dict[str, QLabel] = {}
        grid = QGridLayout()
        names = (
            "在册儿童",
            "结对覆盖率",
            "时段内走访",
            "应走访 / 已走访",
            "当前逾期",
            "新增 / 退出",
            "帮扶金额",
        )
        for n, name in enumerate(names):
            card = QLabel()
            card.setStyleSheet(CARD_STYLE)
            card.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # Seven English titles in one row ran past a 1024-pixel screen: they wrap instead.
            card.setWordWrap(True)
            self.cards[name] = card
            grid.addWidget(card, 0, n)
        layout.addLayout(grid)
        charts = QHBoxLayout()
        bars_view, self.bars = village_bars()
        line_view, self.line = monthly_line()
        charts.addWidget(bars_view, 3)
        charts.addWidget(line_view, 2)
        layout.addLayout(charts)
        self.tables = QTabWidget()
        self.tables.setMinimumHeight(300)
        self.models: dict[str, RowTableModel] = {}
        self.table_views: dict[str, QTableView] = {}
        for key, label in (
            ("villages", "分村×类别"),
            ("age", "年龄段×性别"),
            ("coverage", "分类别结对覆盖率"),
            ("assistance", "帮扶分项目"),
        ):
            model = RowTableModel([])
            self.models[key] = model
            self.table_views[key] = make_table(model)
            self.tables.addTab(self.table_views[key], tr(label))
        layout.addWidget(self.tables, 1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

    def _connect_signals(self) -> None:
        self.apply_button.clicked.connect(self.refresh)
        self.period.returnPressed.connect(self.refresh)
        self.export_button.clicked.connect(self.export)

    def refresh(self) -> None:
        """Count off the GUI thread: on a big register that takes about a second."""
        try:
            start, end = parse_period(self.period.text(), today=self.today)
        except USER_ERRORS as error:
            show_error(self, error)
            return
        if self.job is not None:
            self.job.cancel()  # a newer period wins; the older count's result is dropped
        db, today = self.workspace.db, self.today
        self.apply_button.setEnabled(False)
        runner: JobRunner | None = None

        def done(view: object) -> None:
            if runner is self.job and shiboken6.isValid(self):
                self.job = None
                self.apply_button.setEnabled(True)
                self.view = view
                self._show(view)

        def failed(error: Exception) -> None:
            if runner is self.job and shiboken6.isValid(self):
                self.job = None
                self.apply_button.setEnabled(True)
                show_error(self, error)

        runner = start_job(
            self,
            lambda: care_figures.overview_job(db, start, end, today=today),
            title=tr("正在统计…"),
            on_done=done,
            on_failed=failed,
        )
        self.job = runner

    def _show(self, view: care_figures.Overview) -> None:
        p = view.period
        values = {
            "在册儿童": f"{p.in_register}",
            "结对覆盖率": f"{p.pairing_coverage:.1%}",
            "时段内走访": tr("{n} 次", n=p.visits_in_period),
            # Children both: the visits (a child visited twice is two) are the card before.
            "应走访 / 已走访": tr("{d} / {v} 名", d=p.due_in_period, v=p.visited_children),
            "当前逾期": tr("{n} 名", n=p.overdue),
            "新增 / 退出": f"{p.joined} / {p.left}",
            "帮扶金额": tr("{v} 元", v=f"{p.assistance_value:,.0f}"),
        }
        for name, card in self.cards.items():
            figure = str(values[name]).replace(" ", "&nbsp;")  # the title wraps, the figure not
            card.setText(f"<small>{tr(name)}</small><br><b>{figure}</b>")
        tables = {t[0]: t for t in care_figures.figure_tables(view)}
        for key, title in (
            ("villages", "分村统计"),
            ("age", "年龄段×性别"),
            ("coverage", "分类别结对覆盖率"),
            ("assistance", "帮扶分项目"),
        ):
            _title, header, rows = tables[title]
            self.models[key].set_rows([tuple(r) for r in rows], headers=[tr(h) for h in header])
            # One row per village at most: small enough to fit every column to its header.
            self.table_views[key].resizeColumnsToContents()
        fill_village_bars(self.bars, view.villages)
        fill_monthly_line(self.line, view.monthly_visits)

    def export(self) -> None:
        if self.view is None:
            return
        start, end = self.view.period.start, self.view.period.end
        suggested = Path.home() / f"统计表_{start:%Y%m%d}-{end:%Y%m%d}.csv"
        name, _ = QFileDialog.getSaveFileName(
            self, tr("导出统计表"), str(suggested), tr("表格文件 (*.csv)")
        )
        if not name:
            return
        try:
            path = care_figures.export_figures(
                self.workspace.db, self.view, Path(name), origin=self.workspace.origin()
            )
        except (OSError, *USER_ERRORS) as error:
            show_error(self, error)
            return
        QMessageBox.information(self, tr("统计"), tr("统计表已导出到 {path}", path=path))
