"""走访: who is due this week or month, who is overdue and by how much, who was never visited,
who nears an age limit, and the visits logged; each list is a start for logging visits."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.phones import mask_phone
from carebook.gui import child_actions, printing_actions
from carebook.gui.dialogs.visit_dialog import VisitDialog
from carebook.gui.pages.care_table import RowTableModel, make_table, selected_payloads
from carebook.gui.pages.today import FollowsToday
from carebook.gui.state import USER_ERRORS, show_error
from carebook.i18n import tr
from carebook.services import visits as visit_service
from carebook.services.care_figures import near_age_limit
from carebook.services.places import village_places
from carebook.services.schedule import DueQuery, DueRow, count_due, due_page, paired_volunteers
from carebook.services.workspace import Workspace

# (key, label, DueQuery arguments)
LISTS = (
    ("week", "本周到期", {"within_days": 7}),
    ("month", "本月到期", {"within_days": 30}),
    ("overdue", "已逾期", {"within_days": None, "overdue_only": True}),
    ("never", "从未走访", {"within_days": None, "never_visited": True}),
    ("age", "即将超龄（90天内）", None),
    ("history", "走访记录（近一年）", None),
)
DUE_HEADERS = [
    "村（社区）",
    "姓名",
    "类别",
    "关爱等级",
    "应访日期",
    "逾期天数",
    "上次走访",
    "爱心妈妈",
    "监护人",
    "监护人电话",
]
AGE_HEADERS = [
    "村（社区）",
    "姓名",
    "性别",
    "出生日期",
    "到龄类别",
    "到龄日期",
    "到龄后退出台账",
    "学校",
    "监护人",
]
HISTORY_HEADERS = [
    "走访日期",
    "村（社区）",
    "姓名",
    "方式",
    "走访人",
    "见到的人",
    "发现的问题",
    "需跟进",
]
# The DueRow field each due-list column shows, to sort the whole list in SQL.
DUE_FIELDS = (
    "village",
    "name",
    "categories",
    "care_level",
    "due",
    "days_overdue",
    "last_visit",
    "volunteer",
    "guardian_name",
    "guardian_phone",
)
OVERDUE_RED = QColor("#b00020")


class VisitsPage(FollowsToday, QWidget):
    def __init__(self, workspace: Workspace, *, today: date | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self._fixed_today = today
        self._build_ui()
        self._connect_signals()
        self.refresh()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('走访')}</h2>"))
        filters = QHBoxLayout()
        self.kind = QComboBox()
        for key, label, _ in LISTS:
            self.kind.addItem(tr(label), key)
        self.kind.setCurrentIndex(2)  # overdue first: what needs doing
        self.village = QComboBox()
        self.village.addItem(tr("全部村（社区）"), None)
        places = village_places(self.workspace.db)
        names = Counter(village for _town, village in places)
        for town, village in places:
            # A name two townships share (新庄村) says which one; the rest stay short.
            label = village if names[village] == 1 else f"{village}（{town}）"
            self.village.addItem(label, (town, village))
        self.volunteer = QComboBox()
        self._volunteers_offered = False
        self._query: DueQuery | None = None  # the due list shown, if one is
        self._fill_volunteers()
        for label, widget in (
            (tr("名单"), self.kind),
            (tr("村"), self.village),
            (tr("爱心妈妈"), self.volunteer),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        # The history shows the newest 2,000 visits: a county's year holds far more, so one
        # child's (or one visitor's) are found by name.
        self.history_search = QLineEdit()
        self.history_search.setClearButtonEnabled(True)
        self.history_search.setPlaceholderText(tr("查找儿童（姓名、拼音、身份证号）或走访人"))
        self.history_search.setMinimumWidth(260)
        filters.addWidget(self.history_search)
        filters.addStretch()
        layout.addLayout(filters)
        # The toolbar: the printing work adds its buttons here (visit sheets for the list).
        self.toolbar = QHBoxLayout()
        self.log_button = QPushButton(tr("登记走访…"))
        self.log_button.setToolTip(tr("为选中的儿童登记一次走访；选中同一家庭的几名儿童可一次登记"))
        self.edit_button = QPushButton(tr("修改走访…"))
        self.delete_button = QPushButton(tr("删除走访"))
        self.refresh_button = QPushButton(tr("刷新"))
        self.print_sheets_button = QPushButton(tr("打印走访表"))
        self.print_sheets_button.setToolTip(tr("选中的儿童，或未选中时名单上所有儿童，每人一页"))
        self.print_list_button = QPushButton(tr("打印名单"))
        self.print_record_button = QPushButton(tr("打印走访记录"))
        self.paper_button = QPushButton(tr("录入纸质走访表…"))
        self.paper_button.setToolTip(tr("输入或扫描走访表上的编码，找到儿童并登记走访"))
        for button in (self.log_button, self.edit_button, self.delete_button):
            self.toolbar.addWidget(button)
        for button in (
            self.print_sheets_button,
            self.print_list_button,
            self.print_record_button,
            self.paper_button,
        ):
            self.toolbar.addWidget(button)
        self.toolbar.addStretch()
        self.toolbar.addWidget(self.refresh_button)
        layout.addLayout(self.toolbar)
        self.count = QLabel()
        layout.addWidget(self.count)
        self.model = RowTableModel([tr(h) for h in DUE_HEADERS])
        self.model.highlight = self._colour
        self.table = make_table(self.model, multi=True)
        layout.addWidget(self.table, 1)

    def _connect_signals(self) -> None:
        self.village.currentIndexChanged.connect(self._fill_volunteers)
        for combo in (self.kind, self.village, self.volunteer):
            combo.currentIndexChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.history_search.returnPressed.connect(self.refresh)
        # Cleared with its button: the whole history again, without an Enter.
        self.history_search.textChanged.connect(lambda text: None if text else self.refresh())
        self.log_button.clicked.connect(self.log_visit)
        self.edit_button.clicked.connect(self.edit_visit)
        self.delete_button.clicked.connect(self.delete_visit)
        self.table.activated.connect(self._open)  # Enter on a row, as a double click
        self.print_sheets_button.clicked.connect(self.print_sheets)
        self.print_list_button.clicked.connect(self.print_list)
        self.print_record_button.clicked.connect(self.print_record)
        self.paper_button.clicked.connect(self.enter_paper_visit)

    def _colour(self, payload: object) -> QColor | None:
        if isinstance(payload, DueRow) and payload.days_overdue > 0:
            return OVERDUE_RED
        return None

    @property
    def list_key(self) -> str:
        return self.kind.currentData()

    def place(self) -> tuple[str | None, str | None]:
        """(township, village) chosen in the village filter; (None, None) for all."""
        chosen = self.village.currentData()
        return (chosen[0] or None, chosen[1]) if chosen else (None, None)

    def _fill_volunteers(self) -> None:
        """The volunteers paired in the chosen place, each one herself (not every namesake);
        a county's thousands make no list, so there a village is chosen first."""
        township, village = self.place()
        chosen = self.volunteer.currentData()
        found = paired_volunteers(self.workspace.db, township=township, village=village)
        names = Counter(v.name for v in found or ())
        self.volunteer.blockSignals(True)
        self.volunteer.clear()
        self.volunteer.addItem(tr("全部爱心妈妈"), "")
        for v in found or ():
            label = v.name if names[v.name] == 1 else f"{v.name}（{v.masked_phone}）"
            self.volunteer.addItem(label, v.uid)
        self.volunteer.setCurrentIndex(max(0, self.volunteer.findData(chosen)) if chosen else 0)
        self.volunteer.blockSignals(False)
        self._volunteers_offered = found is not None
        self.volunteer.setToolTip("" if found is not None else tr("爱心妈妈很多，请先选择村"))

    def refresh(self) -> None:
        key = self.list_key
        self._query = None
        township, village = self.place()
        volunteer_uid = self.volunteer.currentData() or None
        history = key == "history"
        self.edit_button.setVisible(history)
        self.delete_button.setVisible(history)
        self.log_button.setVisible(not history)
        self.print_record_button.setVisible(history)
        self.print_sheets_button.setVisible(not history)
        self.history_search.setVisible(history)
        # Only the due lists print as a list (the age and history lists have no DueQuery).
        self.print_list_button.setVisible(key in {k for k, _, a in LISTS if a is not None})
        self.volunteer.setEnabled(key not in ("age", "history") and self._volunteers_offered)
        if key == "age":
            rows = near_age_limit(
                self.workspace.db, today=self.today, township=township, village=village
            )
            self.model.set_rows(
                [
                    (
                        r.village,
                        r.name,
                        r.sex,
                        r.birth_date,
                        "、".join(c for c, _ in r.leaving),
                        r.first_limit,
                        r.leaves_register,
                        r.school,
                        r.guardian,
                    )
                    for r in rows
                ],
                rows,
                headers=[tr(h) for h in AGE_HEADERS],
            )
            note = tr("{n} 名儿童将在 90 天内达到类别年龄上限，请决定是否退出台账。", n=len(rows))
        elif history:
            rows = visit_service.list_visits(
                self.workspace.db,
                start=self.today - timedelta(days=365),
                village=village,
                township=township,
                search=self.history_search.text(),
            )
            self.model.set_rows(
                [
                    (
                        r.visited_on,
                        r.village,
                        r.child_name,
                        r.way,
                        r.volunteer_name or r.visitor,
                        r.people_met,
                        r.problems,
                        r.follow_up,
                    )
                    for r in rows
                ],
                rows,
                headers=[tr(h) for h in HISTORY_HEADERS],
            )
            note = tr("近一年走访 {n} 次（最多显示 2000 条）", n=len(rows))
        else:
            arguments = next(a for k, _, a in LISTS if k == key)
            query = DueQuery(
                self.today,
                village=village,
                township=township,
                volunteer_uid=volunteer_uid,
                **arguments,
            )
            self._query = query
            total, overdue = count_due(self.workspace.db, query)
            self._show_due(query, total, None)
            note = tr("共 {n} 名，其中逾期 {o} 名", n=total, o=overdue)
        self.count.setText(note)

    def _show_due(self, query: DueQuery, total: int, sort: tuple[str, bool] | None) -> None:
        """Show the list a page at a time: 50,000 children due this month need not all be
        read before the first screen appears, only as the worker scrolls."""

        def fetch(offset: int, limit: int) -> tuple[list[tuple], list[DueRow]]:
            rows = due_page(self.workspace.db, query, offset=offset, limit=limit, sort=sort)
            return [self._due_cells(r) for r in rows], rows

        def resort(column: int, descending: bool) -> None:
            self._show_due(query, total, (DUE_FIELDS[column], descending))

        self.model.set_source(total, fetch, headers=[tr(h) for h in DUE_HEADERS], sorter=resort)

    def _due_cells(self, r: DueRow) -> tuple:
        phone = r.guardian_phone
        if self.workspace.settings.mask_personal_numbers and phone:
            phone = mask_phone(phone)
        return (
            r.village,
            r.name,
            r.categories,
            tr(r.care_level) if r.care_level else "",  # a word of the program's
            r.due,
            r.days_overdue or None,
            r.last_visit or tr("从未走访"),
            r.volunteer,
            r.guardian_name,
            phone,
        )

    def selected_child_uids(self) -> list[str]:
        chosen = selected_payloads(self.table)
        return [getattr(p, "child_uid", None) or p.uid for p in chosen]

    def log_visit(self) -> None:
        uids = self.selected_child_uids()
        if not uids:
            QMessageBox.information(self, tr("走访"), tr("请先在名单中选中要走访的儿童。"))
            return
        try:
            # Narrowed to one 爱心妈妈 (her sheets being entered), the visit is hers by default.
            dialog = VisitDialog(
                self.workspace,
                uids,
                self,
                today=self.today,
                visitor_uid=self.volunteer.currentData() or None,
            )
        except USER_ERRORS as error:
            show_error(self, error)
            return
        if dialog.exec():
            self._refresh_keeping_place()

    def _refresh_keeping_place(self) -> None:
        """After a visit the list is read again (the child visited leaves 已逾期); the row
        where it stood is chosen, so the next child is one Enter away, not back at the top."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        self.refresh()
        count = self.model.rowCount()
        if rows and count:
            row = min(rows[0], count - 1)
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))
        self.table.setFocus()

    def _open(self) -> None:
        if self.list_key == "history":
            self.edit_visit()
        else:
            self.log_visit()

    def _selected_visit(self) -> visit_service.VisitRow | None:
        chosen = selected_payloads(self.table)
        if len(chosen) != 1 or not isinstance(chosen[0], visit_service.VisitRow):
            QMessageBox.information(self, tr("走访"), tr("请选中一条走访记录。"))
            return None
        return chosen[0]

    def edit_visit(self) -> None:
        row = self._selected_visit()
        if row is not None and child_actions.edit_visit(
            self, self.workspace, row.child_uid, row.uid, today=self.today
        ):
            self._refresh_keeping_place()

    def delete_visit(self) -> None:
        row = self._selected_visit()
        if row is not None and child_actions.delete_visit(
            self, self.workspace, row.uid, row.child_name, row.visited_on
        ):
            self._refresh_keeping_place()

    # -- printing (the paper archive: 一人一档) ---------------------------------------------
    def _list_child_uids(self) -> list[str]:
        chosen = self.selected_child_uids()
        if chosen:
            return chosen
        self.model.fetch_all()  # a due list is loaded page by page: print all of it
        return [getattr(p, "child_uid", None) or p.uid for p in self.model.payloads]

    def print_sheets(self) -> None:
        uids = self._list_child_uids()
        if not uids:
            QMessageBox.information(self, tr("走访"), tr("名单上没有儿童。"))
            return
        self._print_job = printing_actions.print_visit_sheets_for(self, self.workspace, uids)

    def print_list(self) -> None:
        if self._query is None:
            return
        # The query the list on screen came from: what is shown is what prints.
        uid = self._query.volunteer_uid
        self._print_job = printing_actions.print_due_list(
            self,
            self.workspace,
            self._query,
            volunteer_label=self.volunteer.currentText() if uid else "",
        )

    def print_record(self) -> None:
        row = self._selected_visit()
        if row is not None:
            self._print_job = printing_actions.print_visit_record(self, self.workspace, row.uid)

    def enter_paper_visit(self) -> None:
        def open_visit_form(child_uid: str) -> bool:
            try:
                form = VisitDialog(self.workspace, [child_uid], self, today=self.today)
            except USER_ERRORS as error:  # deleted since the sheet was printed
                show_error(self, error)
                return False
            if not form.exec():
                return False
            self.refresh()
            return True

        printing_actions.enter_paper_visit(self, self.workspace, open_visit_form)
