"""A table's columns as the worker arranged them: which are shown, their order and widths, kept."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMenu, QTableView, QWidget

from carebook.gui.ui_settings import ui_settings
from carebook.i18n import tr


def _display_length(text: str) -> int:
    # East Asian characters are about twice as wide as digits and Latin letters.
    return len(text) + sum(1 for char in text if char >= "\u2e80")


def _longest(texts: list[str]) -> list[str]:
    """The few texts that can be the widest: measuring each of the first rows' texts cost the
    first paint 13 ms, as much as the rest of the page's layout."""
    if len(texts) <= 3:
        return texts
    return sorted(texts, key=_display_length)[-3:]


class TableColumns:
    """Columns are saved by key (not Qt's header state), so a later version's new columns fit in.

    `columns` are objects with .key, .header, .shown and .sample; `sample_texts(key)` gives what
    the first rows show in a column, to size it.
    """

    def __init__(
        self,
        view: QTableView,
        columns: Sequence,
        settings_key: str,
        sample_texts: Callable[[str], list[str]],
    ) -> None:
        self.view = view
        self.columns = list(columns)
        self.keys = [c.key for c in self.columns]
        self.settings_key = settings_key
        self.sample_texts = sample_texts
        self.sized = False
        # Widths and order are saved a moment after the worker stops dragging.
        self._timer = QTimer(view)
        self._timer.setSingleShot(True)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.save)
        header = view.horizontalHeader()
        header.sectionResized.connect(lambda *_: self._timer.start())
        header.sectionMoved.connect(lambda *_: self._timer.start())

    def menu(self, parent: QWidget) -> QMenu:
        """Check boxes for each column and a way back to the defaults (keyboard friendly)."""
        menu = QMenu(parent)
        header = self.view.horizontalHeader()
        for section, column in enumerate(self.columns):
            action = menu.addAction(tr(column.header))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(section))
            action.toggled.connect(lambda on, s=section: self.show_column(s, on))
        menu.addSeparator()
        menu.addAction(tr("恢复默认的列")).triggered.connect(self.reset)
        menu.aboutToShow.connect(lambda m=menu: self._sync(m))
        return menu

    def _sync(self, menu: QMenu) -> None:
        header = self.view.horizontalHeader()
        for section, action in enumerate(menu.actions()[: len(self.columns)]):
            action.blockSignals(True)
            action.setChecked(not header.isSectionHidden(section))
            action.blockSignals(False)

    def show_column(self, section: int, shown: bool) -> None:
        header = self.view.horizontalHeader()
        if not shown and header.count() - header.hiddenSectionCount() <= 1:
            return  # never hide the last visible column
        header.setSectionHidden(section, not shown)
        self.save()

    def reset(self) -> None:
        header = self.view.horizontalHeader()
        for section, column in enumerate(self.columns):
            header.moveSection(header.visualIndex(section), section)
            header.setSectionHidden(section, not column.shown)
        self.size_from_sample()
        self.save()

    def size_from_sample(self) -> None:
        """Widths from the header, a typical value and the first rows' texts."""
        metrics = self.view.fontMetrics()
        pad = metrics.horizontalAdvance("M") + 8
        widest = metrics.horizontalAdvance("字" * 9)  # long category lists end in an ellipsis
        header = self.view.horizontalHeader()
        sampled = False
        for section, column in enumerate(self.columns):
            texts = self.sample_texts(column.key)
            sampled = sampled or bool(texts)
            texts = [*_longest(texts), column.sample]
            width = max(metrics.horizontalAdvance(t) for t in texts) + pad
            # The title is always whole (English ones run long); values past the cap elide.
            title = metrics.horizontalAdvance(tr(column.header) + "▲") + pad
            header.resizeSection(section, max(title, min(width, widest)))
        self.sized = sampled

    def restore(self) -> None:
        header = self.view.horizontalHeader()
        for section, column in enumerate(self.columns):
            header.setSectionHidden(section, not column.shown)
        saved = ui_settings().value(self.settings_key)
        try:
            state = json.loads(saved) if isinstance(saved, str) else None
        except ValueError:
            state = None
        if not isinstance(state, dict):
            return
        position = {key: i for i, key in enumerate(self.keys)}
        order = [k for k in state.get("order", []) if k in position]
        for visual, key in enumerate(order):
            header.moveSection(header.visualIndex(position[key]), visual)
        hidden = set(state.get("hidden", []))
        for key, section in position.items():
            if key in order or key in hidden:
                header.setSectionHidden(section, key in hidden)
        for key, width in state.get("widths", {}).items():
            if key in position and isinstance(width, int) and width > 10:
                header.resizeSection(position[key], width)
        self.sized = True

    def save(self) -> None:
        header = self.view.horizontalHeader()
        state = {
            "order": [self.keys[header.logicalIndex(v)] for v in range(header.count())],
            "hidden": [k for i, k in enumerate(self.keys) if header.isSectionHidden(i)],
            "widths": {k: header.sectionSize(i) for i, k in enumerate(self.keys)},
        }
        ui_settings().setValue(self.settings_key, json.dumps(state))
