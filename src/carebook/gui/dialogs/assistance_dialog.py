"""Record help given: goods, money or services to one child or to several at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.dialogs.child_picker import ChildPicker
from carebook.gui.dialogs.visit_dialog import date_edit, from_qdate, to_qdate
from carebook.gui.state import USER_ERRORS, show_error
from carebook.gui.widgets.form_footer import (
    enter_moves_on,
    may_discard,
    problem_label,
    save_cancel_buttons,
    typed_values,
)
from carebook.i18n import tr
from carebook.services import assistance as assistance_service
from carebook.services.errors import ValidationError
from carebook.services.visits import visit_context
from carebook.services.workspace import Workspace


class ProjectChooser(QWidget):
    """The project drop-down with a button to add the county's own project."""

    def __init__(self, workspace: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.addItems(assistance_service.projects(workspace.db))
        # Nothing chosen for the worker: opened on the first project (春蕾计划, for girls'
        # schooling), a boy's school bag was saved under it unless someone thought to change it.
        self.combo.setCurrentIndex(-1)
        self.combo.setPlaceholderText(tr("请选择帮扶项目"))
        self.add_button = QPushButton(tr("新增项目…"))
        row.addWidget(self.combo, 1)
        row.addWidget(self.add_button)
        self.add_button.clicked.connect(self.add_project)

    def add_project(self) -> None:
        name, ok = QInputDialog.getText(self, tr("新增帮扶项目"), tr("项目名称"))
        if not ok or not name.strip():
            return
        try:
            names = assistance_service.add_project(
                self.workspace.db, name, origin=self.workspace.origin()
            )
        except USER_ERRORS as error:
            show_error(self, error)
            return
        self.combo.clear()
        self.combo.addItems(names)
        self.combo.setCurrentText(name.strip())

    def text(self) -> str:
        return self.combo.currentText()


class AssistanceDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        child_uids: Sequence[str] = (),
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.child_uids = list(child_uids)
        self.today = today or date.today()
        self.saved: list[str] = []
        self._build_ui()
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._typed = typed_values(self)

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("登记帮扶"))
        layout = QVBoxLayout(self)
        self.picker: ChildPicker | None = None
        if self.child_uids:
            names = "、".join(
                n for _u, n, _v in visit_context(self.workspace.db, self.child_uids).children
            )
            who = QLabel(tr("受助儿童：{names}", names=names))
            who.setWordWrap(True)
            layout.addWidget(who)
        else:
            self.resize(860, 640)
            self.picker = ChildPicker(self.workspace)
            layout.addWidget(self.picker, 1)
        form = QFormLayout()
        self.given_on = date_edit(self.today)
        self.given_on.setMaximumDate(to_qdate(self.today))
        self.project = ProjectChooser(self.workspace)
        self.content = QLineEdit()
        self.content.setPlaceholderText(tr("如 学习用品、助学金、棉被、心理辅导"))
        self.quantity = QLineEdit("1")
        self.value = QLineEdit()
        self.value.setPlaceholderText(tr("每名儿童的价值，单位元；服务类可不填"))
        self.provider = QComboBox()
        self.provider.setEditable(True)
        self.provider.addItems(assistance_service.providers(self.workspace.db))
        self.provider.setCurrentText("")
        self.notes = QLineEdit()
        for label, widget in (
            ("帮扶日期", self.given_on),
            ("帮扶项目", self.project),
            ("帮扶内容", self.content),
            ("数量（每人）", self.quantity),
            ("价值（元/人）", self.value),
            ("提供者", self.provider),
            ("备注", self.notes),
        ):
            form.addRow(tr(label), widget)
        layout.addLayout(form)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.buttons = save_cancel_buttons()
        enter_moves_on(self)
        layout.addWidget(self.buttons)

    def item(self) -> assistance_service.AssistanceInput:
        return assistance_service.AssistanceInput(
            given_on=from_qdate(self.given_on.date()),
            project=self.project.text(),
            content=self.content.text(),
            quantity=assistance_service.parse_amount(self.quantity.text(), "quantity", "数量"),
            value_yuan=assistance_service.parse_amount(self.value.text(), "value_yuan", "价值"),
            provider=self.provider.currentText(),
            notes=self.notes.text(),
        )

    def save(self) -> None:
        children = self.picker.selected_uids() if self.picker else self.child_uids
        try:
            self.saved = assistance_service.record_assistance(
                self.workspace.db,
                children,
                self.item(),
                origin=self.workspace.origin(),
                today=self.today,
            )
        except ValidationError as error:
            self.problem.setText("；".join(error.problems.values()))
            return
        except USER_ERRORS as error:
            show_error(self, error)
            return
        self.accept()

    def reject(self) -> None:
        """取消, Esc and the window's close come here: typing is never dropped without asking."""
        if may_discard(self, self._typed):
            super().reject()
