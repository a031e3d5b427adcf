"""导入台账: file → sheets → preview → column mapping → plan → apply (cancellable) → summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.dialogs.import_wizard_pages import WizardPages
from carebook.gui.workers import JobRunner
from carebook.i18n import tr
from carebook.services.ledger_import import (
    ImportOptions,
    ImportResult,
    apply_import,
    build_plan,
    save_mapping,
)
from carebook.services.ledger_plan import ImportPasswordNeeded, ImportPlan
from carebook.services.ledger_report import write_error_report
from carebook.services.ledger_views import (
    columns_of,
    field_label,
    issue_rows,
    mapping_choices,
    preview,
    row_as_it_was,
    table_of,
)
from carebook.services.workspace import Workspace

FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.et);;所有文件 (*)"
STEPS = ("选择文件", "工作表", "预览", "列对应", "导入计划", "导入", "完成")
FILE, SHEETS, PREVIEW, MAPPING, PLAN, APPLY, SUMMARY = range(7)


class ImportWizard(WizardPages, QDialog):
    plan_ready = Signal()
    finished_import = Signal()
    failed = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, path=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self._runner: JobRunner | None = None
        self._applying = False
        self._mappings: dict[str, dict[str, str | None]] = {}
        self._combos: list[tuple[str, QComboBox]] = []
        self._build_ui()
        self._connect_signals()
        self._show_step(FILE)
        if path:
            self.path_edit.setText(str(path))

    # ---- layout -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setWindowTitle(tr("导入台账"))
        self.resize(1000, 680)
        layout = QVBoxLayout(self)
        self.step_label = QLabel()
        layout.addWidget(self.step_label)
        self.stack = QStackedWidget()
        for build in (
            self._file_page,
            self._sheets_page,
            self._preview_page,
            self._mapping_page,
            self._plan_page,
            self._apply_page,
            self._summary_page,
        ):
            self.stack.addWidget(build())
        layout.addWidget(self.stack, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(tr("上一步"))
        self.next_button = QPushButton(tr("下一步"))
        self.close_button = QPushButton(tr("关闭"))
        buttons.addStretch()
        for button in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        # Enter typed after the file's password checks the file (see _show_step); as
        # auto-default buttons, 选择文件… opened the file picker instead, or a later step's
        # button acted on an Enter meant for a field.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)

    def _connect_signals(self) -> None:
        self.browse_button.clicked.connect(self._browse)
        self.back_button.clicked.connect(self._back)
        self.next_button.clicked.connect(self._next)
        self.close_button.clicked.connect(self.reject)
        self.level_filter.currentIndexChanged.connect(self._filter_issues)
        self.search_edit.textChanged.connect(self._filter_issues)
        self.issue_view.doubleClicked.connect(lambda index: self.show_row(index.row()))
        self.apply_button.clicked.connect(self.start_apply)
        self.cancel_button.clicked.connect(self.cancel_apply)
        self.report_button.clicked.connect(self._save_report)

    # ---- navigation ---------------------------------------------------------------------
    def _show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        marks = [f"<b>{tr(s)}</b>" if i == step else tr(s) for i, s in enumerate(STEPS)]
        self.step_label.setText(" → ".join(marks))
        self.back_button.setEnabled(step not in (FILE, APPLY, SUMMARY))
        self.next_button.setVisible(step not in (APPLY, SUMMARY))
        self.next_button.setText(tr("检查文件") if step == FILE else tr("下一步"))
        self.next_button.setDefault(step == FILE)  # checking writes nothing: safe on Enter
        self.close_button.setText(tr("完成") if step == SUMMARY else tr("关闭"))
        self.message.clear()

    def _back(self) -> None:
        self._show_step(max(FILE, self.stack.currentIndex() - 1))

    def _next(self) -> None:
        step = self.stack.currentIndex()
        if step == FILE:
            self.read_file()
        elif step == MAPPING and self._mapping_changed():
            self.read_file(after=PLAN)
        elif step == PLAN:
            self._prepare_apply()
            self._show_step(APPLY)
        else:
            self._show_step(step + 1)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("选择要导入的台账"), "", tr(FILE_FILTER))
        if name:
            self.path_edit.setText(name)

    # ---- reading and planning -----------------------------------------------------------
    def options(self) -> ImportOptions:
        return ImportOptions(
            category=self.category_combo.currentData() or None,
            township=self.township_edit.text().strip() or None,
            village=self.village_edit.text().strip() or None,
            password=self.password_edit.text() or None,
            mappings=dict(self._mappings),
        )

    def read_file(self, after: int = SHEETS) -> None:
        path = Path(self.path_edit.text().strip())
        if not self.path_edit.text().strip():
            self.message.setText(tr("请先选择要导入的文件。"))
            return
        db, options = self.workspace.db, self.options()
        self.next_button.setEnabled(False)
        self.message.setStyleSheet("color: #555;")
        self.message.setText(tr("正在读取和检查文件…"))
        self._run(
            lambda: build_plan(db, path, options),
            lambda plan: self._plan_built(plan, after),
        )

    def _run(self, factory, done) -> JobRunner:
        runner = JobRunner(factory)
        runner.signals.finished.connect(done)
        runner.signals.failed.connect(self._job_failed)
        self._runner = runner
        QThreadPool.globalInstance().start(runner)
        return runner

    def _job_failed(self, error: Exception) -> None:
        self._applying = False
        self.close_button.setEnabled(True)
        self.next_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.message.setStyleSheet("color: #b00020;")
        text = getattr(error, "message", None) or str(error)
        if isinstance(error, ImportPasswordNeeded):
            self._show_step(FILE)
            self.password_edit.setFocus()
        self.message.setText(text)
        self.failed.emit(text)

    def _plan_built(self, plan: ImportPlan, after: int) -> None:
        self.plan = plan
        self.next_button.setEnabled(True)
        self._fill_sheets(plan)
        for combo in (self.preview_sheet, self.mapping_sheet):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([t.sheet for t in plan.tables])
            combo.blockSignals(False)
        self._sheet_changed(plan.tables[0].sheet)
        self._fill_plan(plan)
        self._show_step(after)
        self.plan_ready.emit()

    def _fill_sheets(self, plan: ImportPlan) -> None:
        lines = [f"<p>{tr('<b>文件：</b>{file}', file=plan.file)}</p><ul>"]
        for sheet in plan.sheets:
            if sheet.skipped:
                lines.append(
                    f"<li>{tr('跳过“{name}”：{reason}', name=sheet.name, reason=sheet.reason)}</li>"
                )  # fmt: skip
                continue
            kind = tr("爱心妈妈名单") if sheet.kind == "volunteer" else tr("儿童名单")
            rows = "、".join(str(n) for n in sheet.header_rows)
            notes = "".join(f"<br>· {n}" for n in sheet.notes)
            line = tr("<b>“{name}”</b>：{kind}，", name=sheet.name, kind=kind)
            line += tr("表头在第 {r} 行，数据 {n} 行", r=rows, n=sheet.rows)
            lines.append(f"<li>{line}{notes}</li>")
        self.sheets_label.setText("".join(lines) + "</ul>")

    def _sheet_changed(self, sheet: str) -> None:
        if self.plan is None or not sheet:
            return
        for combo in (self.preview_sheet, self.mapping_sheet):
            if combo.currentText() != sheet:
                combo.blockSignals(True)
                combo.setCurrentText(sheet)
                combo.blockSignals(False)
        rows, header_count = preview(self.plan, sheet)
        self.preview_model.set_rows(rows, header_count)
        table = table_of(self.plan, sheet)
        title = table.title if table else ""
        self.preview_title.setText(
            tr("蓝色底纹是识别出的表头（第 {r} 行）。", r="、".join(map(str, table.header_rows)))
            + (tr("表头上方的标题：{t}", t=title) if title else "")
        )
        header = self.preview_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in range(self.preview_model.columnCount()):
            self.preview_view.setColumnWidth(column, 110)
        id_column = table.field_columns().get("id_number") if table else None
        if id_column is not None:
            self.preview_view.setColumnWidth(id_column, 170)
        self._fill_mapping(sheet)

    def _fill_mapping(self, sheet: str) -> None:
        table = table_of(self.plan, sheet)
        holder = QWidget()
        form = QFormLayout(holder)
        self._combos = []
        choices = mapping_choices(table.kind)
        for column in columns_of(table):
            combo = QComboBox()
            combo.addItem(tr(field_label(table.kind, None)), "")
            for name, label in choices:
                combo.addItem(tr(label), name)
            combo.setCurrentIndex(max(0, combo.findData(column.field or "")))
            label = column.header + (f"（{column.note}）" if column.note else "")
            if column.field is None:
                label = f"<span style='color:#b00020'>{label}</span>"
            form.addRow(QLabel(label), combo)
            self._combos.append((column.key, combo))
        self._mapping_sheet_name = sheet
        self.mapping_area.setWidget(holder)

    def set_mapping(self, header_key: str, field: str) -> None:
        """Choose the field for a column (what a user does with the drop-down)."""
        for key, combo in self._combos:
            if key == header_key:
                combo.setCurrentIndex(combo.findData(field))

    def _mapping_changed(self) -> bool:
        table = table_of(self.plan, self._mapping_sheet_name)
        chosen = {key: combo.currentData() or None for key, combo in self._combos}
        offered = {name for name, _label in mapping_choices(table.kind)}
        current = {c.key: c.field if c.field in offered else None for c in columns_of(table)}
        if chosen == current:
            return False
        self._mappings[table.sheet] = chosen
        if self.remember.isChecked():
            save_mapping(self.workspace.db, table.with_mapping(chosen))
        return True

    def _fill_plan(self, plan: ImportPlan) -> None:
        counts = plan.counts
        self.counts_label.setText(
            tr(
                "<b>共 {n} 行</b>：新增 {c}，更新 {u}，无变化 {s}，跳过 {k}。"
                "错误 {e} 条（这些行不会导入），提醒 {w} 条。",
                n=len(plan.rows),
                c=counts["create"],
                u=counts["update"],
                s=counts["unchanged"],
                k=counts["skipped"],
                e=len(plan.errors),
                w=len(plan.warnings),
            )
        )
        self._all_issues = issue_rows(plan)
        self._filter_issues()

    def _filter_issues(self) -> None:
        level = self.level_filter.currentData()
        needle = self.search_edit.text().strip()
        rows = [
            r
            for r in getattr(self, "_all_issues", [])
            if (not level or r.level == level)
            and (not needle or needle in f"{r.name}{r.column}{r.message}")
        ]
        self.issue_model.set_rows(rows)
        for column, width in enumerate((60, 110, 50, 110, 90)):
            self.issue_view.setColumnWidth(column, width)

    def show_row(self, row: int) -> None:
        if not 0 <= row < self.issue_model.rowCount():
            return
        issue = self.issue_model.issue(row)
        cells = row_as_it_was(self.plan, issue.sheet, issue.row)
        body = "".join(f"<tr><td><b>{h}</b></td><td>{v}</td></tr>" for h, v in cells)
        box = QMessageBox(self)
        box.setWindowTitle(tr("第 {n} 行原样", n=issue.row))
        box.setText(
            f"<p>{tr('工作表')}“{issue.sheet}” {tr('第 {n} 行', n=issue.row)}："
            f"{issue.message}</p><table>{body}</table>"
        )
        box.open()
        self._row_box = box

    # ---- applying -----------------------------------------------------------------------
    def _prepare_apply(self) -> None:
        counts = self.plan.counts
        self.apply_label.setText(
            tr(
                "将新增 {c} 行、更新 {u} 行；跳过的 {k} 行（有错误或重复填写）不导入。"
                "导入前会先备份数据库，导入中途取消则台账保持原样。",
                c=counts["create"],
                u=counts["update"],
                k=counts["skipped"],
            )
        )
        self.progress.setValue(0)
        self.apply_button.setEnabled(True)

    def start_apply(self) -> None:
        db, plan, paths = self.workspace.db, self.plan, self.workspace.paths
        origin = self.workspace.origin()
        rules = self.workspace.visit_rules()
        self.apply_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.close_button.setEnabled(False)
        self._applying = True
        runner = self._run(
            lambda: apply_import(
                db, plan, backups_dir=paths.backups_dir, origin=origin, rules=rules
            ),
            self._applied,
        )
        runner.signals.progress.connect(self._progress)
        runner.signals.cancelled.connect(self._cancelled)

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(message or "%p%")

    def cancel_apply(self) -> None:
        if self._runner is not None:
            self._runner.cancel()

    def reject(self) -> None:
        # Closing mid-import would leave the user unsure what happened: cancel first.
        if self._applying:
            self.message.setText(tr("正在导入，请先点“取消导入”或等待完成。"))
            return
        super().reject()

    def _cancelled(self) -> None:
        self._applying = False
        self.close_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.apply_button.setEnabled(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(tr("已取消导入，台账没有任何改动。"))
        self.failed.emit("cancelled")

    def _applied(self, result: ImportResult) -> None:
        self._applying = False
        self.result = result
        self.close_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        counts = result.plan.counts
        backup = tr("导入前的备份：{p}", p=result.backup.name) if result.backup else ""
        problems = len(result.plan.errors) + len(result.plan.warnings)
        advice = (
            tr("有问题的行可以保存为报告，发回村里改正后再导入同一文件。")
            if problems
            else tr("每一行都没有问题，不需要问题报告。")
        )
        self.summary_label.setText(
            tr(
                "<h3>导入完成</h3><p>新增 {c} 名，更新 {u} 名，无变化 {s} 名，跳过 {k} 行。</p>"
                "<p>{backup}</p><p>{advice}</p>",
                c=counts["create"],
                u=counts["update"],
                s=counts["unchanged"],
                k=counts["skipped"],
                backup=backup,
                advice=advice,
            )
        )
        self.report_button.setVisible(problems > 0)
        self._show_step(SUMMARY)
        self.finished_import.emit()

    def save_report_to(self, path: Path) -> Path:
        return write_error_report(
            self.plan,
            path,
            password=self.password_edit.text() or None,
            db=self.workspace.db,
            origin=self.workspace.origin("界面导出"),
        )

    def _save_report(self) -> None:
        default = str(Path(self.plan.path).with_name(f"{Path(self.plan.file).stem}-问题.xlsx"))
        name, _ = QFileDialog.getSaveFileName(self, tr("保存问题报告"), default, "Excel (*.xlsx)")
        if name:
            try:
                self.save_report_to(Path(name))
            except Exception as exc:  # a locked or read-only target: say so, keep the wizard
                QMessageBox.warning(self, tr("关爱簿"), getattr(exc, "message", None) or str(exc))
                return
            QMessageBox.information(self, tr("关爱簿"), tr("问题报告已保存：{p}", p=name))
