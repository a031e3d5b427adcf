"""A date typed the ways people type it (2026-11-03, 2026.11.3, 20261103, 11月3日) or picked
from a calendar; a date it cannot read is said in red and kept as typed, never guessed at."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.dates import parse_date
from carebook.domain.errors import DateParseError
from carebook.gui.widgets.form_footer import PROBLEM_RED
from carebook.i18n import tr

# 11月3日, 11月3号, 11.3, 11/3, 11-3: a day without its year (the year nearest today is meant).
_YEARLESS = (
    re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<m>\d{1,2})(?P<sep>[-/.])(?P<d>\d{1,2})"),
)


def read_typed_day(
    text: str, *, today: date, earliest: date | None = None, latest: date | None = None
) -> date:
    """The day typed in a form field; without a year, the one nearest today that the field
    allows (11月3日 typed in January is last November's visit); DateParseError otherwise."""
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for pattern in _YEARLESS:
        match = pattern.fullmatch(plain)
        if match is None:
            continue
        days = []
        for year in (today.year - 1, today.year, today.year + 1):
            try:
                days.append(date(year, int(match["m"]), int(match["d"])))
            except ValueError:
                continue
        allowed = [
            d
            for d in days
            if (earliest is None or d >= earliest) and (latest is None or d <= latest)
        ]
        if allowed or days:
            return min(allowed or days, key=lambda d: abs((d - today).days))
        raise DateParseError(
            tr(
                "“{value}”不是有效日期（没有这一天）。{hint}",
                value=text,
                hint=tr("请按 2015-03-12 这样的格式填写。"),
            )
        )
    return parse_date(text, today=today)


class DateField(QWidget):
    """Stands where a QDateEdit stood (date, setDate, setMaximumDate, dateChanged): a QDateEdit
    read 2026-11-03 typed into it as 2026-11-11 and 11月3日 as nothing at all, silently."""

    dateChanged = Signal(QDate)

    def __init__(
        self, value: QDate, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.today = today or date.today()  # the year 11月3日 is read near
        self._date = QDate(value)
        self._minimum: QDate | None = None
        self._maximum: QDate | None = None
        self._build_ui()
        self._connect_signals()
        self._show(self._date)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(2)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("2026-11-03")
        self.edit.setToolTip(tr("可输入 2026-11-03、2026.11.3、20261103 或 11月3日；↑↓ 改一天"))
        width = self.edit.fontMetrics().horizontalAdvance("2026-11-03") * 1.6
        self.edit.setMinimumWidth(int(width))
        self.calendar_button = QToolButton()
        self.calendar_button.setText("▾")
        self.calendar_button.setToolTip(tr("从日历中选（Alt+↓）"))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row.addWidget(self.edit)
        row.addWidget(self.calendar_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {PROBLEM_RED};")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        self.setFocusProxy(self.edit)
        self._keys = _DateKeys(self)
        self.edit.installEventFilter(self._keys)

    def _connect_signals(self) -> None:
        self.edit.editingFinished.connect(self._read_typed)
        self.calendar_button.clicked.connect(self.open_calendar)

    # -- the QDateEdit calls the forms make -------------------------------------------------
    def date(self) -> QDate:
        """The date shown; raises DateParseError while the text typed is not one."""
        return self._read_typed(raising=True)

    def setDate(self, value: QDate) -> None:
        self._set(self._bounded(QDate(value)))

    def text(self) -> str:
        return self.edit.text()

    def lineEdit(self) -> QLineEdit:
        return self.edit

    def maximumDate(self) -> QDate:
        return QDate(self._maximum) if self._maximum else QDate(9999, 12, 31)

    def setMaximumDate(self, value: QDate) -> None:
        self._maximum = QDate(value)
        if self._date > self._maximum:
            self._set(QDate(self._maximum))

    def setMinimumDate(self, value: QDate) -> None:
        self._minimum = QDate(value)
        if self._date < self._minimum:
            self._set(QDate(self._minimum))

    # -- reading what was typed ------------------------------------------------------------
    def _bounded(self, value: QDate) -> QDate:
        if self._maximum is not None and value > self._maximum:
            return QDate(self._maximum)
        if self._minimum is not None and value < self._minimum:
            return QDate(self._minimum)
        return value

    def _read_typed(self, *, raising: bool = False) -> QDate:
        text = self.edit.text().strip()
        if text == self._date.toString("yyyy-MM-dd"):
            self._say("")
            return QDate(self._date)
        try:
            day = self._parse(text)
        except DateParseError as error:
            self._say(error.message)  # the text stays as typed, to be put right
            if raising:
                raise
            return QDate(self._date)
        self._say("")
        self._set(QDate(day.year, day.month, day.day))
        return QDate(self._date)

    def _parse(self, text: str) -> date:
        low = _py(self._minimum) if self._minimum else None
        high = _py(self._maximum) if self._maximum else None
        day = read_typed_day(text, today=self.today, earliest=low, latest=high)
        if high is not None and day > high:
            raise DateParseError(
                tr("{day} 晚于 {last}，不能选。", day=day.isoformat(), last=high.isoformat())
            )
        if low is not None and day < low:
            raise DateParseError(
                tr("{day} 早于 {first}，不能选。", day=day.isoformat(), first=low.isoformat())
            )
        return day

    def _set(self, value: QDate) -> None:
        changed = value != self._date
        self._date = value
        self._show(value)
        self._say("")
        if changed and not self.signalsBlocked():
            self.dateChanged.emit(QDate(value))

    def _show(self, value: QDate) -> None:
        self.edit.setText(value.toString("yyyy-MM-dd"))

    def _say(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(bool(message))
        self.edit.setStyleSheet(f"border: 1px solid {PROBLEM_RED};" if message else "")

    def step(self, days: int) -> None:
        self._read_typed()
        self.setDate(self._date.addDays(days))
        self.edit.selectAll()

    # -- the calendar ------------------------------------------------------------------------
    def open_calendar(self) -> QCalendarWidget:
        self._read_typed()
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self._maximum is not None:
            calendar.setMaximumDate(self._maximum)
        if self._minimum is not None:
            calendar.setMinimumDate(self._minimum)
        calendar.setSelectedDate(self._date)
        calendar.activated.connect(lambda d: self._picked(calendar, d))
        calendar.clicked.connect(lambda d: self._picked(calendar, d))
        calendar.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()
        self.calendar = calendar
        return calendar

    def _picked(self, calendar: QCalendarWidget, value: QDate) -> None:
        calendar.close()
        self.setDate(value)
        self.edit.setFocus()
        self.edit.selectAll()


class _DateKeys(QObject):
    """↑/↓ change the day by one, Alt+↓ (or F4) opens the calendar, as in a QDateEdit."""

    def __init__(self, field: DateField) -> None:
        super().__init__(field)
        self.field = field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            # The whole date chosen however the field was reached (the form opens in it): a
            # date typed at once replaces it, not 2026-11-2911月3日.
            edit = self.field.edit
            QTimer.singleShot(0, edit, edit.selectAll)  # not called once the form is gone
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and alt):
            self.field.open_calendar()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not alt:
            self.field.step(1 if key == Qt.Key.Key_Up else -1)
            return True
        return super().eventFilter(watched, event)


def _py(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
