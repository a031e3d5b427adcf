"""Checking a table's child rows a column at a time: parse_child_row's answers in fewer steps.

A ledger's clean rows (every cell text, a valid ID number, nothing to warn about) are by far
the most; checked cell by cell they cost most of a fresh import. Here each column is taken
whole and cleaned in one pass, values that repeat down a column (dates, categories, care
levels, sexes) are worked out once, and each clean row's facts are assembled directly. Any row
this path is not certain about (a problem, a number or date cell where text is usual, a short
row) goes through parse_child_row itself, so every row gets exactly what parse_child_row gives;
tests/services/test_ledger_columns.py holds the two side by side.
"""

from __future__ import annotations

import re
import weakref
from collections import deque
from datetime import date
from functools import partial
from itertools import compress, repeat
from operator import and_, is_, is_not, itemgetter, ne, not_

from carebook.domain.child_rules import (
    FACT_DEFAULTS,
    PARENT_ID_FIELDS,
    known_care_level,
    known_categories,
    sex_or_blank,
)
from carebook.domain.dates import parse_date
from carebook.domain.errors import DomainError
from carebook.domain.id_numbers import clean_id_parts, normalize_id, parse_id
from carebook.domain.phones import normalize_phone
from carebook.domain.records import CHILD_FACT_FIELDS, PHONE_FIELD_ORDER, ChildFacts
from carebook.exchange.columns import EXTRA_FIELDS
from carebook.exchange.sheet_tables import SheetTable
from carebook.services.ledger_rows import (
    ParsedRow,
    RowDefaults,
    category_labels_of_text,
    cell_text,
    is_exit_or_entry,
    parse_child_row,
    shared_present,
    yes_text,
)

# The order _check leaves a ChildFacts' __dict__ in: the defaults' order, then the name.
_ORDER = (*FACT_DEFAULTS, "name")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_FAIL = object()  # a cached value that sends the row to parse_child_row
_SPECIAL = frozenset(
    {"id_number", "birth_date", "sex", "boarding", "categories", "care_level", *PHONE_FIELD_ORDER}
)
_AUTO_PRESENT = frozenset({"township", "village", "categories", "birth_date", "sex"})
_DEFAULT_LEVEL = FACT_DEFAULTS["care_level"] or "一般"


def parse_child_rows(
    table: SheetTable, rows: list[tuple[int, tuple[object, ...]]], defaults: RowDefaults
) -> list[ParsedRow]:
    """parse_child_row(table, number, cells, defaults) for each row, in order."""
    fast = _fast_table(table, defaults)
    if fast is None or not rows:
        return [parse_child_row(table, number, cells, defaults) for number, cells in rows]
    width = fast.width
    whole = list(map(width.__le__, map(len, map(itemgetter(1), rows))))
    taken = rows if all(whole) else list(compress(rows, whole))
    found = fast.rows(taken) if taken else []
    if taken is not rows:
        done = iter(found)
        found = [next(done) if ok else None for ok in whole]
    return [
        row if row is not None else parse_child_row(table, number, cells, defaults)
        for row, (number, cells) in zip(found, rows, strict=True)
    ]


