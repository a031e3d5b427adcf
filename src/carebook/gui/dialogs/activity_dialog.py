"""Record an activity: when, what, who organised it, who took part, and the goods handed out
(which become one assistance record per child in the same step)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.dialogs.assistance_dialog import ProjectChooser
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
from carebook.gui.widgets.volunteer_checklist import VolunteerChecklist
from carebook.gui.window_size import fit_to_screen
from carebook.i18n import tr
from carebook.services import activities as activity_service
from carebook.services import assistance as assistance_service
from carebook.services.errors import ValidationError
from carebook.services.workspace import Workspace


class ActivityDialog(QDialog):
    def __init__(
        self, workspace: Workspace, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or date.today()
        self.saved_uid: str | None = None
        self._build_ui()
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._typed = typed_values(self)

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("登记活动"))
        fit_to_screen(self, 920, 720)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.held_on = date_edit(self.today)
        self.held_on.setMaximumDate(to_qdate(self.today))
        self.title = QLineEdit()
        self.title.setPlaceholderText(tr("如 冬季送温暖、防溺水安全讲座"))
        self.organiser = QLineEdit()
        self.partners = QLineEdit()
        self.place = QLineEdit()
        self.description = QLineEdit()
        for label, w in (
            ("活动日期", self.held_on),
            ("活动名称", self.title),
            ("主办单位", self.organiser),
            ("协办单位", self.partners),
            ("地点", self.place),
            ("活动内容", self.description),
        ):
            form.addRow(tr(label), w)
        layout.addLayout(form)
        tabs = QTabWidget()
        self.picker = ChildPicker(self.workspace)
        tabs.addTab(self.picker, tr("参加的儿童"))
        self.volunteers = VolunteerChecklist(self.workspace.db)
        tabs.addTab(self.volunteers, tr("参加的爱心妈妈"))
        layout.addWidget(tabs, 1)
        self.goods_box = QGroupBox(tr("发放物资（每名参加的儿童各记一条帮扶记录）"))
        self.goods_box.setCheckable(True)
        self.goods_box.setChecked(False)
        goods = QHBoxLayout(self.goods_box)
        self.goods = QLineEdit()
        self.goods.setPlaceholderText(tr("物资，如 棉被"))
        self.quantity = QLineEdit("1")
        self.quantity.setMaximumWidth(60)
        self.value = QLineEdit()
        self.value.setPlaceholderText(tr("元/人"))
        self.value.setMaximumWidth(90)
        self.project = ProjectChooser(self.workspace)
        self.provider = QComboBox()
        self.provider.setEditable(True)
        self.provider.addItems(assistance_service.providers(self.workspace.db))
        self.provider.setCurrentText("")
        for label, w in (
            (tr("物资"), self.goods),
            (tr("每人数量"), self.quantity),
            (tr("每人价值"), self.value),
            (tr("项目"), self.project),
            (tr("提供者"), self.provider),
        ):
            goods.addWidget(QLabel(label))
            goods.addWidget(w)
        layout.addWidget(self.goods_box)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.buttons = save_cancel_buttons()
        enter_moves_on(self)
        layout.addWidget(self.buttons)

    def volunteer_uids(self) -> list[str]:
        return self.volunteers.checked_uids()

    def save(self) -> None:
        try:
            goods = None
            if self.goods_box.isChecked():
                goods = activity_service.Goods(
                    content=self.goods.text(),
                    project=self.project.text(),
                    quantity_each=assistance_service.parse_amount(
                        self.quantity.text(), "quantity", "数量"
                    ),
                    value_each=assistance_service.parse_amount(self.value.text(), "value", "价值"),
                    provider=self.provider.currentText(),
                )
            self.saved_uid = activity_service.record_activity(
                self.workspace.db,
                activity_service.ActivityInput(
                    held_on=from_qdate(self.held_on.date()),
                    title=self.title.text(),
                    organiser=self.organiser.text(),
                    partners=self.partners.text(),
                    place=self.place.text(),
                    description=self.description.text(),
                ),
                self.picker.selected_uids(),
                self.volunteer_uids(),
                goods,
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
