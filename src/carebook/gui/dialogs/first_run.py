"""The first-run welcome: who the worker is, where, the visit rules, and how to begin."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, Qt, QThreadPool
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.schedule import (
    DEFAULT_INTERVAL_MONTHS,
    DEFAULT_RULES,
    MAX_INTERVAL_MONTHS,
    VisitRule,
    rules_to_json,
)
from carebook.gui.state import USER_ERRORS, show_error
from carebook.gui.workers import JobRunner
from carebook.i18n import tr
from carebook.paths import sqlite_url
from carebook.services.demo import build_demo
from carebook.services.places import add_my_villages
from carebook.services.stats import register_stats
from carebook.services.workspace import Workspace
from carebook.settings import split_villages
from carebook.storage.database import open_database

log = logging.getLogger(__name__)

IMPORT, EMPTY, DEMO = "import", "empty", "demo"


class FirstRunDialog(QDialog):
    """Asks once, on the first start; every answer can be changed later in 设置."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.choice: str | None = None
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("欢迎使用关爱簿"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('欢迎使用关爱簿')}</h2>"))
        intro = QLabel(
            tr(
                "先填几项基本信息，以后都可以在“设置”里修改。"
                "所有数据只保存在这台电脑上，不会上传到网络。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        who = QGroupBox(tr("您和您负责的地方"))
        form = QFormLayout(who)
        self.worker = QLineEdit()
        self.worker.setPlaceholderText(tr("如：王秀英"))
        self.county = QLineEdit()
        self.county.setPlaceholderText(tr("如：和顺县"))
        self.township = QLineEdit()
        self.township.setPlaceholderText(tr("如：义兴镇"))
        self.villages = QLineEdit()
        self.villages.setPlaceholderText(tr("多个村用顿号分隔，如：东村、西村"))
        form.addRow(tr("您的姓名"), self.worker)
        form.addRow(tr("县（市、区）"), self.county)
        form.addRow(tr("乡镇（街道）"), self.township)
        form.addRow(tr("负责的村（社区）"), self.villages)
        layout.addWidget(who)

        rules = QGroupBox(tr("走访规则（先用常见做法，县里另有规定的可以改）"))
        grid = QGridLayout(rules)
        self.rule_spins: list[tuple[VisitRule, QSpinBox]] = []
        for row, rule in enumerate(DEFAULT_RULES):
            who_text = " · ".join(
                [tr(rule.category or "所有类别"), tr(rule.care_level or "所有关爱等级")]
            )
            spin = QSpinBox()
            spin.setRange(1, MAX_INTERVAL_MONTHS)
            spin.setSuffix(tr(" 个月"))
            grid.addWidget(QLabel(who_text), row, 0)
            grid.addWidget(QLabel(tr("每")), row, 1, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(spin, row, 2)
            grid.addWidget(QLabel(tr("走访一次")), row, 3)
            self.rule_spins.append((rule, spin))
        other = QLabel(tr("其余儿童：每 {n} 个月走访一次", n=DEFAULT_INTERVAL_MONTHS))
        grid.addWidget(other, len(DEFAULT_RULES), 0, 1, 4)
        layout.addWidget(rules)

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)

        start = QLabel(f"<b>{tr('怎样开始？')}</b>")
        layout.addWidget(start)
        buttons = QHBoxLayout()
        self.import_button = QPushButton(tr("现在导入台账…"))
        self.import_button.setToolTip(tr("把现有的 Excel 台账导入进来，导入前会先给您看报告"))
        self.empty_button = QPushButton(tr("从空白开始"))
        self.empty_button.setToolTip(tr("一个儿童一个儿童地录入"))
        self.demo_button = QPushButton(tr("先看看示例县"))
        self.demo_button.setToolTip(tr("打开一个虚构的示例县随便试，和正式数据完全分开"))
        for button in (self.import_button, self.empty_button, self.demo_button):
            button.setMinimumHeight(40)
            buttons.addWidget(button)
        self.import_button.setDefault(True)
        layout.addLayout(buttons)
        note = QLabel(tr("示例县的数据是虚构的，放在单独的文件里，不会混进您的正式台账。"))
        note.setWordWrap(True)
        layout.addWidget(note)

    def _connect_signals(self) -> None:
        self.import_button.clicked.connect(lambda: self._finish(IMPORT))
        self.empty_button.clicked.connect(lambda: self._finish(EMPTY))
        self.demo_button.clicked.connect(lambda: self._finish(DEMO))

    def _load(self) -> None:
        s = self.workspace.settings
        self.worker.setText(s.worker_name)
        self.county.setText(s.county)
        self.township.setText(s.township)
        self.villages.setText("、".join(s.villages))
        chosen = {
            (r.category, r.care_level): r.interval_months for r in self.workspace.visit_rules()
        }
        for rule, spin in self.rule_spins:
            spin.setValue(chosen.get((rule.category, rule.care_level), rule.interval_months))

    def problems(self, choice: str) -> list[str]:
        """What must be filled before working on real data (a demo needs nothing)."""
        if choice == DEMO:
            return []
        found = []
        if not self.worker.text().strip():
            found.append(tr("请填写您的姓名：每条记录都会记下是谁录入的。"))
        if not self.township.text().strip():
            found.append(tr("请填写乡镇（街道）。"))
        if not split_villages(self.villages.text()):
            found.append(tr("请至少填写一个村（社区）。"))
        return found

    def _finish(self, choice: str) -> None:
        found = self.problems(choice)
        if found:
            self.problem.setText("\n".join(found))
            self.problem.show()
            self.adjustSize()  # grow to fit the message rather than squeeze the form
            first_empty = next(
                (f for f in (self.worker, self.township, self.villages) if not f.text().strip()),
                None,
            )
            if first_empty is not None:
                first_empty.setFocus()
            return
        self.choice = choice
        self.apply_to_settings()
        self.accept()

    def visit_rules(self) -> tuple[VisitRule, ...]:
        return tuple(
            VisitRule(rule.category, rule.care_level, spin.value())
            for rule, spin in self.rule_spins
        )

    def apply_to_settings(self) -> None:
        s = self.workspace.settings
        s.worker_name = self.worker.text().strip()
        s.county = self.county.text().strip()
        s.township = self.township.text().strip()
        s.villages = split_villages(self.villages.text())
        s.visit_rules = rules_to_json(self.visit_rules())
        s.first_run_done = True
        self.workspace.save_settings()


@dataclass
class FirstRunResult:
    workspace: Workspace
    choice: str


def open_demo_workspace(workspace: Workspace, parent: QWidget | None = None) -> Workspace | None:
    """The demo county in its own file beside the real one, built the first time it is opened."""
    target = workspace.paths.demo_database
    try:
        demo_db = open_database(sqlite_url(target), backups_dir=workspace.paths.backups_dir)
    except USER_ERRORS as exc:
        show_error(parent, exc)
        return None
    if register_stats(demo_db).total == 0 and not _build_demo_with_progress(demo_db, parent):
        demo_db.close()
        return None
    workspace.db.close()
    return Workspace(workspace.paths, workspace.settings, demo_db)


def _build_demo_with_progress(demo_db, parent: QWidget | None) -> bool:
    """Build the demo off the GUI thread behind a progress dialog; False if cancelled or failed."""
    runner = JobRunner(lambda: build_demo(demo_db))
    # We wait on the runner's signals ourselves, so the pool must not delete it under us.
    runner.setAutoDelete(False)
    progress = QProgressDialog(tr("正在生成示例县…"), tr("取消"), 0, 0, parent)
    progress.setWindowTitle(tr("关爱簿"))
    progress.setMinimumDuration(300)
    progress.canceled.connect(runner.cancel)
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def step(done: int, total: int, _message: str) -> None:
        progress.setMaximum(total)
        progress.setValue(done)

    def end(key: str, value: object = None) -> None:
        outcome[key] = value
        loop.quit()

    runner.signals.progress.connect(step)
    runner.signals.finished.connect(lambda result: end("done", result))
    runner.signals.failed.connect(lambda error: end("error", error))
    runner.signals.cancelled.connect(lambda: end("cancelled"))
    QThreadPool.globalInstance().start(runner)
    loop.exec()
    QThreadPool.globalInstance().waitForDone()
    progress.reset()
    if "error" in outcome:
        show_error(parent, outcome["error"])
    return "done" in outcome


def run_first_run(workspace: Workspace) -> FirstRunResult | None:
    """Show the welcome; None when it was closed without choosing (asked again next start)."""
    dialog = FirstRunDialog(workspace)
    try:
        return _after_welcome(workspace, dialog)
    finally:
        # A parentless dialog left to Python's garbage collector can outlive QApplication and
        # crash the process at exit; Qt deletes it once control is back in the event loop.
        dialog.deleteLater()


def _after_welcome(workspace: Workspace, dialog: FirstRunDialog) -> FirstRunResult | None:
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
        return None
    if dialog.choice != DEMO:
        # The register's forms and filters offer the worker's villages from the first child on.
        try:
            add_my_villages(
                workspace.db,
                workspace.settings.township,
                workspace.settings.villages,
                workspace.origin("首次使用"),
            )
        except USER_ERRORS as exc:
            show_error(dialog, exc)
    if dialog.choice == DEMO:
        demo = open_demo_workspace(workspace, dialog)
        if demo is None:
            QMessageBox.information(None, tr("关爱簿"), tr("示例县没有打开，先进入您的正式台账。"))
            return FirstRunResult(workspace, EMPTY)
        return FirstRunResult(demo, DEMO)
    return FirstRunResult(workspace, dialog.choice)
