"""结对 from a child (pick volunteers, nearby and least loaded first) or from a volunteer
(pick children, unpaired first); and ending a pairing with a date and a reason."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.people import PAIRING_MODES
from carebook.gui.dialogs.visit_dialog import date_edit, from_qdate, to_qdate
from carebook.gui.pages.care_table import RowTableModel, make_table, selected_payloads, set_widths
from carebook.gui.state import USER_ERRORS, show_error
from carebook.i18n import tr
from carebook.services import pairings as pairing_service
from carebook.services.children import get_child
from carebook.services.volunteers import get_volunteer, list_volunteers
from carebook.services.workspace import Workspace

NEARNESS = {0: "本村", 1: "本乡镇", 2: "其他乡镇"}
END_REASONS = ("工作调动", "儿童退出台账", "爱心妈妈停用", "儿童父母返乡", "续签", "其他")
SHOWN_CHILDREN = 2000


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
        self._volunteer_uids: list[str] = []  # beside the picker's labels, in their order
        self._build_ui()
        self._connect_signals()
        self.reload()

    @property
    def picking_volunteers(self) -> bool:
        return self.child_uid is not None

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("新建结对"))
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.volunteer_pick = QComboBox()
        if not self.picking_volunteers and self.volunteer_uid is None:
            row = QHBoxLayout()
            row.addWidget(QLabel(tr("爱心妈妈")))
            volunteers = list_volunteers(self.workspace.db)
            # One call for the labels, the uids beside them, and a width not measured over
            # every entry: a county lists tens of thousands (addItem each took a second).
            self._volunteer_uids = [v.uid for v in volunteers]
            self.volunteer_pick.addItems(
                [
                    tr(
                        "{name}（{village}，结对 {n} 名）",
                        name=v.name,
                        village=v.village or "-",
                        n=v.active_children,
                    )
                    for v in volunteers
                ]
            )
            self.volunteer_pick.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            self.volunteer_pick.setMinimumContentsLength(24)
            row.addWidget(self.volunteer_pick, 1)
            layout.addLayout(row)
            self.volunteer_uid = self._picked_volunteer()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("搜索儿童：姓名、拼音、身份证号、电话"))
        self.search.setVisible(not self.picking_volunteers)
        layout.addWidget(self.search)
        hint = (
            tr("同村、结对儿童少的爱心妈妈排在前面；可按住 Ctrl 多选（多对一）。")
            if self.picking_volunteers
            else tr("还没有爱心妈妈的儿童排在前面；可按住 Ctrl 或 Shift 多选（一对多）。")
        )
        layout.addWidget(QLabel(hint))
        headers = (
            ["姓名", "乡镇", "村（社区）", "当前结对儿童", "距离", "团队"]
            if self.picking_volunteers
            else ["姓名", "乡镇", "村（社区）", "学校", "已有爱心妈妈", "距离"]
        )
        self.model = RowTableModel([tr(h) for h in headers])
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
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.search.returnPressed.connect(self.reload)
        self.search.textChanged.connect(lambda text: self.reload() if not text else None)
        self.volunteer_pick.currentIndexChanged.connect(self._volunteer_changed)

    def keyPressEvent(self, event) -> None:
        # Enter in the search box searches; it must not also press 结对 (with nothing chosen,
        # as the new search has just cleared the list's selection).
        searching = self.focusWidget() is self.search
        if searching and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def _volunteer_changed(self) -> None:
        self.volunteer_uid = self._picked_volunteer()
        self.reload()

    def _picked_volunteer(self) -> str | None:
        index = self.volunteer_pick.currentIndex()
        uids = self._volunteer_uids
        return uids[index] if 0 <= index < len(uids) else None

    def reload(self) -> None:
        db = self.workspace.db
        try:
            if self.picking_volunteers:
                child = get_child(db, self.child_uid)
                self.heading.setText(tr("为 {name} 选择爱心妈妈", name=child.facts.name))
                rows = pairing_service.volunteer_choices_for_child(db, self.child_uid)
                cells = [
                    (r.name, r.township, r.village, r.load, tr(NEARNESS[r.nearness]), r.team_name)
                    for r in rows
                ]
            elif self.volunteer_uid:
                volunteer = get_volunteer(db, self.volunteer_uid)
                self.heading.setText(tr("为 {name} 选择结对儿童", name=volunteer.name))
                rows = pairing_service.child_choices_for_volunteer(
                    db, self.volunteer_uid, search=self.search.text(), limit=SHOWN_CHILDREN
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
                self.heading.setText(tr("还没有在岗的爱心妈妈，请先登记。"))
                rows, cells = [], []
        except USER_ERRORS as error:
            show_error(self, error)
            return
        self.model.set_rows(cells, rows)

    def save(self) -> None:
        chosen = selected_payloads(self.table)
        if self.picking_volunteers:
            volunteers, children = [c.uid for c in chosen], [self.child_uid]
        else:
            volunteers, children = (
                [self.volunteer_uid] if self.volunteer_uid else [],
                [c.uid for c in chosen],
            )
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
