"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

import carebook
from carebook.gui.memory import release_after_building
from carebook.gui.pages import PageSpec, page_specs
from carebook.gui.ui_settings import ui_settings
from carebook.gui.window_size import fit_to_screen
from carebook.i18n import tr
from carebook.paths import AppPaths
from carebook.services.register_query import RegisterRow
from carebook.services.workspace import Workspace
from carebook.settings import Settings

NAV_POINTS = 15  # the navigation's text size
NAV_PADDING = 14  # pixels left and right of each entry


@dataclass(frozen=True)
class Opening:
    """A quick start's window before its database is open: the register's first rows only."""

    paths: AppPaths
    settings: Settings
    file: Path
    first_rows: list[RegisterRow]


class MainWindow(QMainWindow):
    """MainWindow(workspace); or MainWindow(None, opening=...) then attach(workspace), the
    register's first rows showing meanwhile (the other pages wait for the database)."""

    def __init__(self, workspace: Workspace | None, *, opening: Opening | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.specs: list[PageSpec] = page_specs()
        self.pages: dict[str, QWidget] = {}
        self._opening_page = None  # the register shown before the database was open
        if workspace is not None:
            paths, db_file, url = workspace.paths, workspace.db.file, workspace.db.url
        else:
            assert opening is not None, "a window without a workspace needs its opening"
            paths, db_file, url = opening.paths, opening.file, ""
        self._build_ui(paths, db_file, url)
        self._connect_signals()
        self._restore_geometry()
        if opening is not None:
            self._show_opening(opening)
        else:
            self.show_page("children")
            self._show_version()
        self.setAcceptDrops(True)  # a ledger dropped on the window opens the import wizard

    def _show_opening(self, opening: Opening) -> None:
        from carebook.gui.pages.children_page import ChildrenPage

        page = ChildrenPage.opening(opening.settings, opening.first_rows)
        page.setObjectName("page-children")
        self.pages["children"] = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.nav.setCurrentRow(next(i for i, s in enumerate(self.specs) if s.key == "children"))
        self._opening_page = page
        self.nav.setEnabled(False)  # the other pages need the open database

    def attach(self, workspace: Workspace) -> None:
        """The database is open: the register becomes searchable and every page can open."""
        self.workspace = workspace
        if self._opening_page is not None:
            self._opening_page.attach(workspace)
            self._opening_page = None
        self.nav.setEnabled(True)
        self._show_version()

    def _build_ui(self, paths: AppPaths, db_file: Path | None, url: str) -> None:
        title = tr("关爱簿")
        if paths.portable:
            title += tr("（便携模式：数据在 {path}）", path=paths.data_dir)
        if db_file == paths.demo_database:
            title += tr("（示例县，虚构数据）")
        self.setWindowTitle(f"{title} — {db_file.name if db_file else url}")
        fit_to_screen(self, 1200, 780)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        # Large, well-spaced entries: many users are not young and read from a small laptop.
        self.nav.setStyleSheet(
            f"QListWidget#navigation {{ font-size: {NAV_POINTS}pt; }}"
            f"QListWidget#navigation::item {{ padding: 10px {NAV_PADDING}px; }}"
        )
        for spec in self.specs:
            self.nav.addItem(QListWidgetItem(tr(spec.label)))
        # Wide enough for the longest label in the chosen language (English runs longer). Measured
        # from the font: asking the list (sizeHintForColumn) polishes it early, 15 ms of the
        # first paint.
        font = self.nav.font()
        font.setPointSizeF(NAV_POINTS)
        metrics = QFontMetrics(font)
        widest = max(metrics.horizontalAdvance(tr(spec.label)) for spec in self.specs)
        slack = 2 * NAV_PADDING + 8  # the padding, the focus frame's margins and a little air
        self.nav.setFixedWidth(max(160, widest + slack + 2 * self.nav.frameWidth()))
        self.stack = QStackedWidget()
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _show_version(self) -> None:
        # Not before the first rows: finding the version imports importlib.metadata.
        db = self.workspace.db if self.workspace is not None else None
        if db is None or db.is_sqlite:
            text = tr("关爱簿 {v} · 数据只保存在本机", v=carebook.__version__)
        else:  # PostgreSQL: the register lives on the county's server, not on this laptop
            text = tr(
                "关爱簿 {v} · 数据保存在数据库服务器 {server}",
                v=carebook.__version__,
                server=db.server,
            )
        self.statusBar().showMessage(text)

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
            release_after_building()
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        if self.workspace is None and key not in self.pages:
            return self.stack.currentWidget()  # still opening: only the register is there
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

    def dragEnterEvent(self, event) -> None:
        if self.workspace is not None and _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.show_page("exchange").open_file(path)

    def closeEvent(self, event) -> None:
        ui_settings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)


def _dropped_file(event) -> str | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    local = [u.toLocalFile() for u in urls if u.isLocalFile()]
    return local[0] if len(local) == 1 else None
