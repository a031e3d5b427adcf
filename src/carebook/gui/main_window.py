"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from carebook import __version__
from carebook.gui.pages import PageSpec, page_specs
from carebook.gui.ui_settings import ui_settings
from carebook.i18n import tr
from carebook.services.workspace import Workspace


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.specs: list[PageSpec] = page_specs()
        self.pages: dict[str, QWidget] = {}
        self._build_ui()
        self._connect_signals()
        self._restore_geometry()
        self.show_page("children")

    def _build_ui(self) -> None:
        title = tr("关爱簿")
        if self.workspace.paths.portable:
            title += tr("（便携模式：数据在 {path}）", path=self.workspace.paths.data_dir)
        if self.workspace.db.file == self.workspace.paths.demo_database:
            title += tr("（示例县，虚构数据）")
        db_file = self.workspace.db.file
        self.setWindowTitle(f"{title} — {db_file.name if db_file else self.workspace.db.url}")
        self.resize(1200, 780)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        # Large, well-spaced entries: many users are not young and read from a small laptop.
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 15pt; }"
            "QListWidget#navigation::item { padding: 10px 14px; }"
        )
        for spec in self.specs:
            item = QListWidgetItem(tr(spec.label))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        # Wide enough for the longest label in the chosen language (English runs longer).
        self.nav.ensurePolished()
        widest = max(self.nav.sizeHintForColumn(0), 0)
        self.nav.setFixedWidth(max(160, widest + 2 * self.nav.frameWidth() + 4))
        self.stack = QStackedWidget()
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(tr("关爱簿 {v} · 数据只保存在本机", v=__version__))

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(lambda row: self.show_page(self.specs[row].key))
        for number, spec in enumerate(self.specs[:9], start=1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda key=spec.key: self.show_page(key))

    def page(self, key: str) -> QWidget:
        """The page for a navigation key, built the first time it is asked for."""
        if key not in self.pages:
            spec = next(s for s in self.specs if s.key == key)
            widget = spec.build(self.workspace)
            widget.setObjectName(f"page-{key}")
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        row = next(i for i, s in enumerate(self.specs) if s.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return widget

    def _restore_geometry(self) -> None:
        geometry = ui_settings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event) -> None:
        ui_settings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
