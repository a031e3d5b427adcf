"""导入台账: file → sheets → preview → column mapping → plan → apply (cancellable) → summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.categories import all_categories
from carebook.gui.dialogs.import_models import IssueModel, PreviewModel
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
    CHANGE,
    ERROR,
    WARNING,
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


class ImportWizard(QDialog):
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

    def _file_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(tr("民政、乡镇发来的台账：xlsx、xls、ods 或 csv"))
        self.browse_button = QPushButton(tr("选择文件…"))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow(tr("文件"), row)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(tr("文件设置了打开密码时填写"))
        form.addRow(tr("密码"), self.password_edit)
        self.category_combo = QComboBox()
        self.category_combo.addItem(tr("按表中的类别列或标题判断"), "")
        for label in all_categories():
            self.category_combo.addItem(label, label)
        form.addRow(tr("儿童类别（表中没有类别列时）"), self.category_combo)
        self.township_edit = QLineEdit()
        self.township_edit.setPlaceholderText(tr("表中没有乡镇列时填写；留空则按标题或文件名判断"))
        form.addRow(tr("乡镇"), self.township_edit)
        self.village_edit = QLineEdit()
        self.village_edit.setPlaceholderText(tr("表中没有村列时填写"))
        form.addRow(tr("村（社区）"), self.village_edit)
        note = QLabel(
            tr("先检查文件中的每一行，列出将要新增、更新和有问题的行；确认之前不会改动台账。")
        )
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _sheets_page(self) -> QWidget:
        self.sheets_label = QLabel()
        self.sheets_label.setWordWrap(True)
        self.sheets_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.sheets_label)
        return scroll

    def _sheet_picker(self) -> QComboBox:
        combo = QComboBox()
        combo.currentIndexChanged.connect(lambda _i: self._sheet_changed(combo.currentText()))
        return combo

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.preview_sheet = self._sheet_picker()
        self.preview_title = QLabel()
        self.preview_title.setWordWrap(True)
        self.preview_model = PreviewModel()
        self.preview_view = QTableView()
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.preview_sheet)
        layout.addWidget(self.preview_title)
        layout.addWidget(self.preview_view, 1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.mapping_sheet = self._sheet_picker()
        layout.addWidget(self.mapping_sheet)
        hint = QLabel(tr("每一列对应台账中的哪一项？认不出的列标为“（不导入）”，可以在这里改。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.mapping_area = QScrollArea()
        self.mapping_area.setWidgetResizable(True)
        layout.addWidget(self.mapping_area, 1)
        self.remember = QCheckBox(tr("记住这个对应关系，下次导入同样表头的文件时自动使用"))
        self.remember.setChecked(True)
        layout.addWidget(self.remember)
        return page

    def _plan_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        layout.addWidget(self.counts_label)
        filters = QHBoxLayout()
        self.level_filter = QComboBox()
        for text, value in (("全部", ""), ("错误", ERROR), ("提醒", WARNING), ("更新", CHANGE)):
            self.level_filter.addItem(tr(text), value)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("按姓名、列名或说明筛选"))
        filters.addWidget(QLabel(tr("显示")))
        filters.addWidget(self.level_filter)
        filters.addWidget(self.search_edit, 1)
        layout.addLayout(filters)
        self.issue_model = IssueModel()
        self.issue_view = QTableView()
        self.issue_view.setModel(self.issue_model)
        self.issue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issue_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issue_view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.issue_view, 1)
        layout.addWidget(QLabel(tr("双击一行，查看它在文件中的原样。")))
        return page

    def _apply_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.apply_label = QLabel()
        self.apply_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.apply_button = QPushButton(tr("开始导入"))
        self.cancel_button = QPushButton(tr("取消导入"))
        self.cancel_button.setEnabled(False)
        layout.addWidget(self.apply_label)
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        row.addWidget(self.apply_button)
        row.addWidget(self.cancel_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addStretch()
        return page

    def _summary_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.report_button = QPushButton(tr("保存问题报告…"))
        layout.addWidget(self.summary_label)
        layout.addWidget(self.report_button)
        layout.addStretch()
        return page

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
        lines = [f"<p><b>{tr('文件')}：</b>{plan.file}</p><ul>"]
        for sheet in plan.sheets:
            if sheet.skipped:
                lines.append(
                    f"<li>{tr('跳过')} “{sheet.name}”：{sheet.reason}</li>"
                )  # fmt: skip
                continue
            kind = tr("爱心妈妈名单") if sheet.kind == "volunteer" else tr("儿童名单")
            rows = "、".join(str(n) for n in sheet.header_rows)
            notes = "".join(f"<br>· {n}" for n in sheet.notes)
            lines.append(
                f"<li><b>“{sheet.name}”</b>：{kind}，"
                + tr("表头在第 {r} 行，数据 {n} 行", r=rows, n=sheet.rows)
                + f"{notes}</li>"
            )
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
            combo.addItem(field_label(table.kind, None), "")
            for name, label in choices:
                combo.addItem(label, name)
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
        self.summary_label.setText(
            tr(
                "<h3>导入完成</h3><p>新增 {c} 名，更新 {u} 名，无变化 {s} 名，跳过 {k} 行。</p>"
                "<p>{backup}</p><p>有问题的行可以保存为报告，发回村里改正后再导入同一文件。</p>",
                c=counts["create"],
                u=counts["update"],
                s=counts["unchanged"],
                k=counts["skipped"],
                backup=backup,
            )
        )
        self.report_button.setEnabled(problems > 0)
        self._show_step(SUMMARY)
        self.finished_import.emit()

    def save_report_to(self, path: Path) -> Path:
        return write_error_report(self.plan, path)

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
