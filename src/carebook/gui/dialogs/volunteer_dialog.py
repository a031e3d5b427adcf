"""Register or edit a 爱心妈妈: name, identities, work unit, place, phone, skills, team."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.people import SEXES, VOLUNTEER_IDENTITIES
from carebook.domain.phones import mask_phone
from carebook.domain.records import VolunteerFacts
from carebook.gui.state import USER_ERRORS, show_error
from carebook.gui.widgets.form_footer import (
    enter_moves_on,
    may_discard,
    problem_label,
    save_cancel_buttons,
    typed_values,
)
from carebook.gui.widgets.masked_field import MaskedField
from carebook.i18n import tr
from carebook.services import volunteers as volunteer_service
from carebook.services.errors import ValidationError
from carebook.services.workspace import Workspace


class VolunteerDialog(QDialog):
    def __init__(
        self, workspace: Workspace, uid: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.uid = uid
        self._build_ui()
        self._connect_signals()
        if uid:
            self._load(volunteer_service.get_volunteer(workspace.db, uid).facts)
        else:
            self.township.setText(workspace.settings.township)
        self._typed = typed_values(self)

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("修改爱心妈妈信息") if self.uid else tr("登记爱心妈妈"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.sex = QComboBox()
        self.sex.addItems(list(SEXES))
        self.sex.setCurrentText("女")
        # Shown masked like every phone number on screen; revealing it is logged.
        self.phone = MaskedField(mask_phone)
        self.phone.setPlaceholderText(tr("手机号，如 13812345678"))
        self.phone.reveal = self._reveal_phone
        grid = QGridLayout()
        self.identities: list[QCheckBox] = []
        for n, label in enumerate(VOLUNTEER_IDENTITIES):
            box = QCheckBox(label)
            self.identities.append(box)
            grid.addWidget(box, n // 4, n % 4)
        self.work_unit = QLineEdit()
        self.township = QLineEdit()
        self.village = QLineEdit()
        self.skills = QLineEdit()
        self.skills.setPlaceholderText(tr("如 学业辅导、心理疏导、手工"))
        self.team = QLineEdit()
        self.team.setPlaceholderText(tr("以团队结对时填写，如 县妇联巾帼志愿队"))
        self.notes = QLineEdit()
        for label, widget in (
            ("姓名", self.name),
            ("性别", self.sex),
            ("手机", self.phone),
            ("身份", grid),
            ("工作单位", self.work_unit),
            ("乡镇（街道）", self.township),
            ("村（社区）", self.village),
            ("特长", self.skills),
            ("团队", self.team),
            ("备注", self.notes),
        ):
            form.addRow(tr(label), widget)
        layout.addLayout(form)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.buttons = save_cancel_buttons()
        enter_moves_on(self)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def _load(self, facts: VolunteerFacts) -> None:
        self.name.setText(facts.name)
        self.sex.setCurrentText(facts.sex)
        self.phone.set_value(facts.phone, masked=self.workspace.settings.mask_personal_numbers)
        for box in self.identities:
            box.setChecked(box.text() in facts.identities)
        self.work_unit.setText(facts.work_unit)
        self.township.setText(facts.township)
        self.village.setText(facts.village)
        self.skills.setText(facts.skills)
        self.team.setText(facts.team_name)
        self.notes.setText(facts.notes)

    def facts(self) -> VolunteerFacts:
        return VolunteerFacts(
            name=self.name.text(),
            sex=self.sex.currentText(),
            phone=self.phone.value(),
            identities=tuple(b.text() for b in self.identities if b.isChecked()),
            work_unit=self.work_unit.text(),
            township=self.township.text(),
            village=self.village.text(),
            skills=self.skills.text(),
            team_name=self.team.text(),
            notes=self.notes.text(),
        )

    def _reveal_phone(self) -> str | None:
        try:
            return volunteer_service.reveal_phone(
                self.workspace.db, self.uid, origin=self.workspace.origin()
            )
        except USER_ERRORS as error:
            show_error(self, error)
            return None

    def save(self) -> None:
        db, origin = self.workspace.db, self.workspace.origin()
        try:
            if self.uid:
                volunteer_service.update_volunteer(db, self.uid, self.facts(), origin=origin)
            else:
                self.uid = volunteer_service.register_volunteer(db, self.facts(), origin=origin)
        except ValidationError as error:
            self.problem.setText("\n".join(error.problems.values()))
            return
        except USER_ERRORS as error:
            show_error(self, error)
            return
        self.accept()

    def reject(self) -> None:
        """取消, Esc and the window's close come here: typing is never dropped without asking."""
        if may_discard(self, self._typed):
            super().reject()
