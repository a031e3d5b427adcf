"""The child's file: register or edit a child; its pairings, visits, help and history; exit."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.people import EXIT_REASONS
from carebook.domain.records import ChildFacts, ChildRecord
from carebook.gui import printing_actions
from carebook.gui.child_actions import (
    ask_end_pairings,
    delete_visit,
    edit_visit,
    log_visit,
    pair_child,
)
from carebook.gui.dialogs.child_form import ChildForm
from carebook.gui.dialogs.status_dialog import StatusDialog
from carebook.gui.models.text_table_model import TextTableModel
from carebook.gui.state import USER_ERRORS, show_error
from carebook.gui.window_size import fit_to_screen
from carebook.i18n import tr
from carebook.services import child_file
from carebook.services import children as child_service
from carebook.services.assistance import quantity_text
from carebook.services.errors import DuplicateChildError, ValidationError
from carebook.services.workspace import Workspace

TABS = (
    ("pairings", "结对", ("爱心妈妈", "电话", "结对方式", "开始", "结束", "结束原因")),
    (
        "visits",
        "走访",
        ("日期", "方式", "走访人", "见到", "发现的问题", "帮扶", "需跟进", "下次走访"),
    ),
    ("assistance", "帮扶", ("日期", "项目", "内容", "数量", "金额（元）", "提供方")),
    ("activities", "活动", ("日期", "活动", "地点")),
    ("history", "历史", ("时间", "操作", "字段", "原值", "新值", "操作人", "来源")),
)
REENTRY_REASONS = ("父母外出务工", "家庭情况变化", "误退出", "其他")


class ChildDialog(QDialog):
    saved = Signal(str)  # uid
    openOther = Signal(str)  # the worker asked to open the child an ID already belongs to

    def __init__(
        self,
        workspace: Workspace,
        uid: str | None,
        *,
        places: list[tuple[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.db = workspace.db
        self.record: ChildRecord | None = child_service.get_child(self.db, uid) if uid else None
        self.duplicate_uid: str | None = None
        self._visit_lines: list[child_file.VisitLine] = []
        self._build_ui(places or [])
        self._connect_signals()
        self._load()

    @property
    def uid(self) -> str | None:
        return self.record.uid if self.record else None

    # -- building -------------------------------------------------------------------------
    def _build_ui(self, places: list[tuple[str, str]]) -> None:
        self.setObjectName("child-dialog")
        self.setModal(True)
        fit_to_screen(self, 1180, 860)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.status_label = QLabel()
        self.status_label.setObjectName("status-label")
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.status_label, 1)
        layout.addLayout(head)

        self.duplicate_bar = QWidget()
        bar = QHBoxLayout(self.duplicate_bar)
        bar.setContentsMargins(8, 6, 8, 6)
        self.duplicate_bar.setStyleSheet("background: #fdecea; color: #8c1d18;")
        self.duplicate_text = QLabel()
        self.duplicate_text.setWordWrap(True)
        self.open_duplicate = QPushButton(tr("打开该儿童"))
        bar.addWidget(self.duplicate_text, 1)
        bar.addWidget(self.open_duplicate)
        self.duplicate_bar.setVisible(False)
        layout.addWidget(self.duplicate_bar)

        self.tabs = QTabWidget()
        self.form = ChildForm(mask_numbers=self.workspace.settings.mask_personal_numbers)
        self.form.set_places(places)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.tabs.addTab(scroll, tr("档案"))
        self.lists: dict[str, TextTableModel] = {}
        self.list_views: dict[str, QTableView] = {}
        for key, title, headers in TABS:
            model = TextTableModel([tr(h) for h in headers], self)
            view = QTableView()
            view.setObjectName(f"tab-{key}")
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setStretchLastSection(True)
            view.setWordWrap(False)
            view.setAlternatingRowColors(True)
            view.verticalHeader().setDefaultSectionSize(int(view.fontMetrics().height() * 1.8))
            self.lists[key], self.list_views[key] = model, view
            self.tabs.addTab(self._visits_tab(view) if key == "visits" else view, tr(title))
        layout.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        self.exit_button = QPushButton(tr("退出台账…"))
        self.reenter_button = QPushButton(tr("重新纳入台账…"))
        self.save_button = QPushButton(tr("保存（Ctrl+S）"))
        self.close_button = QPushButton(tr("关闭（Esc）"))
        self.visit_button = QPushButton(tr("登记走访…"))
        self.pair_button = QPushButton(tr("结对…"))
        # Numbers are masked on paper too; the archive's copy with full numbers is one step
        # further, behind the arrow, asked about and logged.
        self.case_file_button = QToolButton()
        self.case_file_button.setText(tr("打印档案"))
        self.case_file_button.setToolTip(tr("一人一档：基本情况、变更记录、结对、走访、帮扶和活动"))
        self.case_file_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.case_file_button)
        self.full_case_file_action = menu.addAction(tr("打印档案（完整身份证号和电话）…"))
        self.case_file_button.setMenu(menu)
        buttons.addWidget(self.exit_button)
        buttons.addWidget(self.reenter_button)
        buttons.addWidget(self.visit_button)
        buttons.addWidget(self.pair_button)
        buttons.addWidget(self.case_file_button)
        buttons.addStretch(1)
        self.saved_note = QLabel()
        self.saved_note.setStyleSheet("color: #1b5e20;")
        buttons.addWidget(self.saved_note)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        # Enter in a field does nothing: as auto-default buttons, 退出台账… or 打开该儿童 opened
        # on an Enter typed in the form. Saving is Ctrl+S.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)

    def _visits_tab(self, view: QTableView) -> QWidget:
        """The visits with what may be done to one: a wrong date or a typo is corrected here,
        in the child's file, not looked for again among a county's visits in 走访记录."""
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setToolTip(tr("双击或按回车修改这条走访"))
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        self.edit_visit_button = QPushButton(tr("修改走访…"))
        self.delete_visit_button = QPushButton(tr("删除走访"))
        row.addWidget(self.edit_visit_button)
        row.addWidget(self.delete_visit_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(view, 1)
        return page

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        self.exit_button.clicked.connect(self._ask_exit)
        self.visit_button.clicked.connect(self._log_visit)
        self.edit_visit_button.clicked.connect(self._edit_visit)
        self.delete_visit_button.clicked.connect(self._delete_visit)
        # Enter on a row as well as a double click (activated is both).
        self.list_views["visits"].activated.connect(self._edit_visit)
        self.list_views["visits"].selectionModel().selectionChanged.connect(
            self._enable_visit_buttons
        )
        self.pair_button.clicked.connect(self._pair)
        self.case_file_button.clicked.connect(self._print_case_file)
        self.full_case_file_action.triggered.connect(lambda: self._print_case_file(full=True))
        self.reenter_button.clicked.connect(self._ask_reenter)
        self.open_duplicate.clicked.connect(self._open_duplicate)
        self.form.idChecked.connect(self._check_duplicate)
        self.form.changed.connect(lambda: self.saved_note.setText(""))
        self.form.reveal = self._reveal

    # -- loading --------------------------------------------------------------------------
    def _load(self) -> None:
        record = self.record
        if record is None:
            self.setWindowTitle(tr("登记儿童"))
            self.title.setText(tr("登记新儿童"))
            self.status_label.setText(
                tr("只有姓名必填；输入身份证号会自动填出生日期、性别和年龄。")
            )
            self.form.set_facts(self._new_facts())
        else:
            self.setWindowTitle(tr("儿童档案 — {name}", name=record.facts.name))
            self.title.setText(record.facts.name)
            self.form.set_facts(record.facts)
            self._show_status(record)
        for i in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(i, record is not None)
        self.exit_button.setVisible(record is not None and record.status == "在册")
        self.visit_button.setVisible(record is not None)
        self.pair_button.setVisible(record is not None and record.status == "在册")
        self.case_file_button.setVisible(record is not None)
        self.reenter_button.setVisible(record is not None and record.status != "在册")
        self._load_lists()
        self._snapshot = self._current()
        self.form.widgets["name"].setFocus()

    def _new_facts(self) -> ChildFacts:
        s = self.workspace.settings
        village = s.villages[0] if len(s.villages) == 1 else ""
        return ChildFacts(name="", township=s.township, village=village)

    def _show_status(self, record: ChildRecord) -> None:
        if record.status == "在册":
            text = tr("在册 · {date} 登记", date=record.registered_on.isoformat())
        else:
            when = record.status_date.isoformat() if record.status_date else ""
            text = tr("已退出 · {date} · {reason}", date=when, reason=record.status_reason)
        self.status_label.setText(text)

    def _load_lists(self) -> None:
        uid = self.uid
        if uid is None:
            return
        pairings = child_file.pairings(self.db, uid)
        visits = self._visit_lines = child_file.visits(self.db, uid, self.workspace.visit_rules())
        assistance = child_file.assistance(self.db, uid)
        history = child_file.changes(self.db, uid)
        self.lists["pairings"].set_rows(
            [
                (
                    p.volunteer,
                    p.phone,
                    p.mode,
                    p.started_on,
                    p.ended_on or tr("结对中"),
                    p.end_reason,
                )
                for p in pairings
            ]
        )
        self.lists["visits"].set_rows(
            [
                (
                    v.visited_on,
                    v.way,
                    v.visitor,
                    v.people_met,
                    v.problems,
                    v.help_given,
                    v.follow_up,
                    v.next_visit_on,
                )
                for v in visits
            ]
        )
        self.lists["assistance"].set_rows(
            [
                (
                    a.given_on,
                    a.project,
                    a.content,
                    quantity_text(a.quantity),
                    a.value_yuan,
                    a.provider,
                )
                for a in assistance
            ]
        )
        self.lists["activities"].set_rows(
            [(a.held_on, a.title, a.place) for a in child_file.activities(self.db, uid)]
        )
        self.lists["history"].set_rows(
            [
                (h.at, h.action, h.field, h.old_value, h.new_value, h.actor, h.source)
                for h in history
            ]
        )
        for n, (key, title, _headers) in enumerate(TABS, start=1):
            count = self.lists[key].rowCount()
            self.tabs.setTabText(n, tr("{title}（{n}）", title=tr(title), n=count))
            view = self.list_views[key]
            pad = view.fontMetrics().horizontalAdvance("MM")
            for column in range(self.lists[key].columnCount() - 1):
                view.resizeColumnToContents(column)  # a handful of rows: cheap
                view.setColumnWidth(column, min(view.columnWidth(column) + pad, 360))
        self._enable_visit_buttons()

    def _current(self) -> tuple:
        facts, problems = self.form.facts()
        return facts, tuple(sorted(problems.items())), self.form.widgets["birth_date"].text()

    @property
    def dirty(self) -> bool:
        return self._current() != self._snapshot

    # -- saving ---------------------------------------------------------------------------
    def save(self) -> bool:
        facts, problems = self.form.facts()
        if problems:
            self.form.show_problems(problems)
            return False
        origin = self.workspace.origin()
        rules = self.workspace.visit_rules()
        try:
            if self.record is None:
                record = child_service.register_child(self.db, facts, origin=origin, rules=rules)
            else:
                record = child_service.update_child(
                    self.db,
                    self.record.uid,
                    facts,
                    origin=origin,
                    rules=rules,
                    loaded=self.record.facts,  # another computer's saves meanwhile are kept
                )
        except ValidationError as exc:
            self.form.show_problems(exc.problems)
            return False
        except DuplicateChildError as exc:
            self._show_duplicate(exc.message, exc.existing_uid)
            self.form.set_problem("id_number", exc.message)
            return False
        except USER_ERRORS as exc:
            show_error(self, exc)
            return False
        self.record = record
        self.duplicate_bar.setVisible(False)
        self._load()
        self.saved_note.setText(tr("已保存"))
        self.saved.emit(record.uid)
        return True

    def _check_duplicate(self, number: str) -> None:
        existing = child_service.find_by_id_number(self.db, number)
        if existing is None or existing == self.uid:
            self.duplicate_bar.setVisible(False)
            return
        other = child_service.get_child(self.db, existing)
        message = tr(
            "这个身份证号已经登记为 {name}（{village}），不能重复登记。",
            name=other.facts.name,
            village=other.facts.village or tr("未填村"),
        )
        self.form.set_problem("id_number", message)
        self._show_duplicate(message, existing)

    def _show_duplicate(self, message: str, uid: str) -> None:
        self.duplicate_uid = uid
        self.duplicate_text.setText(message)
        self.duplicate_bar.setVisible(True)

    def _open_duplicate(self) -> None:
        if self.duplicate_uid is None:
            return
        uid = self.duplicate_uid
        if self.dirty and not self._confirm_close():
            return
        self._snapshot = self._current()
        self.done(QDialog.DialogCode.Rejected)
        self.openOther.emit(uid)

    def _reveal(self, field: str) -> str | None:
        if self.uid is None:
            return None
        try:
            value = child_service.reveal(self.db, self.uid, field, origin=self.workspace.origin())
        except USER_ERRORS as exc:
            show_error(self, exc)
            return None
        self._load_lists()
        return value

    # -- leaving and re-entering the register ---------------------------------------------
    def exit_child(self, on: date, reason: str, *, end_pairings: bool = False) -> bool:
        return self._change_status(
            child_service.exit_register, on, reason, end_pairings=end_pairings
        )

    def reenter_child(self, on: date, reason: str) -> bool:
        return self._change_status(child_service.reenter_register, on, reason)

    def _change_status(self, action, on: date, reason: str, **kwargs: object) -> bool:
        if self.uid is None:
            return False
        if self.dirty and not self.save():
            return False
        if action is not child_service.exit_register:
            kwargs["rules"] = self.workspace.visit_rules()
        try:
            self.record = action(
                self.db, self.uid, on=on, reason=reason, origin=self.workspace.origin(), **kwargs
            )
        except USER_ERRORS as exc:
            show_error(self, exc)
            return False
        self._load()
        self.saved.emit(self.record.uid)
        return True

    def _ask_exit(self) -> None:
        asked = StatusDialog(tr("退出台账"), EXIT_REASONS, self)
        if asked.exec() != QDialog.DialogCode.Accepted or self.uid is None:
            return
        active = sum(1 for p in child_file.pairings(self.db, self.uid) if p.active)
        end_pairings = ask_end_pairings(self, active)
        if end_pairings is not None:
            self.exit_child(asked.on(), asked.reason(), end_pairings=end_pairings)

    def _log_visit(self) -> None:
        if self.uid and log_visit(self, self.workspace, [self.uid]):
            # Only the lists: reloading the form threw away what the worker had typed and
            # not yet saved (a visit changes none of the file's fields).
            self._load_lists()
            self.saved.emit(self.uid)

    def selected_visit(self) -> child_file.VisitLine | None:
        rows = self.list_views["visits"].selectionModel().selectedRows()
        if len(rows) != 1 or rows[0].row() >= len(self._visit_lines):
            return None
        return self._visit_lines[rows[0].row()]

    def _enable_visit_buttons(self) -> None:
        chosen = self.selected_visit() is not None
        self.edit_visit_button.setEnabled(chosen)
        self.delete_visit_button.setEnabled(chosen)

    def _edit_visit(self) -> None:
        line = self.selected_visit()
        if self.uid and line and edit_visit(self, self.workspace, self.uid, line.uid):
            self._visits_changed(line.uid)

    def _delete_visit(self) -> None:
        line = self.selected_visit()
        if (
            self.uid
            and line
            and delete_visit(
                self,
                self.workspace,
                line.uid,
                self.record.facts.name if self.record else "",
                line.visited_on,
            )
        ):
            self._visits_changed(None)

    def _visits_changed(self, keep_uid: str | None) -> None:
        """Only the lists reload (the form may hold typing not yet saved); the corrected visit
        stays chosen, and the register hears that the child's next visit may have moved."""
        self._load_lists()
        view = self.list_views["visits"]
        row = next((n for n, v in enumerate(self._visit_lines) if v.uid == keep_uid), None)
        if row is not None:
            view.selectRow(row)
        view.setFocus()
        if self.uid:
            self.saved.emit(self.uid)

    def _print_case_file(self, *, full: bool = False) -> None:
        # The case file is printed from the register: what is typed is saved first, or the
        # printout would miss the edits still on screen.
        if self.dirty and not self.save():
            return
        if not self.uid:
            return
        if full and not self._confirm_full_numbers():
            return
        self._print_job = printing_actions.open_case_file(
            self, self.workspace, self.uid, full_ids=full, full_phones=full
        )

    def _confirm_full_numbers(self) -> bool:
        answer = QMessageBox.question(
            self,
            tr("打印完整号码"),
            tr(
                "{name}的档案将印出完整的身份证号和家人电话。请把纸质档案锁进档案柜，"
                "不用的打印件及时销毁。这次打印会记入操作记录。继续吗？",
                name=self.title.text(),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _pair(self) -> None:
        if self.uid and pair_child(self, self.workspace, self.uid):
            self._load_lists()
            self.saved.emit(self.uid)

    def _ask_reenter(self) -> None:
        asked = StatusDialog(tr("重新纳入台账"), REENTRY_REASONS, self)
        if asked.exec() == QDialog.DialogCode.Accepted:
            self.reenter_child(asked.on(), asked.reason())

    # -- closing --------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc and 关闭 come here: unsaved changes are never dropped without asking."""
        if self.dirty and not self._confirm_close():
            return
        super().reject()

    def _confirm_close(self) -> bool:
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            tr("关爱簿"),
            tr("档案有修改还没有保存。要保存吗？"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def closeEvent(self, event) -> None:
        if self.dirty and not self._confirm_close():
            event.ignore()
            return
        super().closeEvent(event)
