"""Log (or edit) a visit in under a minute: today, the usual way, one click per aspect, save."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.people import VISIT_WAYS
from carebook.gui.state import USER_ERRORS, show_error
from carebook.gui.widgets.date_field import DateField
from carebook.gui.widgets.form_footer import (
    enter_moves_on,
    may_discard,
    save_cancel_buttons,
    typed_values,
)
from carebook.i18n import tr
from carebook.services import visits as visit_service
from carebook.services.workspace import Workspace


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(value: date) -> DateField:
    """The date field of every care form: typed as people type dates, or picked."""
    return DateField(to_qdate(value), today=value)


def _aspect_label(key: str, label: str) -> str:
    # Spelled out so each label is a whole string the translation catalogue can hold.
    labels = {
        "life": tr("生活情况"),
        "study": tr("学习情况"),
        "health": tr("健康情况"),
        "safety": tr("安全情况"),
        "mental": tr("心理情况"),
    }
    return labels.get(key, label)


class VisitDialog(QDialog):
    """One form for one visit to the given children (several = one family visit)."""

    def __init__(
        self,
        workspace: Workspace,
        child_uids: Sequence[str],
        parent: QWidget | None = None,
        *,
        visit_uid: str | None = None,
        today: date | None = None,
        visitor_uid: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.child_uids = list(child_uids)
        self.visit_uid = visit_uid
        self.visitor_uid = visitor_uid  # the 爱心妈妈 whose visit this is, when known
        self.today = today or date.today()
        self.saved_uids: list[str] = []
        self._kept_visitor: tuple[str, str | None] = ("", None)  # (name, 爱心妈妈) as loaded
        self._loaded_on: date | None = None  # the date of the visit being corrected
        self._loaded_next: date | None = None  # and the next visit it asked for
        self._proposed: date | None = None  # the schedule's next date, as last shown
        self.context = visit_service.visit_context(workspace.db, self.child_uids)
        self._build_ui()
        self._connect_signals()
        if visit_uid:
            self._load(visit_service.get_visit(workspace.db, visit_uid).visit)
        else:
            self._propose_next()
        self._typed = typed_values(self)

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("修改走访记录") if self.visit_uid else tr("登记走访"))
        self.resize(620, 640)
        layout = QVBoxLayout(self)
        names = "、".join(f"{name}（{village}）" for _, name, village in self.context.children)
        who = QLabel(tr("走访儿童：{names}", names=names))
        who.setWordWrap(True)
        who.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(who)
        if len(self.context.children) > 1:
            layout.addWidget(QLabel(tr("同一家庭的多名儿童将各记一条走访，共用一次入户。")))
        self.left_note: QLabel | None = None
        if self.context.left:
            self.left_note = QLabel(
                "".join(self.context.left)
                + tr("已退出的儿童不在应走访名单上；退出前的走访仍可补录。")
            )
            self.left_note.setWordWrap(True)
            self.left_note.setStyleSheet("color: #b45309;")
            layout.addWidget(self.left_note)
        form = QFormLayout()
        self.visited_on = date_edit(self.today)
        self.visited_on.setMaximumDate(to_qdate(self.today))
        self.way = QComboBox()
        self.way.addItems(list(VISIT_WAYS))
        self.visitor = QComboBox()
        self.visitor.setEditable(True)
        worker = self.workspace.settings.worker_name or tr("儿童主任")
        self.visitor.addItem(worker, None)
        for uid, name in self.context.volunteers:
            self.visitor.addItem(tr("{name}（爱心妈妈）", name=name), uid)
        if self.visitor_uid and (index := self.visitor.findData(self.visitor_uid)) >= 0:
            self.visitor.setCurrentIndex(index)
        met_row = QHBoxLayout()
        self.met: list[QCheckBox] = []
        for label in visit_service.PEOPLE_MET:
            box = QCheckBox(label)
            box.setChecked(label in ("儿童", "监护人"))
            self.met.append(box)
            met_row.addWidget(box)
        met_row.addStretch()
        form.addRow(tr("走访日期"), self.visited_on)
        form.addRow(tr("走访方式"), self.way)
        form.addRow(tr("走访人"), self.visitor)
        form.addRow(tr("见到的人"), met_row)
        self.aspects: dict[str, QComboBox] = {}
        for key, label in visit_service.ASPECTS.items():
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(list(visit_service.ASPECT_CHOICES[key]))
            self.aspects[key] = combo
            form.addRow(_aspect_label(key, label), combo)
        self.guardianship = QLineEdit()
        self.problems = QPlainTextEdit()
        self.help_given = QPlainTextEdit()
        self.follow_up = QLineEdit()
        for box in (self.problems, self.help_given):
            box.setFixedHeight(56)
            box.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.next_visit = date_edit(self.today)
        self.next_note = QLabel()
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_visit)
        next_row.addWidget(self.next_note, 1)
        if len(self.context.left) == len(self.context.children):
            # No one here is on the register: the schedule plans nothing after this visit.
            self.next_visit.setEnabled(False)
            self.next_note.setText(tr("已退出台账，不再安排下次走访"))
        form.addRow(tr("监护问题"), self.guardianship)
        form.addRow(tr("发现的问题"), self.problems)
        form.addRow(tr("帮扶措施"), self.help_given)
        form.addRow(tr("需跟进事项"), self.follow_up)
        form.addRow(tr("下次走访日期"), next_row)
        layout.addLayout(form)
        # Spare height goes below the form: given to the last row, it floated 下次走访日期 far
        # above its date.
        layout.addStretch(1)
        self.buttons = save_cancel_buttons()
        enter_moves_on(self)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.visited_on.dateChanged.connect(self._propose_next)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def _propose_next(self) -> None:
        if not self.next_visit.isEnabled():
            return
        proposed = visit_service.propose_next_visit(
            self.workspace.db,
            self.child_uids,
            from_qdate(self.visited_on.date()),
            self.workspace.visit_rules(),
        )
        if proposed:
            # The rules give the latest date; a visitor may ask to come back sooner. A date
            # asked for (typed, or the corrected visit's) stays while it is still after the
            # visit and within the rules: correcting the visit's date did not undo the request.
            shown = from_qdate(self.next_visit.date())
            asked = shown if self._proposed is not None and shown != self._proposed else None
            visited = from_qdate(self.visited_on.date())
            keep = asked is not None and visited < asked <= proposed
            self.next_visit.setMaximumDate(to_qdate(proposed))
            self.next_visit.setDate(to_qdate(asked if keep else proposed))
            self._proposed = proposed
            self.next_note.setText(tr("按走访规则推算，可修改为更早的日期"))

    def _load(self, v: visit_service.VisitInput) -> None:
        self._loaded_on, self._loaded_next = v.visited_on, v.next_visit_on
        self.visited_on.blockSignals(True)
        self.visited_on.setDate(to_qdate(v.visited_on))
        self.visited_on.blockSignals(False)
        self.way.setCurrentText(v.way)
        index = self.visitor.findData(v.volunteer_uid) if v.volunteer_uid else -1
        offered = self.visitor.itemText(index).removesuffix(tr("（爱心妈妈）"))
        if index >= 0 and v.visitor_name in ("", offered):
            self.visitor.setCurrentIndex(index)
        else:
            # The visitor as written (儿童主任 with the child's 爱心妈妈, or a 爱心妈妈 whose
            # pairing has ended, so not offered): shown as it is and kept with its 爱心妈妈,
            # or saving a corrected date rewrote who visited, or dropped her.
            self.visitor.setEditText(v.visitor_name)
            self._kept_visitor = (v.visitor_name, v.volunteer_uid)
        for box in self.met:
            box.setChecked(box.text() in v.people_met.split("、"))
        for key, combo in self.aspects.items():
            combo.setEditText(getattr(v, key))
        self.guardianship.setText(v.guardianship_problems)
        self.problems.setPlainText(v.problems)
        self.help_given.setPlainText(v.help_given)
        self.follow_up.setText(v.follow_up)
        self._propose_next()
        if v.next_visit_on:
            self.next_visit.setDate(to_qdate(v.next_visit_on))

    def visit_input(self) -> visit_service.VisitInput:
        text = self.visitor.currentText().strip()
        volunteer_uid = self.visitor.currentData()
        if volunteer_uid and text != self.visitor.itemText(self.visitor.currentIndex()):
            volunteer_uid = None  # the worker typed over the chosen name
        name = text.removesuffix(tr("（爱心妈妈）")) if volunteer_uid else text
        if volunteer_uid is None and text == self._kept_visitor[0]:
            volunteer_uid = self._kept_visitor[1]
        return visit_service.VisitInput(
            visited_on=from_qdate(self.visited_on.date()),
            way=self.way.currentText(),
            visitor_name=name,
            volunteer_uid=volunteer_uid,
            people_met="、".join(b.text() for b in self.met if b.isChecked()),
            guardianship_problems=self.guardianship.text(),
            problems=self.problems.toPlainText(),
            help_given=self.help_given.toPlainText(),
            follow_up=self.follow_up.text(),
            # For a child who has left, what the visit held stays (none for a new one).
            next_visit_on=(
                from_qdate(self.next_visit.date())
                if self.next_visit.isEnabled()
                else self._loaded_next
            ),
            **{key: combo.currentText() for key, combo in self.aspects.items()},
        )

    def _same_day_is_meant(self, visit: visit_service.VisitInput) -> bool:
        """A second visit on a day that already has one is asked about: a paper sheet entered
        twice, or the date left at today while typing last week's sheets, looked like this."""
        if self.visit_uid and visit.visited_on == self._loaded_on:
            return True
        found = visit_service.visits_on_day(
            self.workspace.db, self.child_uids, visit.visited_on, except_uid=self.visit_uid
        )
        if not found:
            return True
        first = found[0]
        answer = QMessageBox.question(
            self,
            tr("关爱簿"),
            tr(
                "{name} 在 {day} 已有一条走访记录（{way}，{visitor}）。"
                "这张走访表是不是已经录入过了？仍要再记一条吗？",
                name="、".join(dict.fromkeys(r.child_name for r in found)),
                day=visit.visited_on.isoformat(),
                way=first.way,
                visitor=first.volunteer_name or first.visitor,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def save(self) -> None:
        rules = self.workspace.visit_rules()
        try:
            visit = self.visit_input()
            if not self._same_day_is_meant(visit):
                self.visited_on.lineEdit().setFocus()
                self.visited_on.lineEdit().selectAll()
                return
            if self.visit_uid:
                visit_service.update_visit(
                    self.workspace.db,
                    self.visit_uid,
                    visit,
                    rules=rules,
                    origin=self.workspace.origin(),
                    today=self.today,
                )
                self.saved_uids = [self.visit_uid]
            else:
                self.saved_uids = visit_service.log_visit(
                    self.workspace.db,
                    self.child_uids,
                    visit,
                    rules=rules,
                    origin=self.workspace.origin(),
                    today=self.today,
                )
        except USER_ERRORS as error:
            show_error(self, error)
            return
        self.accept()

    def reject(self) -> None:
        """取消, Esc and the window's close come here: typing is never dropped without asking."""
        if may_discard(self, self._typed):
            super().reject()
