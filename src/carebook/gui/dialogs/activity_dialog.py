"""Record an activity: when, what, who organised it, who took part, and the goods handed out
(which become one assistance record per child in the same step); or correct a saved one."""

from __future__ import annotations

from datetime import date
from typing import Literal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.dialogs import activity_goods_questions as questions
from carebook.gui.dialogs.activity_goods_questions import goods_note
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
from carebook.services import activity_edit, activity_goods
from carebook.services import assistance as assistance_service
from carebook.services.errors import ValidationError
from carebook.services.workspace import Workspace


class ActivityDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        activity_uid: str | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or date.today()
        self.saved_uid: str | None = None
        self.changes: activity_edit.ActivityChanges | None = None
        # Read before building: an activity deleted meanwhile raises here, before any window.
        self.editing = (
            activity_edit.activity_for_edit(workspace.db, activity_uid) if activity_uid else None
        )
        self._build_ui()
        if self.editing is not None:
            self._fill(self.editing)
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
        saved = self.editing
        self.picker = ChildPicker(self.workspace, saved.children if saved else ())
        tabs.addTab(self.picker, tr("参加的儿童"))
        self.volunteers = VolunteerChecklist(self.workspace.db, saved.volunteers if saved else ())
        tabs.addTab(self.volunteers, tr("参加的爱心妈妈"))
        layout.addWidget(tabs, 1)
        self.goods_box = QGroupBox(tr("发放物资（每名参加的儿童各记一条帮扶记录）"))
        self.goods_box.setCheckable(True)
        self.goods_box.setChecked(False)
        # Two rows: on one, the labels of a translation made the form wider than a laptop.
        goods = QGridLayout(self.goods_box)
        self.goods = QLineEdit()
        self.goods.setPlaceholderText(tr("物资，如 棉被"))
        self.goods.setMinimumWidth(110)
        self.quantity = QLineEdit("1")
        self.quantity.setFixedWidth(56)
        self.value = QLineEdit()
        self.value.setPlaceholderText(tr("元/人"))
        # Wide enough for 1,500.00: a value cut to "0.00" on screen was read as nothing.
        self.value.setFixedWidth(92)
        self.project = ProjectChooser(self.workspace)
        self.provider = QComboBox()
        self.provider.setEditable(True)
        self.provider.addItems(assistance_service.providers(self.workspace.db))
        self.provider.setCurrentText("")
        self.provider.lineEdit().setPlaceholderText(tr("同主办单位"))
        self.provider.setMinimumWidth(120)
        for row, column, label, widget, span in (
            (0, 0, tr("物资"), self.goods, 1),
            (0, 2, tr("每人数量"), self.quantity, 1),
            (0, 4, tr("每人价值"), self.value, 1),
            (1, 0, tr("项目"), self.project, 1),
            (1, 2, tr("提供者"), self.provider, 3),
        ):
            goods.addWidget(QLabel(label), row, column)
            goods.addWidget(widget, row, column + 1, 1, span)
        goods.setColumnStretch(1, 1)
        layout.addWidget(self.goods_box)
        self.goods_note = QLabel()
        self.goods_note.setWordWrap(True)
        layout.addWidget(self.goods_note)
        self.goods_note.hide()
        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.buttons = save_cancel_buttons()
        enter_moves_on(self)
        layout.addWidget(self.buttons)

    def _fill(self, saved: activity_edit.ActivityForEdit) -> None:
        """The saved activity in the form, its goods too: corrected here, they are corrected
        on every child's record of them (see services.activity_goods)."""
        self.setWindowTitle(tr("修改活动"))
        item = saved.activity
        # A saved date is shown as saved even if later than this machine's today (a wrong
        # clock); saving it again is then refused with the same message as a new one.
        self.held_on.setMaximumDate(to_qdate(max(self.today, item.held_on)))
        self.held_on.setDate(to_qdate(item.held_on))
        for field, text in (
            (self.title, item.title),
            (self.organiser, item.organiser),
            (self.partners, item.partners),
            (self.place, item.place),
            (self.description, item.description),
        ):
            field.setText(text)
            field.setCursorPosition(0)
        self.goods_box.setTitle(
            tr("发放物资（每名参加的儿童各一条帮扶记录；改了这里，每名儿童的记录随之更正）")
        )
        goods = saved.goods_item
        self.goods_box.setChecked(goods is not None)
        if goods is not None:
            self.goods.setText(goods.content)
            quantity = goods.quantity
            self.quantity.setText("" if quantity is None else f"{quantity.normalize():f}")
            # A correction keeps an emptied provider empty: no "default" to promise here.
            self.provider.lineEdit().setPlaceholderText("")
            self.value.setText("" if goods.value_yuan is None else f"{goods.value_yuan:.2f}")
            self.project.combo.setCurrentText(goods.project)
            self.provider.setCurrentText(goods.provider)
        self.goods_note.setText(goods_note(saved))
        self.goods_note.show()

    def volunteer_uids(self) -> list[str]:
        return self.volunteers.checked_uids()

    def _activity_input(self) -> activity_service.ActivityInput:
        return activity_service.ActivityInput(
            held_on=from_qdate(self.held_on.date()),
            title=self.title.text(),
            organiser=self.organiser.text(),
            partners=self.partners.text(),
            place=self.place.text(),
            description=self.description.text(),
        )

    def save(self) -> None:
        if self.editing is not None:
            self._save_changes(self.editing)
            return
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
                self._activity_input(),
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

    def _goods_input(self) -> activity_goods.ActivityGoods | None:
        """The goods as the form has them now (None when the box is unticked), checked."""
        if not self.goods_box.isChecked():
            return None
        goods = activity_goods.ActivityGoods(
            content=self.goods.text(),
            project=self.project.text(),
            quantity=assistance_service.parse_amount(self.quantity.text(), "quantity", "数量"),
            value_yuan=assistance_service.parse_amount(self.value.text(), "value", "价值"),
            provider=self.provider.currentText(),
        )
        return activity_goods.normalized(goods, from_qdate(self.held_on.date()), self.today)

    def _save_changes(self, saved: activity_edit.ActivityForEdit) -> None:
        chosen = self.picker.selected_uids()
        before = {c.uid: c.name for c in saved.children}
        removed = [name for uid, name in before.items() if uid not in set(chosen)]
        added = [uid for uid in chosen if uid not in before]
        try:
            after = self._goods_input()
        except ValidationError as error:
            self.problem.setText("；".join(error.problems.values()))
            return
        if after is not None and not chosen:
            self.problem.setText(tr("发放物资须选择领取的儿童。"))
            return
        goods: activity_goods.ActivityGoods | Literal["keep"] | None = (
            activity_goods.KEEP if after == saved.goods_item else after
        )
        if goods != activity_goods.KEEP and not questions.may_change_goods(
            self, saved, after, chosen
        ):
            return
        give = False
        # Clearing the goods asks about every record at once, those taken off with them.
        removing = saved.goods_records and after is not None and removed
        if removing and not self._may_remove_goods(removed, saved.goods):
            return
        if saved.goods_item is not None and after is not None and added:
            give_answer = self._ask_give_goods(len(added), after.text())
            if give_answer is None:
                return
            give = give_answer
        try:
            self.changes = activity_edit.update_activity(
                self.workspace.db,
                saved.uid,
                self._activity_input(),
                chosen,
                self.volunteer_uids(),
                give_goods_to_added=give,
                goods=goods,
                origin=self.workspace.origin(),
                today=self.today,
            )
        except ValidationError as error:
            self.problem.setText("；".join(error.problems.values()))
            return
        except USER_ERRORS as error:
            show_error(self, error)
            return
        self.saved_uid = saved.uid
        self.accept()

    def _may_remove_goods(self, names: list[str], goods: str) -> bool:
        shown = "、".join(names[:10]) + (tr(" 等") if len(names) > 10 else "")
        answer = QMessageBox.question(
            self,
            tr("修改活动"),
            tr(
                "移出的 {n} 名儿童（{names}）在这次活动中领取的“{goods}”记录会标为删除，"
                "不再计入统计和儿童档案（记录保留，可在操作记录中查到）。继续保存吗？",
                n=len(names),
                names=shown,
                goods=goods,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_give_goods(self, n: int, goods: str) -> bool | None:
        """True to give the children put on the same goods, False not to, None to go back."""
        answer = QMessageBox.question(
            self,
            tr("修改活动"),
            tr(
                "新加入的 {n} 名儿童也领取了“{goods}”吗？\n"
                "选“是”，为她们各记一条同样的帮扶记录；选“否”，只记为参加了活动。",
                n=n,
                goods=goods,
            ),
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return None
        return answer == QMessageBox.StandardButton.Yes

    def reject(self) -> None:
        """取消, Esc and the window's close come here: typing is never dropped without asking."""
        if may_discard(self, self._typed):
            super().reject()