class _FastTable:
    """What one table's columns need, worked out once, and the caches of repeated values."""

    def __init__(self, table: SheetTable, defaults: RowDefaults) -> None:
        columns = table.field_columns()
        self.sheet = table.sheet
        self.names = tuple(columns)
        self.get = itemgetter(*columns.values())
        self.width = max(columns.values()) + 1
        self.defaults = defaults
        self.today = defaults.today
        self.has_categories = "categories" in columns
        self.dates: dict[str, object] = {}
        self.categories: dict[str, object] = {}
        self.care_levels: dict[str, object] = {}
        self.sexes: dict[str, str | None] = {}
        self.presents: dict[tuple[bool, ...], frozenset[str]] = {}

    def rows(self, rows: list[tuple[int, tuple[object, ...]]]) -> list[ParsedRow | None]:
        """The rows parsed, or None for each row this path leaves to parse_child_row."""
        count = len(rows)
        numbers = list(map(itemgetter(0), rows))
        cells = list(map(itemgetter(1), rows))
        raw = dict(zip(self.names, zip(*map(self.get, cells), strict=True), strict=True))
        text = {name: _shared_texts(_texts(column)) for name, column in raw.items()}
        bad = [False] * count
        # Per field, a column of final values (a list) or one value for all rows (same).
        final: dict[str, list] = {}
        same: dict[str, object] = {}

        ids = clean_id_parts(raw["id_number"], self.today)
        _mark(bad, map(is_, ids, repeat(None)))  # no clean, valid ID: parse_child_row says why
        parts = [(None, None) if p is None else p for p in ids]
        final["id_number"] = raw["id_number"]  # type: ignore[assignment]
        final["birth_date"] = births = list(map(itemgetter(0), parts))
        final["sex"] = sexes = list(map(itemgetter(1), parts))
        if "birth_date" in raw:
            given = self._dates(raw["birth_date"], bad)
            # A birth date other than the ID's (blank cells give None) is warned about.
            _mark(bad, map(and_, map(is_not, given, repeat(None)), map(ne, given, births)))
        if "sex" in text:
            typed = text["sex"]
            known = self.sexes
            for new in set(typed) - known.keys():
                known[new] = sex_or_blank(new) if new else None
            clean = list(map(known.__getitem__, typed))
            wrong = map(ne, clean, sexes)
            _mark(bad, map(and_, map(is_not, clean, repeat(None)), wrong))
        for name in PHONE_FIELD_ORDER:
            if name in text:
                final[name] = _phones(text[name], bad)
        for name in PARENT_ID_FIELDS:
            if name in text:
                final[name] = _parent_ids(text[name], bad, self.today)
        if "boarding" in text:
            final["boarding"] = list(map(yes_text, map(str.lower, text["boarding"])))
        self._categories(text.get("categories"), count, bad, final, same)
        self._care_levels(text.get("care_level"), count, bad, final, same)
        for name in ("township", "village"):
            default = " ".join(str(getattr(self.defaults, name)).split())
            if name in text:
                column = text[name]
                final[name] = [t or default for t in column] if default else column
            else:
                same[name] = default
        for name, column in text.items():
            if name not in final and name not in same and name not in EXTRA_FIELDS:
                final[name] = column
        if not all(text["name"]):
            _mark(bad, map(not_, text["name"]))
        status = self._status(raw, text, count, bad)

        keep = list(map(not_, bad))
        kept = keep.count(True)
        if not kept:
            return [None] * count
        present = self._presents(text, count)
        made = self._assemble(numbers, cells, keep, kept, final, same, present, status)
        if kept == count:
            return made
        done = iter(made)
        return [next(done) if ok else None for ok in keep]

    def _assemble(self, numbers, cells, keep, kept, final, same, present, status) -> list:
        """The kept rows' ParsedRows, their ChildFacts built from the final columns."""
        # Each row's facts: a copy of what all rows share, then its own values, all in C.
        template = {n: same.get(n, FACT_DEFAULTS.get(n)) for n in _ORDER}
        varying = tuple(n for n in _ORDER if n in final)
        dicts = list(map(dict.copy, repeat(template, kept)))
        own = compress(zip(*(final[n] for n in varying), strict=True), keep)
        deque(map(dict.update, dicts, map(partial(zip, varying, strict=True), own)), maxlen=0)
        facts = list(map(object.__new__, repeat(ChildFacts, kept)))
        # A frozen ChildFacts filled the way _check fills one: its __dict__, in _check's order.
        deque(map(object.__setattr__, facts, repeat("__dict__"), dicts), maxlen=0)
        made = map(
            ParsedRow,
            repeat(self.sheet),
            compress(numbers, keep),
            repeat("child"),
            compress(cells, keep),
            facts,
            compress(present, keep) if isinstance(present, list) else repeat(present),
            *(compress(column, keep) for column in status),
        )
        return list(made)

    def _dates(self, column: tuple[object, ...], bad: list[bool]) -> list[date | None]:
        """Each cell's date (None when blank); unreadable and unusual cells mark the row."""
        cache = self.dates
        out: list[date | None] = []
        for i, value in enumerate(column):
            if type(value) is str:
                day = cache.get(value, _FAIL)
                if day is _FAIL:
                    if not value.strip():
                        day = None
                    else:
                        try:
                            day = parse_date(value, today=self.today)
                        except DomainError:
                            day = _FAIL
                    if len(cache) < 100_000:
                        cache[value] = day
                if day is _FAIL:
                    bad[i] = True
                    day = None
            elif value is None:
                day = None
            elif isinstance(value, date):  # datetime too
                try:
                    day = parse_date(value, today=self.today)
                except DomainError:
                    bad[i] = True
                    day = None
            else:
                bad[i] = True  # a number or flag: parse_child_row says what it makes of it
                day = None
            out.append(day)  # type: ignore[arg-type]
        return out

    def _categories(self, texts, count: int, bad: list[bool], final, same) -> None:
        if texts is None:
            found = same["categories"] = self._category_of("")
            if found is _FAIL:
                bad[:] = [True] * count  # every row has a problem: all go the slow way
            return
        final["categories"] = self._cached(texts, self.categories, self._category_of, bad)

    def _category_of(self, text: str):
        """A category cell's final labels, or _FAIL when parse_child_row would complain."""
        labels: tuple[str, ...] = ()
        if text:
            try:
                labels = category_labels_of_text(text)
            except DomainError:
                return _FAIL
        found, unknown = known_categories(labels or self.defaults.categories)
        if unknown is not None or (not found and self.has_categories):
            return _FAIL
        return found

    def _care_levels(self, texts, count: int, bad: list[bool], final, same) -> None:
        if texts is None:
            level = same["care_level"] = known_care_level(_DEFAULT_LEVEL)
            if level is None:
                bad[:] = [True] * count
            return
        final["care_level"] = self._cached(texts, self.care_levels, self._level_of, bad)

    @staticmethod
    def _level_of(text: str) -> object:
        level = known_care_level(text or _DEFAULT_LEVEL)
        return _FAIL if level is None else level

    @staticmethod
    def _cached(texts: list[str], cache: dict, work, bad: list[bool]) -> list:
        """work(text) for each text, once per distinct text; _FAIL marks the row."""
        for new in set(texts) - cache.keys():
            cache[new] = work(new)
        out = list(map(cache.__getitem__, texts))
        _mark(bad, map(is_, out, repeat(_FAIL)))
        return out

    def _status(self, raw, text, count: int, bad: list[bool]) -> list:
        """The status, its reason and date per row (no columns when the table has no 状态)."""
        if "status" not in text:
            return []
        statuses: list[str] = []
        reasons: list[str] = []
        days: list[date | None] = []
        reason_texts = text.get("status_reason") or repeat("", count)
        day_column = self._dates(raw["status_date"], bad) if "status_date" in raw else None
        for i, (typed, reason) in enumerate(zip(text["status"], reason_texts, strict=False)):
            if not typed:
                statuses.append("")
                reasons.append("")
                days.append(None)
                continue
            status = is_exit_or_entry(typed)
            if status is None or (status == "退出" and not reason):
                bad[i] = True  # a status not understood, or an exit without a reason: warned
            statuses.append(status or "")
            reasons.append(reason)
            days.append(day_column[i] if day_column is not None else None)
        return [statuses, reasons, days]

    def _presents(self, text, count: int) -> list[frozenset[str]] | frozenset[str]:
        """Per row (or one for all), the fields the file filled in, as parse_child_row counts."""
        names = [n for n in text if n not in EXTRA_FIELDS and n not in _AUTO_PRESENT]
        always = {"birth_date", "sex"}  # every row here has a valid ID number
        filled = [text[n] for n in names]
        for name in ("township", "village"):
            if getattr(self.defaults, name):
                always.add(name)
            elif name in text:
                names.append(name)
                filled.append(text[name])
        if self.has_categories or self.defaults.categories:
            always.add("categories")  # its rows here all have categories
        # Only the columns some row left blank tell rows apart.
        gaps = [(n, column) for n, column in zip(names, filled, strict=True) if not all(column)]
        always.update(n for n in names if n not in dict(gaps))
        if not gaps:
            return shared_present(always)
        names = [n for n, _ in gaps]
        cache = self.presents
        out = []
        for pattern in zip(*(map(bool, column) for _, column in gaps), strict=True):
            found = cache.get(pattern)
            if found is None:
                found = cache[pattern] = shared_present({*compress(names, pattern), *always})
            out.append(found)
        return out


