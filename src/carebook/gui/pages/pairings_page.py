"""结对: every pairing with its history; start, end with a reason, renew."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.dates import parse_date
from carebook.gui.dialogs.pairing_dialog import EndPairingDialog, PairingDialog
from carebook.gui.pages.care_table import RowTableModel, make_table, selected_payloads, set_widths
from carebook.gui.pages.today import FollowsToday
from carebook.gui.state import USER_ERRORS, show_error
from carebook.i18n import tr
from carebook.services import pairings as pairing_service
from carebook.services.workspace import Workspace

HEADERS = ["爱心妈妈", "儿童", "村（社区）", "方式", "开始", "结束", "结束原因", "续签自"]
ENDED_GREY = QColor("#777777")


class PairingsPage(FollowsToday, QWidget):
    def __init__(self, workspace: Workspace, *, today: date | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self._fixed_today = today
        self._build_ui()
        self._connect_signals()
        self.refresh()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('结对')}</h2>"))
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("搜索：儿童或爱心妈妈的姓名、拼音"))
        self.search.setClearButtonEnabled(True)
        self.active_only = QCheckBox(tr("只看进行中的结对"))
        self.active_only.setChecked(True)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.active_only)
        layout.addLayout(bar)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(tr("新建结对…"))
        self.end_button = QPushButton(tr("结束结对…"))
        self.renew_button = QPushButton(tr("续签…"))
        for b in (self.new_button, self.end_button, self.renew_button):
            buttons.addWidget(b)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.count = QLabel()
        layout.addWidget(self.count)
        self.model = RowTableModel([tr(h) for h in HEADERS])
        self.model.highlight = lambda p: None if p.active else ENDED_GREY
        self.table = make_table(self.model)
        set_widths(self.table, {0: 90, 1: 90, 2: 110, 3: 70, 4: 100, 5: 100, 6: 140})
        layout.addWidget(self.table, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self._debounce.timeout.connect(self.refresh)
        self.active_only.toggled.connect(self.refresh)
        self.new_button.clicked.connect(self.new_pairing)
        self.end_button.clicked.connect(self.end_pairing)
        self.renew_button.clicked.connect(self.renew)

    def refresh(self) -> None:
        active_only, search = self.active_only.isChecked(), self.search.text()
        counts = pairing_service.count_pairings(
            self.workspace.db, active_only=active_only, search=search
        )
        self._show(counts.listed, None)
        self.count.setText(
            tr(
                "进行中的结对 {n} 对，涉及儿童 {c} 名、爱心妈妈 {v} 位",
                n=counts.active,
                c=counts.children,
                v=counts.volunteers,
            )
        )

    def _show(self, total: int, sort: tuple[str, bool] | None) -> None:
        """The list a page at a time: a county holds 80,000 pairings, read as the worker
        scrolls rather than all before the page shows; a header click sorts it in SQL."""
        db, active_only, search = (
            self.workspace.db,
            self.active_only.isChecked(),
            self.search.text(),
        )

        def fetch(offset: int, limit: int) -> tuple[list[tuple], list]:
            rows = pairing_service.list_pairings(
                db, active_only=active_only, search=search, offset=offset, limit=limit, sort=sort
            )
            return [_cells(r) for r in rows], rows

        def resort(column: int, descending: bool) -> None:
            self._show(total, (CELL_FIELDS[column], descending))

        self.model.set_source(total, fetch, sorter=resort)

    def _chosen(self) -> pairing_service.PairingRow | None:
        chosen = selected_payloads(self.table)
        if not chosen:
            QMessageBox.information(self, tr("结对"), tr("请先选中一条结对。"))
            return None
        return chosen[0]

    def new_pairing(self) -> None:
        if PairingDialog(self.workspace, parent=self, today=self.today).exec():
            self.refresh()

    def end_pairing(self) -> None:
        row = self._chosen()
        if row is None:
            return
        if not row.active:
            QMessageBox.information(self, tr("结对"), tr("这条结对已经结束。"))
            return
        if EndPairingDialog(self.workspace, row, self, today=self.today).exec():
            self.refresh()

    def renew(self) -> None:
        row = self._chosen()
        if row is None:
            return
        day, ok = QInputDialog.getText(
            self,
            tr("续签"),
            tr("{v} 与 {c} 续签，新一期从哪天开始？", v=row.volunteer_name, c=row.child_name),
            text=self.today.isoformat(),
        )
        if not ok:
            return
        try:
            pairing_service.renew_pairing(
                self.workspace.db,
                row.uid,
                on=parse_date(day, today=self.today),
                origin=self.workspace.origin(),
            )
        except USER_ERRORS as error:
            show_error(self, error)
            return
        self.refresh()


# The PairingRow field each column shows, in _cells' order.
CELL_FIELDS = (
    "volunteer_name", "child_name", "village", "mode", "started_on", "ended_on", "end_reason",
    "renewed_from_started",
)  # fmt: skip


def _cells(r: pairing_service.PairingRow) -> tuple:
    return (
        r.volunteer_name,
        r.child_name,
        r.village,
        r.mode,
        r.started_on,
        r.ended_on,
        r.end_reason,
        r.renewed_from_started,
    )
