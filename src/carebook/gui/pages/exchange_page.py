"""数据交换: import township ledgers through the wizard; the county workbook panel sits below."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from carebook.gui.widgets.county_exchange_panel import CountyExchangePanel
from carebook.i18n import tr
from carebook.services.workspace import Workspace


class ExchangePage(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.wizard = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('数据交换')}</h2>"))
        ledger = QGroupBox(tr("导入台账"))
        box = QVBoxLayout(ledger)
        text = QLabel(
            tr(
                "导入民政、乡镇发来的儿童或爱心妈妈名单（xlsx、xls、ods、csv）。"
                "先逐行检查并列出计划，确认后才写入；导入前自动备份。也可以把文件直接拖到窗口上。"
            )
        )
        text.setWordWrap(True)
        self.import_button = QPushButton(tr("导入台账…"))
        self.import_button.setMinimumHeight(40)
        box.addWidget(text)
        box.addWidget(self.import_button)
        layout.addWidget(ledger)
        self.county_area = QVBoxLayout()
        layout.addLayout(self.county_area)
        self.county_panel = CountyExchangePanel(self.workspace)
        self.set_county_panel(self.county_panel)
        layout.addStretch()

    def _connect_signals(self) -> None:
        self.import_button.clicked.connect(lambda: self.open_wizard())

    def set_county_panel(self, panel: QWidget) -> None:
        """Place the county workbook export/merge panel below the ledger import."""
        self.county_area.addWidget(panel)

    def open_file(self, path) -> None:
        """A file dropped on the window: a workbook carebook wrote is merged, a ledger imported."""
        from carebook.services.county_exchange import is_exchange_workbook

        if is_exchange_workbook(path):
            self.county_panel.read_workbook(path)
        else:
            self.open_wizard(path)

    def start_import(self) -> None:
        """首次使用 chose 现在导入台账…: the import wizard opens at once, not just this page."""
        self.open_wizard()

    def open_wizard(self, path=None):
        from carebook.gui.dialogs.import_wizard import ImportWizard

        self.wizard = ImportWizard(self.workspace, self, path=path)
        self.wizard.open()
        if path:
            self.wizard.read_file()
        return self.wizard
