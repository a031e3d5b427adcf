"""爱心妈妈: the list with search and filters, and her page: her children, visits, activities."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.dialogs.pairing_dialog import EndPairingDialog, PairingDialog
from carebook.gui.dialogs.volunteer_dialog import VolunteerDialog
from carebook.gui.pages.care_table import RowTableModel, make_table, selected_payloads, set_widths
from carebook.gui.state import USER_ERRORS, show_error
from carebook.i18n import tr
from carebook.services import activities as activity_service
from carebook.services import pairings as pairing_service
from carebook.services import visits as visit_service
from carebook.services import volunteers as volunteer_service
from carebook.services.workspace import Workspace

# A volunteer's status as shown: "停用" alone reads as the button (Deactivate) in English.
STATUS_SHOWN = {"在岗": "在岗", "停用": "已停用"}
LIST_HEADERS = ["姓名", "身份", "工作单位", "村（社区）", "手机", "结对儿童", "状态"]


class VolunteersPage(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.current: volunteer_service.VolunteerRow | None = None
        self._build_ui()
        self._connect_signals()
        self.refresh()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('爱心妈妈')}</h2>"))
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("搜索：姓名、拼音或首字母、手机号、单位、团队"))
        self.search.setClearButtonEnabled(True)
        self.inactive = QCheckBox(tr("含已停用"))
        self.add_button = QPushButton(tr("登记爱心妈妈…"))
        bar.addWidget(self.search, 1)
        bar.addWidget(self.inactive)
        bar.addWidget(self.add_button)
        layout.addLayout(bar)
        self.count = QLabel()
        layout.addWidget(self.count)
        split = QSplitter()
        self.model = RowTableModel([tr(h) for h in LIST_HEADERS])
        self.table = make_table(self.model)
        set_widths(self.table, {0: 80, 1: 150, 2: 130, 3: 100, 4: 110, 5: 70})
        split.addWidget(self.table)
        split.addWidget(self._detail_panel())
        split.setSizes([620, 520])
        layout.addWidget(split, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)

    def _detail_panel(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 0, 0, 0)
        self.detail = QLabel(tr("在左侧选择一位爱心妈妈"))
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("font-size: 12pt;")
        box.addWidget(self.detail)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton(tr("修改…"))
        self.active_button = QPushButton(tr("停用"))
        self.pair_button = QPushButton(tr("结对儿童…"))
        self.end_button = QPushButton(tr("结束结对…"))
        for b in (self.edit_button, self.active_button, self.pair_button, self.end_button):
            buttons.addWidget(b)
        buttons.addStretch()
        box.addLayout(buttons)
        self.tabs = QTabWidget()
        self.children_model = RowTableModel(
            [tr(h) for h in ("儿童", "村（社区）", "方式", "开始", "结束", "结束原因")]
        )
        self.children_table = make_table(self.children_model)
        self.visits_model = RowTableModel(
            [tr(h) for h in ("日期", "儿童", "方式", "见到的人", "发现的问题")]
        )
        self.activities_model = RowTableModel([tr(h) for h in ("日期", "活动", "地点")])
        self.tabs.addTab(self.children_table, tr("结对儿童"))
        self.tabs.addTab(make_table(self.visits_model), tr("走访"))
        self.tabs.addTab(make_table(self.activities_model), tr("活动"))
        box.addWidget(self.tabs, 1)
        return panel

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self._debounce.timeout.connect(self.refresh)
        self.inactive.toggled.connect(self.refresh)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.active_button.clicked.connect(self.toggle_active)
        self.pair_button.clicked.connect(self.pair)
        self.end_button.clicked.connect(self.end_pairing)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(self.edit)

    def refresh(self) -> None:
        keep = self.current.uid if self.current else None
        rows = volunteer_service.list_volunteers(
            self.workspace.db, search=self.search.text(), include_inactive=self.inactive.isChecked()
        )
        mask = self.workspace.settings.mask_personal_numbers
        self.model.set_rows(
            [
                (
                    r.name,
                    "、".join(r.identities),
                    r.work_unit,
                    r.village,
                    r.masked_phone if mask else r.phone,
                    r.active_children,
                    tr(STATUS_SHOWN.get(r.status, r.status)),
                )
                for r in rows
            ],
            rows,
        )
        paired = sum(1 for r in rows if r.active_children)
        self.count.setText(tr("共 {n} 位，其中 {p} 位正在结对", n=len(rows), p=paired))
        for n, r in enumerate(rows):
            if r.uid == keep:
                self.table.selectRow(n)
                return
        if rows:
            self.table.selectRow(0)
        else:
            self.show_volunteer(None)

    def _selected(self) -> None:
        chosen = selected_payloads(self.table)
        self.show_volunteer(chosen[0] if chosen else None)

    def show_volunteer(self, row: volunteer_service.VolunteerRow | None) -> None:
        self.current = row
        for b in (self.edit_button, self.active_button, self.pair_button, self.end_button):
            b.setEnabled(row is not None)
        if row is None:
            self.detail.setText(tr("在左侧选择一位爱心妈妈"))
            for model in (self.children_model, self.visits_model, self.activities_model):
                model.set_rows([])
            return
        self.active_button.setText(tr("停用") if row.status == "在岗" else tr("重新启用"))
        self.pair_button.setEnabled(row.status == "在岗")
        place = " ".join(p for p in (row.township, row.village) if p)
        self.detail.setText(
            f"<b>{row.name}</b>{tr('（{s}）', s=tr(STATUS_SHOWN.get(row.status, row.status)))}"
            f"　{'、'.join(row.identities)}<br>"
            f"{row.work_unit}　{place}　{row.masked_phone}<br>"
            + tr("特长：{s}", s=row.skills or "-")
            + ("　" + tr("团队：{t}", t=row.team_name) if row.team_name else "")
        )
        db = self.workspace.db
        pairings = pairing_service.pairings_of_volunteer(db, row.uid)
        self.children_model.set_rows(
            [
                (p.child_name, p.village, p.mode, p.started_on, p.ended_on, p.end_reason)
                for p in pairings
            ],
            pairings,
        )
        visits = visit_service.visits_by_volunteer(db, row.uid)
        self.visits_model.set_rows(
            [(v.visited_on, v.child_name, v.way, v.people_met, v.problems) for v in visits], visits
        )
        acts = activity_service.activities_of_volunteer(db, row.uid)
        self.activities_model.set_rows([(d, t, p) for _u, d, t, p in acts], acts)
        active = sum(1 for p in pairings if p.active)
        self.tabs.setTabText(0, tr("结对儿童（{n}）", n=active))
        self.tabs.setTabText(1, tr("走访（{n}）", n=len(visits)))
        self.tabs.setTabText(2, tr("活动（{n}）", n=len(acts)))

    def add(self) -> None:
        dialog = VolunteerDialog(self.workspace, parent=self)
        if dialog.exec():
            self.search.clear()
            self.current = None
            self.refresh()
            self._select_uid(dialog.uid)

    def _select_uid(self, uid: str | None) -> None:
        for n, payload in enumerate(self.model.payloads):
            if payload.uid == uid:
                self.table.selectRow(n)

    def edit(self) -> None:
        if self.current and VolunteerDialog(self.workspace, self.current.uid, self).exec():
            self.refresh()

    def toggle_active(self) -> None:
        if not self.current:
            return
        activate = self.current.status != "在岗"
        if not activate and self.current.active_children:
            answer = QMessageBox.question(
                self,
                tr("停用"),
                tr(
                    "{name} 还与 {n} 名儿童结对。停用后结对记录保留，但不能再新建结对。继续？",
                    name=self.current.name,
                    n=self.current.active_children,
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            volunteer_service.set_volunteer_active(
                self.workspace.db, self.current.uid, activate, origin=self.workspace.origin()
            )
        except USER_ERRORS as error:
            show_error(self, error)
        self.refresh()

    def pair(self) -> None:
        if self.current:
            dialog = PairingDialog(self.workspace, volunteer_uid=self.current.uid, parent=self)
            if dialog.exec():
                self.refresh()

    def end_pairing(self) -> None:
        chosen = [p for p in selected_payloads(self.children_table) if p.active]
        if not chosen:
            self.tabs.setCurrentIndex(0)
            QMessageBox.information(
                self, tr("结束结对"), tr("请先在“结对儿童”中选中一条进行中的结对。")
            )
            return
        if EndPairingDialog(self.workspace, chosen[0], self).exec():
            self.refresh()