def _texts(column: tuple[object, ...]) -> list[str]:
    """cell_text of each cell ("" for a blank one), in C when every cell is text."""
    try:
        joined = "\0".join(column)  # NUL is not a space: the cells' own spaces only
    except TypeError:
        return [cell_text(value) for value in column]
    if joined.split(None, 1) == [joined]:
        return list(column)  # no space in any cell, nothing to tidy (the usual column)
    return list(map(" ".join, map(str.split, column)))


def _shared_texts(column: list[str]) -> list[str]:
    """The column with equal texts as one object: the rows' facts keep them for the whole import.

    A ledger repeats its villages, schools, grades, relations and statuses down the rows; held
    once each, 200,000 rows' facts take far less memory than with a string per cell.
    """
    distinct = dict.fromkeys(column)
    if 2 * len(distinct) > len(column):
        return column  # mostly different (names, ID numbers, phones): nothing to share
    for text in distinct:
        distinct[text] = text
    return list(map(distinct.__getitem__, column))


def _mark(bad: list[bool], wrong) -> None:
    """Send the rows where `wrong` (an iterable of bools) holds to parse_child_row."""
    for i in compress(range(len(bad)), wrong):
        bad[i] = True


def _phones(texts: list[str], bad: list[bool]) -> list[str]:
    """normalize_phone of each filled cell; a number it refuses marks its row."""
    out = list(texts)
    # Plain mobiles (most cells) are already what normalize_phone makes of them.
    for i in compress(range(len(texts)), map(is_, map(_MOBILE.fullmatch, texts), repeat(None))):
        if texts[i]:
            try:
                out[i] = normalize_phone(texts[i])
            except DomainError:
                bad[i] = True
    return out


def _parent_ids(texts: list[str], bad: list[bool], today: date) -> list[str]:
    """A parent's or guardian's ID number cleaned; one that fails its check marks its row."""
    out = list(texts)
    for i in compress(range(len(texts)), texts):  # mostly blank
        try:
            out[i] = parse_id(normalize_id(texts[i]), today=today).number
        except DomainError:
            bad[i] = True
    return out


_TABLES: dict[int, tuple[weakref.ref, RowDefaults, _FastTable | None]] = {}


def _fast_table(table: SheetTable, defaults: RowDefaults) -> _FastTable | None:
    """The table's fast-path state (kept across a table's chunks), or None when it cannot apply."""
    found = _TABLES.get(id(table))
    if found is None or found[0]() is not table or found[1] != defaults:
        if len(_TABLES) > 64:
            _TABLES.clear()
        columns = table.field_columns()
        usable = (
            "id_number" in columns
            and "name" in columns
            and set(columns) <= {*CHILD_FACT_FIELDS, *EXTRA_FIELDS}
            and set(_ORDER) == set(CHILD_FACT_FIELDS)
        )
        fast = _FastTable(table, defaults) if usable else None
        found = _TABLES[id(table)] = (weakref.ref(table), defaults, fast)
    return found[2]
