"""The register filters: place, category, care level, status, age band, overdue, not paired."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from carebook.domain.categories import CARE_LEVELS, all_categories
from carebook.gui.widgets.flow_layout import FlowLayout
from carebook.i18n import tr
from carebook.services.register_query import (
    AGE_BAND_LABELS,
    ALL,
    STATUSES,
    FacetCounts,
    RegisterQuery,
)

_COMBOS = ("township", "village", "category", "care_level", "status", "age_band")
_ALL_TEXT = {
    "township": "全部乡镇",
    "village": "全部村（社区）",
    "category": "全部类别",
    "care_level": "全部等级",
    "status": "在册和退出",
    "age_band": "全部年龄",
}
_DEFAULTS = {"status": "在册"}
# Filters over the program's own words, shown in the chosen language. Places are data, and
# categories are the civil-affairs office's own names, shown as the register lists them.
_VOCABULARY = frozenset({"care_level", "status", "age_band"})


def _shown(key: str, value: str) -> str:
    return tr(value) if key in _VOCABULARY else value


def _with_count(text: str, count: int | None) -> str:
    # English puts the count in ASCII brackets: full-width ones look like a gap there.
    return text if count is None else tr("{text}（{count}）", text=text, count=f"{count:,}")


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._places: list[tuple[str, str]] = []
        self._counts: FacetCounts | None = None  # none until the register is counted
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        # Six boxes with their counts run to ~900 px in English: on a 1024-pixel laptop screen
        # the row wraps onto a second line instead of pushing the window past the screen.
        layout = FlowLayout(self)
        layout.addWidget(QLabel(tr("筛选：")))
        self.combos: dict[str, QComboBox] = {}
        for key in _COMBOS:
            combo = QComboBox()
            combo.setObjectName(f"filter-{key}")
            combo.setAccessibleName(tr(_ALL_TEXT[key]))
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            self.combos[key] = combo
            layout.addWidget(combo)
        self._fill("category", list(all_categories()))
        self._fill("care_level", list(CARE_LEVELS))
        self._fill("status", list(STATUSES))
        self._fill("age_band", list(AGE_BAND_LABELS))
        self._set_value("status", "在册")
        # The two switches are laid out by the page (beside the search box): in this row, with
        # counts on every filter, they pushed it past a 1200-pixel window and cut the others.
        self.overdue = QCheckBox(tr("逾期未走访"))
        self.unpaired = QCheckBox(tr("未结对"))
        self.toggles = (self.overdue, self.unpaired)

    def _connect_signals(self) -> None:
        for key, combo in self.combos.items():
            combo.activated.connect(lambda _i, k=key: self._picked(k))
        self.overdue.toggled.connect(lambda _on: self.changed.emit())
        self.unpaired.toggled.connect(lambda _on: self.changed.emit())

    def _picked(self, key: str) -> None:
        if key == "township":
            self._fill_villages()
        self.changed.emit()

    # -- choices --------------------------------------------------------------------------
    def _fill(self, key: str, values: list[str]) -> None:
        combo = self.combos[key]
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(tr(_ALL_TEXT[key]), ALL)
        for value in values:
            combo.addItem(_shown(key, value), value)
        at = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(at, 0))
        combo.blockSignals(False)

    def set_places(self, places: list[tuple[str, str]]) -> None:
        self._places = places
        self._fill("township", list(dict.fromkeys(t for t, _v in places)))
        self._fill_villages()

    def _fill_villages(self) -> None:
        town = self.value("township")
        villages = [v for t, v in self._places if not town or t == town]
        self._fill("village", list(dict.fromkeys(villages)))
        self._label_counts()

    def value(self, key: str) -> str:
        return self.combos[key].currentData() or ALL

    def _set_value(self, key: str, value: str) -> None:
        combo = self.combos[key]
        combo.blockSignals(True)
        combo.setCurrentIndex(max(combo.findData(value), 0))
        combo.blockSignals(False)

    # -- counts ---------------------------------------------------------------------------
    def set_counts(self, counts: FacetCounts) -> None:
        self._counts = counts
        self._label_counts()

    def _count_of(self, key: str, value: str) -> int | None:
        c = self._counts
        if c is None:
            return None
        if key == "township":
            return c.townships.get(value, 0)
        if key == "village":
            town = self.value("township")
            return sum(
                n for (t, v), n in c.villages.items() if v == value and (not town or t == town)
            )
        table = {
            "category": c.categories,
            "care_level": c.care_levels,
            "status": c.statuses,
            "age_band": c.age_bands,
        }[key]
        return table.get(value, 0)

    def _label_counts(self) -> None:
        for key, combo in self.combos.items():
            for i in range(1, combo.count()):
                value = combo.itemData(i)
                combo.setItemText(i, _with_count(_shown(key, value), self._count_of(key, value)))
        counts = self._counts
        self.overdue.setText(_with_count(tr("逾期未走访"), counts.overdue if counts else None))
        self.unpaired.setText(_with_count(tr("未结对"), counts.unpaired if counts else None))

    # -- the query ------------------------------------------------------------------------
    def apply(self, query: RegisterQuery) -> RegisterQuery:
        return replace(
            query,
            **{key: self.value(key) for key in _COMBOS},
            overdue=self.overdue.isChecked(),
            unpaired=self.unpaired.isChecked(),
        )

    def show_query(self, query: RegisterQuery) -> None:
        self._set_value("township", query.township)
        self._fill_villages()
        for key in _COMBOS[1:]:
            self._set_value(key, getattr(query, key))
        for box, on in ((self.overdue, query.overdue), (self.unpaired, query.unpaired)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)

    def chips(self, counts: FacetCounts) -> list[tuple[str, str]]:
        """(key, text) for each filter that differs from its default, with its count."""
        found: list[tuple[str, str]] = []
        for key in _COMBOS:
            value = self.value(key)
            if value == _DEFAULTS.get(key, ALL):
                continue
            text = value or tr(_ALL_TEXT[key])
            count = self._count_of(key, value) if value else counts.total
            found.append((key, _with_count(text, count)))
        if self.overdue.isChecked():
            found.append(("overdue", _with_count(tr("逾期未走访"), counts.overdue)))
        if self.unpaired.isChecked():
            found.append(("unpaired", _with_count(tr("未结对"), counts.unpaired)))
        return found

    def clear(self, key: str) -> None:
        if key in self.combos:
            self._set_value(key, _DEFAULTS.get(key, ALL))
            if key == "township":
                self._fill_villages()
        elif key == "overdue":
            self.overdue.blockSignals(True)
            self.overdue.setChecked(False)
            self.overdue.blockSignals(False)
        elif key == "unpaired":
            self.unpaired.blockSignals(True)
            self.unpaired.setChecked(False)
            self.unpaired.blockSignals(False)
        self.changed.emit()

    def clear_all(self) -> None:
        self.show_query(RegisterQuery())
        self.changed.emit()
