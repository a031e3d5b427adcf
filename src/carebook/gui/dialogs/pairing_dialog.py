"""结对 from a child (pick volunteers, nearby and least loaded first) or from a volunteer
(pick children, unpaired first); and ending a pairing with a date and a reason."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.people import PAIRING_MODES
from carebook.gui.dialogs.visit_dialog import date_edit, from_qdate, to_qdate
from carebook.gui.pages.care_table import RowTableModel, make_table, selected_payloads, set_widths
from carebook.gui.state import USER_ERRORS, show_error
from carebook.gui.widgets.form_footer import ask_discard, may_discard, typed_values
from carebook.gui.widgets.volunteer_finder import VolunteerFinder
from carebook.gui.window_size import fit_to_screen
from carebook.i18n import tr
from carebook.services import pairings as pairing_service
from carebook.services.children import get_child
from carebook.services.volunteers import get_volunteer
from carebook.services.workspace import Workspace

NEARNESS = {0: "本村", 1: "本乡镇", 2: "其他乡镇"}
END_REASONS = ("工作调动", "儿童退出台账", "爱心妈妈停用", "儿童父母返乡", "续签", "其他")
SHOWN_CHILDREN = 2000
SHOWN_VOLUNTEERS = 200  # the nearest and least loaded; others are found by typing


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
    box.rejected.connect(dialog.reject)
    return box


class PairingDialog(QDialog):
    """Pair from a child, from a volunteer, or (neither given) pick the volunteer first."""

    def __init__(
        self,
        workspace: Workspace,
        child_uid: str | None = None,
        volunteer_uid: str | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.child_uid = child_uid
        self.volunteer_uid = volunteer_uid
        self.today = today or date.today()
        self.created: list[str] = []
        # Neither side given (the 结对 page): the volunteer is picked in the dialog.
        self.choosing_volunteer = child_uid is None and volunteer_uid is None
        self._build_ui()
        self._connect_signals()
        self.reload()
        self._typed = self._terms()

    @property
    def picking_volunteers(self) -> bool:
        return self.child_uid is not None

    def _terms(self) -> tuple:
        """What the worker writes about the pairing (searches and picks are found again)."""
        return (self.notes.text(), self.started_on.text(), self.mode.currentIndex())

    def reject(self) -> None:
        """Esc and 取消: a typed note or a changed date or mode is not dropped without asking."""
        if self._terms() == self._typed or ask_discard(self):
            super().reject()

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("新建结对"))
        fit_to_screen(self, 900, 720 if self.choosing_volunteer else 580)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.finder: VolunteerFinder | None = None
        if self.choosing_volunteer:
            # From the 结对 page no one is fixed: she is found by typing (a county lists tens
            # of thousands), and 结对 stays off until one is picked.
            layout.addWidget(QLabel(tr("① 选定爱心妈妈")))
            self.finder = VolunteerFinder(self.workspace.db)
            layout.addWidget(self.finder)
            layout.addWidget(QLabel(tr("② 选择结对儿童")))
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            tr("搜索爱心妈妈：姓名、拼音首字母、手机号中的几位、村名（按回车）")
            if self.picking_volunteers
            else tr("搜索儿童：姓名、拼音、身份证号、电话")
        )
        layout.addWidget(self.search)
        hint = (
            tr("同村、结对儿童少的爱心妈妈排在前面；可按住 Ctrl 多选（多对一）。")
            if self.picking_volunteers
            else tr("还没有爱心妈妈的儿童排在前面；可按住 Ctrl 或 Shift 多选（一对多）。")
        )
        layout.addWidget(QLabel(hint))
        headers = (
            ["姓名", "乡镇", "村（社区）", "手机（隐去中间四位）", "当前结对儿童", "距离", "团队"]
            if self.picking_volunteers
            else ["姓名", "乡镇", "村（社区）", "学校", "已有爱心妈妈", "距离"]
        )
        self.model = RowTableModel([tr(h) for h in headers], self)
        self.table = make_table(self.model, multi=True)
        set_widths(self.table, {0: 90, 1: 110, 2: 120, 3: 150})
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.started_on = date_edit(self.today)
        self.started_on.setMaximumDate(to_qdate(self.today))
        self.mode = QComboBox()
        self.mode.addItem(tr("按人数自动判断"), None)
        for mode in PAIRING_MODES:
            self.mode.addItem(mode, mode)
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(tr("如 每月电话问候一次，每学期走访一次"))
        form.addRow(tr("结对开始日期"), self.started_on)
        form.addRow(tr("结对方式"), self.mode)
        form.addRow(tr("备注"), self.notes)
        layout.addLayout(form)
        self.buttons = _buttons(self, tr("确定结对"))
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.search.installEventFilter(self)
        self.search.textChanged.connect(lambda text: self.reload() if not text else None)
        if self.finder is not None:
            self.finder.chosenChanged.connect(self._volunteer_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the search box searches and goes no further: passed on, it pressed 结对
        # (with nothing chosen, as the new search has just cleared the list's selection).
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.reload()
            return True
        return super().eventFilter(watched, event)

    def _volunteer_changed(self) -> None:
        self.reload()
        if self.finder is not None and self.finder.chosen is not None:
            self.search.setFocus()  # next step: her children

    def chosen_volunteer(self) -> str | None:
        """The volunteer this dialog pairs: the fixed one, or the one picked and still named
        under the search box (editing the text there drops the pick)."""
        if self.finder is not None:
            return self.finder.chosen.uid if self.finder.chosen is not None else None
        return self.volunteer_uid

    def reload(self) -> None:
        db = self.workspace.db
        # Off until the heading and the list below it are the chosen volunteer's (or child's).
        self.ok_button.setEnabled(False)
        try:
            if self.picking_volunteers:
                child = get_child(db, self.child_uid)
                self.heading.setText(tr("为 {name} 选择爱心妈妈", name=child.facts.name))
                rows = pairing_service.volunteer_choices_for_child(
                    db, self.child_uid, search=self.search.text(), limit=SHOWN_VOLUNTEERS
                )
                cells = [
                    (
                        r.name,
                        r.township,
                        r.village,
                        r.masked_phone,
                        r.load,
                        tr(NEARNESS[r.nearness]),
                        r.team_name,
                    )
                    for r in rows
                ]
            elif volunteer_uid := self.chosen_volunteer():
                volunteer = get_volunteer(db, volunteer_uid)
                if self.finder is None:
                    self.heading.setText(tr("为 {name} 选择结对儿童", name=volunteer.name))
                else:  # picked among namesakes: the heading says which one
                    self.heading.setText(
                        tr(
                            "为 {name}（{place}）选择结对儿童",
                            name=volunteer.name,
                            place=volunteer.village or volunteer.township or "-",
                        )
                    )
                rows = pairing_service.child_choices_for_volunteer(
                    db, volunteer_uid, search=self.search.text(), limit=SHOWN_CHILDREN
                )
                cells = [
                    (
                        r.name,
                        r.township,
                        r.village,
                        r.school,
                        r.volunteers,
                        tr(NEARNESS[r.nearness]),
                    )
                    for r in rows
                ]
            else:
                nobody = self.finder is None or (
                    not self.finder.total and not self.finder.search.text().strip()
                )
                self.heading.setText(
                    tr("还没有在岗的爱心妈妈，请先登记。")
                    if nobody
                    else tr("新建结对：先选定爱心妈妈，再选择结对儿童")
                )
                rows, cells = [], []
        except USER_ERRORS as error:  # e.g. she was deleted meanwhile: nothing to pair
            self.heading.setText(tr("新建结对"))
            self.model.set_rows([], [])
            show_error(self, error)
            return
        self.model.set_rows(cells, rows)
        self.ok_button.setEnabled(self.picking_volunteers or self.chosen_volunteer() is not None)

    def save(self) -> None:
        chosen = selected_payloads(self.table)
        if self.picking_volunteers:
            volunteers, children = [c.uid for c in chosen], [self.child_uid]
        else:
            volunteer_uid = self.chosen_volunteer()
            if volunteer_uid is None:  # 结对 is off then; a stray call saves nothing either
                return
            volunteers, children = [volunteer_uid], [c.uid for c in chosen]
        try:
            self.created = pairing_service.pair(
                self.workspace.db,
                volunteers,
                children,
                started_on=from_qdate(self.started_on.date()),
                mode=self.mode.currentData(),
                notes=self.notes.text(),
                origin=self.workspace.origin(),
                today=self.today,
            )
        except USER_ERRORS as error:
            show_error(self, error)
            return
        self.accept()


class EndPairingDialog(QDialog):
    """End one pairing: the date and a reason (a choice or free text)."""

    def __init__(
        self,
        workspace: Workspace,
        row: pairing_service.PairingRow,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.row = row
        today = today or date.today()
        self.setWindowTitle(tr("结束结对"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                tr(
                    "{v} 与 {c} 的结对（{d} 起）",
                    v=row.volunteer_name,
                    c=row.child_name,
                    d=row.started_on,
                )
            )
        )
        form = QFormLayout()
        self.ended_on = date_edit(today)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems([tr(r) for r in END_REASONS if r != "续签"])
        form.addRow(tr("结束日期"), self.ended_on)
        form.addRow(tr("结束原因"), self.reason)
        layout.addLayout(form)
        self.buttons = _buttons(self, tr("结束结对"))
        self.buttons.accepted.connect(self.save)
        layout.addWidget(self.buttons)
        self._typed = typed_values(self)

    def reject(self) -> None:
        """Esc and 取消: a reason typed out is not dropped without asking."""
        if may_discard(self, self._typed):
            super().reject()

    def save(self) -> None:
        try:
            pairing_service.end_pairing(
                self.workspace.db,
                self.row.uid,
                on=from_qdate(self.ended_on.date()),
                reason=self.reason.currentText(),
                origin=self.workspace.origin(),
            )
        except USER_ERRORS as error:
            show_error(self, error)
            return
        self.accept()
