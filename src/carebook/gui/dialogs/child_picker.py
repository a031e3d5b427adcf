"""Pick children from lists or filters (e.g. all children of one school) for activities and help."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.categories import all_categories
from carebook.gui.pages.care_table import RowTableModel, make_table, selected_payloads
from carebook.gui.widgets.lazy_choices import LazyChoices
from carebook.i18n import tr
from carebook.services import activities as activity_service
from carebook.services.activities import ChildPick
from carebook.services.workspace import Workspace

HEADERS = ["姓名", "性别", "村（社区）", "学校"]
LIST_AT_ONCE = 1000  # a register this small is listed on opening; a county's waits for a filter
FOUND_LIMIT = 5000  # one search lists at most this many


class ChildPicker(QWidget):
    def __init__(self, workspace: Workspace, chosen: Sequence[ChildPick] = (), parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.chosen: dict[str, ChildPick] = {c.uid: c for c in chosen}
        # A village's register is listed at once; a county's (100,000 children, 0.2 s to
        # sort) waits for a name or a filter, and its schools are read when first wanted.
        self.in_register = activity_service.children_in_register(workspace.db)
        self._build_ui()
        self._connect_signals()
        if self.in_register <= LIST_AT_ONCE:
            self.school.load()
            self.find()
        else:
            self.found_label.setText(
                tr(
                    "在册儿童 {n} 名：输入姓名等按回车，或选择村、学校、类别，列出要选的儿童。",
                    n=self.in_register,
                )
            )
        self._show_chosen()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("姓名、拼音、身份证号、电话（按回车查找）"))
        self.village = QComboBox()
        self.village.addItem(tr("全部村"), "")
        for name in activity_service.village_choices(self.workspace.db):
            self.village.addItem(name, name)
        self.school = LazyChoices(
            tr("全部学校"), partial(activity_service.school_names, self.workspace.db)
        )
        self.category = QComboBox()
        self.category.addItem(tr("全部类别"), "")
        for label in all_categories():
            self.category.addItem(label, label)
        self.unpaired = QCheckBox(tr("只看未结对"))
        for w in (self.search, self.village, self.school, self.category, self.unpaired):
            filters.addWidget(w)
        layout.addLayout(filters)
        grid = QGridLayout()
        self.found_label = QLabel()
        self.chosen_label = QLabel()
        # Owned by the picker, not by Python alone: freed with its wrapper, a model went
        # before its view, and the view's later deletion crashed (a picker outside a dialog).
        self.found_model = RowTableModel([tr(h) for h in HEADERS], self)
        self.found = make_table(self.found_model, multi=True)
        self.chosen_model = RowTableModel([tr(h) for h in HEADERS], self)
        self.chosen_table = make_table(self.chosen_model, multi=True)
        for table in (self.found, self.chosen_table):
            table.horizontalHeader().setDefaultSectionSize(80)
        middle = QVBoxLayout()
        self.add_button = QPushButton(tr("添加选中 →"))
        self.add_all_button = QPushButton(tr("全部添加 →"))
        self.remove_button = QPushButton(tr("← 移除"))
        for b in (self.add_button, self.add_all_button, self.remove_button):
            middle.addWidget(b)
        middle.addStretch()
        grid.addWidget(self.found_label, 0, 0)
        grid.addWidget(self.chosen_label, 0, 2)
        grid.addWidget(self.found, 1, 0)
        grid.addLayout(middle, 1, 1)
        grid.addWidget(self.chosen_table, 1, 2)
        # The two lists share the width whatever the labels above them say (a long English
        # hint once squeezed the chosen list to a sliver).
        self.found_label.setWordWrap(True)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid, 1)

    def _connect_signals(self) -> None:
        self.search.returnPressed.connect(self.find)
        for combo in (self.village, self.school, self.category):
            combo.currentIndexChanged.connect(self.find)
        self.unpaired.toggled.connect(self.find)
        self.add_button.clicked.connect(lambda: self.add(selected_payloads(self.found)))
        self.add_all_button.clicked.connect(lambda: self.add(self.found_model.payloads))
        self.remove_button.clicked.connect(self.remove)
        self.found.doubleClicked.connect(lambda: self.add(selected_payloads(self.found)))

    def keyPressEvent(self, event) -> None:
        # Enter in the search box searches. Passed on, it reached the dialog's 保存 and saved the
        # activity with only the children chosen so far.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def find(self) -> None:
        rows = activity_service.pick_children(
            self.workspace.db,
            search=self.search.text(),
            village=self.village.currentData(),
            school=self.school.currentData(),
            category=self.category.currentData(),
            unpaired_only=self.unpaired.isChecked(),
            limit=FOUND_LIMIT + 1,
        )
        if len(rows) > FOUND_LIMIT:
            rows = rows[:FOUND_LIMIT]
            found = tr("找到 {n} 名以上，只列出前 {n} 名：请缩小范围", n=FOUND_LIMIT)
        else:
            found = tr("找到 {n} 名", n=len(rows))
        self.found_model.set_rows([(r.name, r.sex, r.village, r.school) for r in rows], rows)
        self.found_label.setText(found)

    def add(self, picks: Sequence[ChildPick]) -> None:
        for pick in picks:
            self.chosen.setdefault(pick.uid, pick)
        self._show_chosen()

    def remove(self) -> None:
        for pick in selected_payloads(self.chosen_table):
            self.chosen.pop(pick.uid, None)
        self._show_chosen()

    def _show_chosen(self) -> None:
        rows = list(self.chosen.values())
        self.chosen_model.set_rows([(r.name, r.sex, r.village, r.school) for r in rows], rows)
        self.chosen_label.setText(tr("已选 {n} 名", n=len(rows)))

    def selected_uids(self) -> list[str]:
        return list(self.chosen)
