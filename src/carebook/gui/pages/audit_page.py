"""操作记录: the whole audit log, newest first, for whoever answers for the children's data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.dates import parse_period
from carebook.domain.errors import DomainError
from carebook.gui.pages.care_table import RowTableModel, make_table, set_widths
from carebook.gui.state import USER_ERRORS, show_error
from carebook.gui.workers import start_job
from carebook.i18n import tr
from carebook.services.audit_log import (
    LogFilter,
    LogLine,
    action_choices,
    count_entries,
    export_log,
    log_lines,
)
from carebook.services.workspace import Workspace


def _headers() -> list[str]:
    return [
        tr("时间"),
        tr("操作人"),
        tr("操作"),
        tr("对象"),
        tr("字段"),
        tr("原值"),
        tr("新值"),
        tr("来源"),
    ]


class AuditPage(QWidget):
    def __init__(self, workspace: Workspace, *, today: date | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.today = today or date.today()
        self._build_ui()
        self._connect_signals()  # the log is read when the page is shown (showEvent)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('操作记录')}</h2>"))
        note = QLabel(
            tr(
                "谁在什么时候登记、修改、查看完整号码、导出或打印了什么。"
                "身份证号在记录里已打码；记录不能修改或删除。"
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        bar = QHBoxLayout()
        self.action = QComboBox()
        self.action.addItem(tr("全部操作"), None)
        for label, key in action_choices():
            self.action.addItem(label, key)
        self.period = QLineEdit()
        self.period.setPlaceholderText(tr("全部；或 2026、2026-Q4、2026-11"))
        hint = self.period.fontMetrics().horizontalAdvance(self.period.placeholderText())
        self.period.setMinimumWidth(hint + 16)
        self.text = QLineEdit()
        self.text.setClearButtonEnabled(True)
        self.text.setPlaceholderText(tr("姓名、操作人、文件名…"))
        self.refresh_button = QPushButton(tr("刷新"))
        self.export_button = QPushButton(tr("导出…"))
        self.export_button.setToolTip(tr("把筛选出的记录存为 CSV 文件（Excel、WPS 可打开）"))
        bar.addWidget(QLabel(tr("操作")))
        bar.addWidget(self.action)
        bar.addWidget(QLabel(tr("时段")))
        bar.addWidget(self.period)
        bar.addWidget(QLabel(tr("查找")))
        bar.addWidget(self.text, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self.count = QLabel()
        layout.addWidget(self.count)
        self.model = RowTableModel(_headers())
        self.table = make_table(self.model)
        self.table.setSortingEnabled(False)  # newest first; the log is read page by page
        when = self.table.fontMetrics().horizontalAdvance("2026-11-28 14:03") + 24
        set_widths(self.table, {0: when, 1: 80, 2: 95, 3: 120, 4: 90, 5: 100, 6: 290})
        layout.addWidget(self.table, 1)

    def _connect_signals(self) -> None:
        self.action.currentIndexChanged.connect(self.refresh)
        self.period.editingFinished.connect(self.refresh)
        self.text.returnPressed.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()  # what was done on the other pages since

    def current_filter(self) -> LogFilter | None:
        """The filter the bar describes, or None (and a sentence) when the period is unclear."""
        start = end = None
        if self.period.text().strip():
            try:
                start, end = parse_period(self.period.text(), today=self.today)
            except DomainError as error:
                self.count.setText(error.message)
                return None
        return LogFilter(self.action.currentData(), start, end, self.text.text())

    def refresh(self) -> None:
        wanted = self.current_filter()
        if wanted is None:
            return
        db = self.workspace.db
        total = count_entries(db, wanted)

        def fetch(offset: int, limit: int) -> tuple[list[tuple], list[LogLine]]:
            lines = log_lines(db, wanted, offset=offset, limit=limit)
            return [_cells(line) for line in lines], lines

        self.model.set_source(total, fetch)
        self.count.setText(tr("共 {n} 条记录，最新的在最上面", n=total))

    def export(self) -> Path | None:
        """The entries the bar picks, to a CSV file the worker names (for an inspection)."""
        wanted = self.current_filter()
        if wanted is None:
            return None
        start = str(Path.home() / f"{tr('操作记录')}-{self.today:%Y%m%d}.csv")
        name, _ = QFileDialog.getSaveFileName(
            self, tr("导出操作记录"), start, tr("CSV 文件 (*.csv)")
        )
        if not name:
            return None
        target = Path(name) if name.lower().endswith(".csv") else Path(name + ".csv")
        db, origin = self.workspace.db, self.workspace.origin("界面导出")

        def done(n: object) -> None:
            QMessageBox.information(
                self, tr("关爱簿"), tr("已导出 {n} 条记录到 {path}", n=n, path=target)
            )
            self.refresh()  # the export is itself an entry

        def failed(error: Exception) -> None:
            if not isinstance(error, USER_ERRORS):
                raise error  # a defect: the crash handler logs it and says so
            show_error(self, error)

        # Off the GUI thread with 取消: a county's years of log take half a minute.
        self._export_job = start_job(
            self,
            lambda: export_log(db, wanted, target, origin=origin),
            title=tr("导出操作记录"),
            on_done=done,
            on_failed=failed,
        )
        return target


def _cells(line: LogLine) -> tuple:
    return (
        line.at.strftime("%Y-%m-%d %H:%M"),
        line.actor,
        line.action,
        line.subject,
        # Written as the Chinese field name and source: shown in the chosen language where the
        # catalogue knows them (values stay as recorded).
        tr(line.field) if line.field else "",
        line.old_value,
        line.new_value,
        tr(line.source) if line.source else "",
    )
