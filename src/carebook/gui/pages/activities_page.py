"""活动: the group events, who took part and what was handed out."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.dates import parse_period
from carebook.domain.errors import DomainError
from carebook.gui import printing_actions
from carebook.gui.dialogs.activity_dialog import ActivityDialog
from carebook.gui.pages.care_table import RowTableModel, make_table, selected_payloads, set_widths
from carebook.gui.pages.today import FollowsToday
from carebook.gui.state import USER_ERRORS, show_error
from carebook.i18n import tr
from carebook.services import activities as activity_service
from carebook.services import activity_edit
from carebook.services.workspace import Workspace

HEADERS = ["日期", "活动", "主办", "地点", "物资", "儿童", "爱心妈妈", "物资价值（元）"]


class ActivitiesPage(FollowsToday, QWidget):
    def __init__(self, workspace: Workspace, *, today: date | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self._fixed_today = today
        self._build_ui()
        self._connect_signals()
        self.refresh()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('活动')}</h2>"))
        bar = QHBoxLayout()
        self.period = QLineEdit()
        self.period.setPlaceholderText(tr("全部；或 2026、2026-Q4、2026-11"))
        self.add_button = QPushButton(tr("登记活动…"))
        bar.addWidget(QLabel(tr("时段")))
        bar.addWidget(self.period)
        bar.addStretch()
        bar.addWidget(self.add_button)
        self.edit_button = QPushButton(tr("修改活动…"))
        self.delete_button = QPushButton(tr("删除活动"))
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        self.sign_in_button = QPushButton(tr("打印签到表"))
        bar.addWidget(self.sign_in_button)
        layout.addLayout(bar)
        self.count = QLabel()
        layout.addWidget(self.count)
        split = QSplitter()
        self.model = RowTableModel([tr(h) for h in HEADERS])
        self.table = make_table(self.model)
        set_widths(self.table, {0: 95, 1: 150, 2: 80, 3: 90, 4: 70, 5: 50, 6: 70})
        split.addWidget(self.table)
        side = QWidget()
        box = QVBoxLayout(side)
        box.setContentsMargins(0, 0, 0, 0)
        self.detail = QLabel(tr("选择一次活动查看参加的人"))
        self.detail.setWordWrap(True)
        box.addWidget(self.detail)
        self.people_model = RowTableModel([tr("姓名"), tr("村（社区）"), tr("身份")])
        box.addWidget(make_table(self.people_model), 1)
        split.addWidget(side)
        split.setSizes([760, 380])
        layout.addWidget(split, 1)

    def _connect_signals(self) -> None:
        self.period.editingFinished.connect(self.refresh)
        self.add_button.clicked.connect(self.add)
        self.sign_in_button.clicked.connect(self.print_sign_in)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.table.activated.connect(lambda _index: self.edit())  # Enter or a double click
        self.table.selectionModel().selectionChanged.connect(self._show_detail)

    def refresh(self, keep_uid: str | None = None) -> None:
        """The list for the period; the row keep_uid (the one just saved) chosen again."""
        start = end = None
        if self.period.text().strip():
            try:
                start, end = parse_period(self.period.text(), today=self.today)
            except DomainError as error:
                self.count.setText(error.message)
                return
        rows = activity_service.list_activities(self.workspace.db, start=start, end=end)
        self.model.set_rows(
            [
                (
                    r.held_on,
                    r.title,
                    r.organiser,
                    r.place,
                    r.goods,
                    r.children,
                    r.volunteers,
                    r.value,
                )
                for r in rows
            ],
            rows,
        )
        self.count.setText(
            tr("共 {n} 次活动，参加儿童 {c} 人次", n=len(rows), c=sum(r.children for r in rows))
        )
        at = next((i for i, r in enumerate(rows) if r.uid == keep_uid), 0)
        if rows:
            self.table.selectRow(at)
        else:
            self.detail.setText(tr("选择一次活动查看参加的人"))
            self.people_model.set_rows([])
        self._enable(bool(rows))

    def _enable(self, chosen: bool) -> None:
        for button in (self.edit_button, self.delete_button, self.sign_in_button):
            button.setEnabled(chosen)

    def _show_detail(self) -> None:
        chosen = selected_payloads(self.table)
        if not chosen:
            return
        detail = activity_service.get_activity(self.workspace.db, chosen[0].uid)
        r = detail.row
        # Rich text: what the worker typed is escaped, or '<安全>' in a title read as a tag.
        self.detail.setText(
            f"<b>{escape(r.title)}</b>　{r.held_on}<br>"
            + tr(
                "主办：{o}　协办：{p}　地点：{pl}",
                o=escape(r.organiser or "-"),
                p=escape(r.partners or "-"),
                pl=escape(r.place or "-"),
            )
            + (f"<br>{escape(detail.description)}" if detail.description else "")
            + (tr("<br>发放：{g}，合计 {v} 元", g=escape(r.goods), v=r.value) if r.goods else "")
        )
        people = [(n, v, tr("儿童")) for _u, n, v in detail.children]
        people += [(n, v or "", tr("爱心妈妈")) for _u, n, v in detail.volunteers]
        self.people_model.set_rows(people)

    def add(self) -> None:
        dialog = ActivityDialog(self.workspace, self, today=self.today)
        if dialog.exec():
            self.refresh(dialog.saved_uid)

    def _chosen(self) -> activity_service.ActivityRow | None:
        chosen = selected_payloads(self.table)
        if not chosen:
            QMessageBox.information(self, tr("活动"), tr("请先选中一场活动。"))
            return None
        return chosen[0]

    def edit(self) -> None:
        """The chosen activity in its form, to correct; the list shows the correction."""
        row = self._chosen()
        if row is None:
            return
        try:
            dialog = ActivityDialog(self.workspace, self, activity_uid=row.uid, today=self.today)
        except USER_ERRORS as error:  # deleted meanwhile (a merge, another window)
            show_error(self, error)
            self.refresh()
            return
        if dialog.exec():
            self.refresh(row.uid)

    def delete(self) -> None:
        """Mark the chosen activity deleted, with the goods records handed out at it."""
        row = self._chosen()
        if row is None:
            return
        try:
            detail = activity_service.get_activity(self.workspace.db, row.uid)
        except USER_ERRORS as error:
            show_error(self, error)
            self.refresh()
            return
        answer = QMessageBox.question(
            self,
            tr("删除活动"),
            delete_question(detail),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            activity_edit.delete_activity(
                self.workspace.db, row.uid, origin=self.workspace.origin()
            )
        except USER_ERRORS as error:
            show_error(self, error)
        self.refresh()

    def print_sign_in(self) -> None:
        """The activity's sign-in sheet (签到表) with its participants."""
        chosen = selected_payloads(self.table)
        if not chosen:
            QMessageBox.information(self, tr("活动"), tr("请先选中一场活动。"))
            return
        self._print_job = printing_actions.print_sign_in(self, self.workspace, chosen[0].uid)


def delete_question(detail: activity_service.ActivityDetail) -> str:
    """The confirmation names the activity and what goes with it."""
    r = detail.row
    text = tr(
        "删除活动“{title}”（{day}）？\n参加儿童 {n} 名，爱心妈妈 {v} 名。",
        title=r.title,
        day=r.held_on,
        n=r.children,
        v=r.volunteers,
    )
    if detail.goods_records:
        text += "\n" + tr(
            "随活动发放的物资记录 {g} 条（合计 {value} 元）也一并删除。",
            g=detail.goods_records,
            value=r.value,
        )
    return (
        text
        + "\n"
        + tr(
            "删除后不再出现在活动列表、统计、儿童档案和打印中；记录标为删除并写入操作记录，不会抹掉。"
        )
    )
