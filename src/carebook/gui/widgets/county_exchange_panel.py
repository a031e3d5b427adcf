"""数据交换 → 与县里交换: export the county workbook, and read back the one the county returns."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.dialogs.merge_conflicts_dialog import MergeConflictsDialog
from carebook.gui.state import show_error
from carebook.gui.workers import start_job
from carebook.i18n import tr
from carebook.services.county_apply import MergeResult, apply_merge
from carebook.services.county_exchange import ExportOptions, ExportResult, export_workbook
from carebook.services.county_merge import MergePlan, PasswordNeeded, plan_merge
from carebook.services.places import village_places
from carebook.services.workspace import Workspace

SHEET_CHOICES = (
    ("child", "儿童"),
    ("volunteer", "爱心妈妈"),
    ("pairing", "结对"),
    ("visit", "走访记录"),
    ("assistance", "帮扶记录"),
)
ALL = ""


class CountyExchangePanel(QWidget):
    exported = Signal(object)  # ExportResult
    planned = Signal(object)  # MergePlan
    merged = Signal(object)  # MergeResult

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.last_export: Path | None = None
        self.ask_choices = True  # tests turn the dialog off and decide in code
        self._runner = None
        self._build_ui()
        self._connect_signals()
        self._load_places()

    # -- layout -------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        out = QGroupBox(tr("导出给县里"))
        form = QFormLayout(out)
        sheets = QHBoxLayout()
        self.sheet_boxes: dict[str, QCheckBox] = {}
        for key, label in SHEET_CHOICES:
            box = QCheckBox(tr(label))
            box.setChecked(True)
            self.sheet_boxes[key] = box
            sheets.addWidget(box)
        sheets.addStretch()
        form.addRow(tr("包括"), sheets)
        self.township = QComboBox()
        self.village = QComboBox()
        form.addRow(tr("乡镇"), self.township)
        form.addRow(tr("村（社区）"), self.village)
        self.period = QLineEdit()
        self.period.setPlaceholderText(
            tr("如 2026-11、2026-Q4 或 2026-01-01..2026-06-30；留空为今年")
        )
        form.addRow(tr("本期"), self.period)
        self.recipient = QLineEdit(tr("县妇联"))
        form.addRow(tr("接收单位"), self.recipient)
        self.mask = QCheckBox(tr("身份证号打码（县里需要核对身份证号时不要勾选）"))
        self.mask.setChecked(self.workspace.settings.mask_personal_numbers)
        form.addRow(tr("隐私"), self.mask)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("留空则不设密码；密码请另行告诉县里"))
        form.addRow(tr("打开密码"), self.password)
        self.progress = QProgressBar()
        self.progress.setValue(0)
        form.addRow(tr("进度"), self.progress)
        actions = QHBoxLayout()
        self.export_button = QPushButton(tr("导出工作簿…"))
        self.open_folder_button = QPushButton(tr("打开所在文件夹"))
        self.open_folder_button.setEnabled(False)
        actions.addWidget(self.export_button)
        actions.addWidget(self.open_folder_button)
        actions.addStretch()
        form.addRow(actions)
        self.export_summary = QLabel()
        self.export_summary.setWordWrap(True)
        form.addRow(self.export_summary)
        layout.addWidget(out)

        back = QGroupBox(tr("读取县里返回的工作簿"))
        back_layout = QVBoxLayout(back)
        explained = QLabel(
            tr(
                "县里改过、加过行的工作簿在这里读回：县里的修改会合并进来，"
                "双方都改过的地方会请您逐项选择，合并前自动备份数据库。"
            )
        )
        explained.setWordWrap(True)  # one line of it made the English window 1,600 pixels wide
        back_layout.addWidget(explained)
        row = QHBoxLayout()
        self.read_button = QPushButton(tr("选择工作簿并读取…"))
        row.addWidget(self.read_button)
        row.addStretch()
        back_layout.addLayout(row)
        self.merge_summary = QLabel()
        self.merge_summary.setWordWrap(True)
        back_layout.addWidget(self.merge_summary)
        layout.addWidget(back)
        layout.addStretch()

    def _connect_signals(self) -> None:
        self.export_button.clicked.connect(self._ask_export_path)
        self.open_folder_button.clicked.connect(self._open_folder)
        self.township.currentIndexChanged.connect(self._fill_villages)
        self.read_button.clicked.connect(self._ask_workbook)

    def _load_places(self) -> None:
        self._places = village_places(self.workspace.db)
        self.township.addItem(tr("全部乡镇"), ALL)
        for town in dict.fromkeys(t for t, _ in self._places):
            self.township.addItem(town, town)
        self._fill_villages()

    def _fill_villages(self) -> None:
        town = self.township.currentData()
        self.village.clear()
        self.village.addItem(tr("全部村（社区）"), ALL)
        for t, v in self._places:
            if not town or t == town:
                self.village.addItem(v, v)

    # -- export -------------------------------------------------------------------------------
    def options(self) -> ExportOptions:
        s = self.workspace.settings
        return ExportOptions(
            township=self.township.currentData() or None,
            village=self.village.currentData() or None,
            period=self.period.text().strip() or None,
            mask_ids=self.mask.isChecked(),
            password=self.password.text() or None,
            recipient=self.recipient.text().strip(),
            sender=" ".join(p for p in (s.county, s.township, s.worker_name) if p),
            include=tuple(k for k, box in self.sheet_boxes.items() if box.isChecked()),
        )

    def _ask_export_path(self) -> None:
        if not self.unprotected_export_confirmed():
            self.password.setFocus()
            return
        name = tr("关爱簿交换-{place}.xlsx", place=self.township.currentData() or tr("全部"))
        path, _ = QFileDialog.getSaveFileName(
            self, tr("保存交换工作簿"), str(Path.home() / name), "Excel (*.xlsx)"
        )
        if path:
            self.export_to(Path(path))

    def unprotected_export_confirmed(self) -> bool:
        """Full ID numbers with no open-password: say what that means before the file exists."""
        if self.mask.isChecked() or self.password.text():
            return True
        answer = QMessageBox.question(
            self,
            tr("导出交换工作簿"),
            tr(
                "这个工作簿将含有儿童完整的身份证号，但没有设打开密码：通过微信、邮件或 U 盘"
                "传出去后，拿到文件的任何人都能看到。建议设一个打开密码，并打电话告诉县里。"
                "\n\n仍然不设密码导出吗？"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def export_to(self, path: Path) -> None:
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        options = self.options()
        origin = self.workspace.origin("界面导出")
        db = self.workspace.db
        self.progress.setValue(0)
        self._runner = start_job(
            self,
            lambda: export_workbook(db, path, options, origin=origin),
            title=tr("正在导出交换工作簿"),
            on_done=self._exported,
            on_failed=self._failed,
        )
        self._runner.signals.progress.connect(self._on_progress)

    def _on_progress(self, done: int, total: int, _message: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _exported(self, result: ExportResult) -> None:
        self.last_export = result.path
        self.progress.setMaximum(1)
        self.progress.setValue(1)
        self.open_folder_button.setEnabled(True)
        rows = "，".join(f"{k} {v} 行" for k, v in result.to_json()["rows"].items())
        notes = []
        if result.masked_ids:
            notes.append(tr("身份证号已打码"))
        if result.encrypted:
            notes.append(tr("已设打开密码"))
        self.export_summary.setText(
            tr(
                "已导出 {file}：{rows}。{notes}",
                file=result.path.name,
                rows=rows,
                notes="，".join(notes),
            )
        )
        self.exported.emit(result)

    def _open_folder(self) -> None:
        if self.last_export is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_export.parent)))

    # -- read back ----------------------------------------------------------------------------
    def _ask_workbook(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("选择县里返回的工作簿"), str(Path.home()), "Excel (*.xlsx)"
        )
        if path:
            self.read_workbook(Path(path))

    def read_workbook(self, path: Path, password: str | None = None) -> None:
        db = self.workspace.db
        self._reading = (path, password)
        self._runner = start_job(
            self,
            lambda: plan_merge(db, path, password),
            title=tr("正在读取工作簿"),
            on_done=self._planned,
            on_failed=self._plan_failed,
        )

    def _plan_failed(self, error: Exception) -> None:
        if isinstance(error, PasswordNeeded):
            password = self.ask_password(error.message)
            if password:
                self.read_workbook(self._reading[0], password)
            return
        self._failed(error)

    def ask_password(self, message: str) -> str | None:
        text, ok = QInputDialog.getText(
            self, tr("工作簿密码"), message, QLineEdit.EchoMode.Password
        )
        return text if ok and text else None

    def _planned(self, plan: MergePlan) -> None:
        self.planned.emit(plan)
        choices: dict = {}
        deletions: set[str] = set()
        if (plan.conflicts or plan.deletions) and self.ask_choices:
            dialog = MergeConflictsDialog(plan, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                self.merge_summary.setText(tr("已取消，没有合并任何内容。"))
                return
            choices, deletions = dialog.choices(), dialog.accepted_deletions()
        self.apply(plan, choices, deletions)

    def apply(self, plan: MergePlan, choices: dict, deletions: set[str]) -> None:
        ws = self.workspace
        self._runner = start_job(
            self,
            lambda: apply_merge(
                ws.db,
                plan,
                backups_dir=ws.paths.backups_dir,
                choices=choices,
                accept_deletions=deletions,
                origin=ws.origin(),
                rules=ws.visit_rules(),
            ),
            title=tr("正在合并"),
            on_done=lambda result: self._merged(plan, result),
            on_failed=self._failed,
        )

    def _merged(self, plan: MergePlan, result: MergeResult) -> None:
        lines = [
            tr(
                "{file}：共 {rows} 行；新增 {c}，修改 {u}，未变 {n}，删除 {d}。",
                file=plan.path.name,
                rows=plan.rows,
                c=result.created,
                u=result.updated,
                n=result.unchanged,
                d=result.deleted,
            )
        ]
        if result.open_conflicts:
            lines.append(tr("{n} 处冲突保持本机内容。", n=result.open_conflicts))
        settled = sum(len(c.fields) for c in plan.settled)
        if settled:
            lines.append(tr("{n} 处冲突上次已选择保留本机内容，没有再问。", n=settled))
        lines += [tr("错误：{m}", m=e) for e in result.errors[:20]]
        lines += [tr("提示：{m}", m=w) for w in result.warnings[:20]]
        if result.backup:
            lines.append(tr("合并前的数据库已备份为 {f}", f=result.backup.name))
        self.merge_summary.setText("\n".join(lines))
        self.merged.emit(result)

    def _failed(self, error: Exception) -> None:
        self.progress.setValue(0)
        show_error(self, error)
