"""设置 › 走访规则: how often each kind of child is visited; saving reschedules the register."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.categories import CARE_LEVELS, all_categories
from carebook.domain.errors import DomainError
from carebook.domain.schedule import (
    DEFAULT_INTERVAL_MONTHS,
    DEFAULT_RULES,
    MAX_INTERVAL_MONTHS,
    VisitRule,
    rules_to_json,
)
from carebook.gui.state import show_error
from carebook.gui.widgets.form_footer import enter_moves_on, may_discard, typed_values
from carebook.gui.workers import start_job
from carebook.i18n import tr
from carebook.services.rescheduling import reschedule_register
from carebook.services.workspace import Workspace


class RuleRow:
    """The widgets of one rule: category, care level, months, remove."""

    def __init__(self, rule: VisitRule) -> None:
        self.category = QComboBox()
        self.category.addItem(tr("所有类别"), None)
        for label in all_categories():
            self.category.addItem(label, label)
        self.category.setCurrentIndex(max(0, self.category.findData(rule.category)))
        self.level = QComboBox()
        self.level.addItem(tr("所有关爱等级"), None)
        for level in CARE_LEVELS:
            self.level.addItem(tr(level), level)
        self.level.setCurrentIndex(max(0, self.level.findData(rule.care_level)))
        self.months = QSpinBox()
        self.months.setRange(1, MAX_INTERVAL_MONTHS)
        self.months.setValue(rule.interval_months)
        self.months.setSuffix(tr(" 个月一次"))
        self.remove = QPushButton(tr("删除"))

    def widgets(self) -> tuple[QWidget, ...]:
        return self.category, self.level, self.months, self.remove

    def rule(self) -> VisitRule:
        return VisitRule(self.category.currentData(), self.level.currentData(), self.months.value())


class VisitRulesDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.rows: list[RuleRow] = []
        self.moved: int | None = None
        self._build_ui()
        try:
            rules = workspace.visit_rules()
        except DomainError as error:
            show_error(self, error)
            rules = DEFAULT_RULES
        self._set_rules(rules)
        self._typed = typed_values(self)

    def reject(self) -> None:
        """Esc and 取消: rules changed on screen are not dropped without asking."""
        if may_discard(self, self._typed):
            super().reject()

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("走访规则"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        note = QLabel(
            tr(
                "儿童符合多条规则时按最短的间隔走访；不符合任何规则的每 {n} 个月走访一次。"
                "新登记的儿童在 5 个工作日内首次走访。下次走访日期从最近一次实际走访算起。",
                n=DEFAULT_INTERVAL_MONTHS,
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.grid = QGridLayout()
        for column, title in enumerate((tr("儿童类别"), tr("关爱等级"), tr("走访间隔"))):
            self.grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        layout.addLayout(self.grid)
        layout.addStretch()
        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("添加规则"))
        self.default_button = QPushButton(tr("恢复默认规则"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.default_button)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.box.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存并重新排期"))
        self.box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        layout.addWidget(self.box)
        # Enter in a months box went to 保存并重新排期 and rescheduled the whole register.
        enter_moves_on(self)
        self.add_button.clicked.connect(lambda: self._add(VisitRule(None, "重点", 1)))
        self.default_button.clicked.connect(lambda: self._set_rules(DEFAULT_RULES))
        self.box.accepted.connect(self.save)
        self.box.rejected.connect(self.reject)

    def _set_rules(self, rules: tuple[VisitRule, ...]) -> None:
        for row in self.rows:
            for w in row.widgets():
                w.deleteLater()
        self.rows = []
        for rule in rules:
            self._add(rule)

    def _add(self, rule: VisitRule) -> None:
        row = RuleRow(rule)
        line = len(self.rows) + 1
        for column, widget in enumerate(row.widgets()):
            self.grid.addWidget(widget, line, column)
        row.remove.clicked.connect(lambda: self._remove(row))
        self.rows.append(row)

    def _remove(self, row: RuleRow) -> None:
        self.rows.remove(row)
        for w in row.widgets():
            w.deleteLater()

    def rules(self) -> tuple[VisitRule, ...]:
        return tuple(dict.fromkeys(row.rule() for row in self.rows))

    def save(self) -> None:
        rules = self.rules()
        self.workspace.settings.visit_rules = rules_to_json(rules)
        self.workspace.save_settings()
        self.box.setEnabled(False)
        # Keep the runner: if Python collects it, its signals object goes and the result is lost.
        self._runner = start_job(
            self,
            lambda: reschedule_register(self.workspace.db, rules),
            title=tr("正在按新规则重新计算下次走访日期…"),
            on_done=self._done,
            on_failed=self._failed,
        )

    def _done(self, moved: object) -> None:
        self.moved = int(moved)  # type: ignore[arg-type]
        QMessageBox.information(
            self, tr("走访规则"), tr("规则已保存，{n} 名儿童的下次走访日期已更新。", n=self.moved)
        )
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.box.setEnabled(True)
        show_error(self, error)
