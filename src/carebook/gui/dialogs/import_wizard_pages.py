"""The import wizard's pages, laid out in code; the steps' behaviour is in import_wizard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.categories import all_categories
from carebook.gui.dialogs.import_models import IssueModel, PreviewModel
from carebook.i18n import tr
from carebook.services.ledger_views import CHANGE, ERROR, WARNING


class WizardPages:
    """Builds each step's page and keeps its widgets as attributes of the wizard."""

    def _file_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(tr("民政、乡镇发来的台账：xlsx、xls、ods 或 csv"))
        self.browse_button = QPushButton(tr("选择文件…"))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow(tr("文件"), row)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(tr("文件设置了打开密码时填写"))
        form.addRow(tr("密码"), self.password_edit)
        self.category_combo = QComboBox()
        self.category_combo.addItem(tr("按表中的类别列或标题判断"), "")
        for label in all_categories():
            self.category_combo.addItem(label, label)
        form.addRow(tr("儿童类别（表中没有类别列时）"), self.category_combo)
        self.township_edit = QLineEdit()
        self.township_edit.setPlaceholderText(tr("表中没有乡镇列时填写；留空则按标题或文件名判断"))
        form.addRow(tr("乡镇"), self.township_edit)
        self.village_edit = QLineEdit()
        self.village_edit.setPlaceholderText(tr("表中没有村列时填写"))
        form.addRow(tr("村（社区）"), self.village_edit)
        note = QLabel(
            tr("先检查文件中的每一行，列出将要新增、更新和有问题的行；确认之前不会改动台账。")
        )
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _sheets_page(self) -> QWidget:
        self.sheets_label = QLabel()
        self.sheets_label.setWordWrap(True)
        self.sheets_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.sheets_label)
        return scroll

    def _sheet_picker(self) -> QComboBox:
        combo = QComboBox()
        combo.currentIndexChanged.connect(lambda _i: self._sheet_changed(combo.currentText()))
        return combo

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.preview_sheet = self._sheet_picker()
        self.preview_title = QLabel()
        self.preview_title.setWordWrap(True)
        self.preview_model = PreviewModel()
        self.preview_view = QTableView()
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.preview_sheet)
        layout.addWidget(self.preview_title)
        layout.addWidget(self.preview_view, 1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.mapping_sheet = self._sheet_picker()
        layout.addWidget(self.mapping_sheet)
        hint = QLabel(tr("每一列对应台账中的哪一项？认不出的列标为“（不导入）”，可以在这里改。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.mapping_area = QScrollArea()
        self.mapping_area.setWidgetResizable(True)
        layout.addWidget(self.mapping_area, 1)
        self.remember = QCheckBox(tr("记住这个对应关系，下次导入同样表头的文件时自动使用"))
        self.remember.setChecked(True)
        layout.addWidget(self.remember)
        return page

    def _plan_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        layout.addWidget(self.counts_label)
        filters = QHBoxLayout()
        self.level_filter = QComboBox()
        for text, value in (("全部", ""), ("错误", ERROR), ("提醒", WARNING), ("更新", CHANGE)):
            self.level_filter.addItem(tr(text), value)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("按姓名、列名或说明筛选"))
        filters.addWidget(QLabel(tr("显示")))
        filters.addWidget(self.level_filter)
        filters.addWidget(self.search_edit, 1)
        layout.addLayout(filters)
        self.issue_model = IssueModel()
        self.issue_view = QTableView()
        self.issue_view.setModel(self.issue_model)
        self.issue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issue_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issue_view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.issue_view, 1)
        layout.addWidget(QLabel(tr("双击一行，查看它在文件中的原样。")))
        return page

    def _apply_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.apply_label = QLabel()
        self.apply_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.apply_button = QPushButton(tr("开始导入"))
        self.cancel_button = QPushButton(tr("取消导入"))
        self.cancel_button.setEnabled(False)
        layout.addWidget(self.apply_label)
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        row.addWidget(self.apply_button)
        row.addWidget(self.cancel_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addStretch()
        return page

    def _summary_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.report_button = QPushButton(tr("保存问题报告…"))
        layout.addWidget(self.summary_label)
        layout.addWidget(self.report_button)
        layout.addStretch()
        return page
