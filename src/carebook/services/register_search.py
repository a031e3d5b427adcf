"""The one register search: an in-memory index of light rows, matched and filtered in plain Python.

Loading 100,000 children takes a few seconds, once per process and off the GUI thread; after that
a keystroke is a str.find over precomputed keys (name, every pinyin reading, initials, ID, phones,
places) until the first page is found: well under a millisecond typically. Changes are picked up
row by row through refresh().
"""

from __future__ import annotations

import bisect
import gc
import itertools
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from operator import attrgetter, itemgetter

from carebook.services.collecting import fewer_collections
from carebook.services.register_query import (
    AGE_BAND_LABELS,
    ALL,
    FIRST_ROWS,
    PAGE,
    SORT_KEYS,
    STATUSES,
    FacetCounts,
    RegisterQuery,
    RegisterRow,
    age_band_of,
    named_tests,
    narrows,
    register_order,
    row_filter,
    search_terms,
    top_label,
)
from carebook.services.register_rows import build_rows
from carebook.storage import register_queries as q
from carebook.storage.database import Database
from carebook.storage.memory import (
    cache_whole_register,
    release_page_cache,
    return_freed_memory,
)

# The page and tests import the plain data from here too: one place to ask for the search.
__all__ = [
    "AGE_BAND_LABELS",
    "ALL",
    "PAGE",
    "STATUSES",
    "FacetCounts",
    "RegisterIndex",
    "RegisterQuery",
    "RegisterRow",
    "SearchResult",
    "all_places",
    "register_index",
    "register_size",
    "register_size_estimate",
    "search_terms",
]


# How far back a server's register looks for others' changes (clocks apart, work under way).
SERVER_MARGIN = timedelta(minutes=5)


class SearchResult:
    """Matching rows: the first page found at once, the rest on demand (advance(), all_rows())."""

    def __init__(self, matches: Iterable[RegisterRow], register_size: int, page: int) -> None:
        self.register_size = register_size  # children in the index, whatever the filters
        self.rows: list[RegisterRow] = []
        self._more: Iterator[RegisterRow] | None = iter(matches)
        self.advance(page)

    @property
    def complete(self) -> bool:
        return self._more is None

    def advance(self, count: int) -> bool:
        """Find up to `count` more rows; True once every match is found."""
        if self._more is not None:
            before = len(self.rows)
            self.rows.extend(itertools.islice(self._more, count))
            if len(self.rows) - before < count:
                self._more = None
        return self._more is None

    def all_rows(self) -> list[RegisterRow]:
        while not self.advance(50_000):
            pass
        return self.rows

    @property
    def total(self) -> int:
        return len(self.all_rows())


class _View:
    """Rows in one order with their keys joined into one text, so a term is found by str.find."""

    def __init__(self, rows: list[RegisterRow], keys: list[str]) -> None:
        self.rows = rows
        self.starts = list(itertools.accumulate((len(k) + 1 for k in keys), initial=0))
        # Keys never hold a newline, so a match never spans two children.
        self.text = "\n".join(keys) + "\n"

    def matches(
        self, terms: list[str], keep: Callable[[RegisterRow], bool] | None
    ) -> Iterator[RegisterRow]:
        rows = self.rows
        if not terms:
            yield from (rows if keep is None else filter(keep, rows))
            return
        # Scan for the longest term (fewest hits); check the others on that child's key only.
        first = max(terms, key=len)
        rest = [t for t in terms if t is not first]
        text, starts, find, locate = self.text, self.starts, self.text.find, bisect.bisect_right
        pos = find(first)
        while pos >= 0:
            i = locate(starts, pos) - 1
            row = rows[i]
            if (not rest or all(t in text[starts[i] : starts[i + 1]] for t in rest)) and (
                keep is None or keep(row)
            ):
                yield row
            pos = find(first, starts[i + 1])


class RegisterIndex:
    """Every child's row and search key, kept in memory; one per open database."""

    def __init__(self, db: Database, *, today: date | None = None) -> None:
        self.db = db
        self.today = today or date.today()
        self._rows: list[RegisterRow] = []
        self._keys: list[str] = []
        self._position: dict[int, int] = {}  # child id -> index in _rows
        self._views: dict[RegisterQuery, _View] = {}
        # Counts per query: broad ones (no text yet) cost most and are asked most often.
        self._facets: dict[RegisterQuery, FacetCounts] = {}
        self._generation = 0  # bumped on every change to the rows
        self._last: tuple[RegisterQuery, SearchResult] | None = None
        self._mark: tuple | None = None
        self._loaded_at: datetime | None = None
        self._lock = threading.RLock()
        self.loaded = False

    # -- loading ----------------------------------------------------------------------------
    def load(self) -> int:
        """Read every child; safe to call from a worker thread. Returns how many."""
        started = datetime.now()
        with fewer_collections(), self.db.reading() as session:
            # Building 100,000 rows, the collector's passes took a fifth of the load.
            cache_whole_register(session)
            mark = q.change_mark(session)
            rows, keys = self._read(session, None)
            release_page_cache(session)
        order = sorted(range(len(rows)), key=lambda i: register_order(rows[i]))
        with self._lock:
            self._rows = [rows[i] for i in order]
            self._keys = [keys[i] for i in order]
            self._position = {r.id: i for i, r in enumerate(self._rows)}
            self._views.clear()
            self._facets.clear()
            self._generation += 1
            self._last = None
            self._mark, self._loaded_at = mark, started
            self.loaded = True
        # Still off the GUI thread: the views and counts the list asks for first.
        self.facet_counts(RegisterQuery())
        self._view(RegisterQuery())
        # 100,000 rows are long-lived objects: keep the garbage collector from walking them
        # again and again (its full passes were the slowest keystrokes).
        gc.collect()
        gc.freeze()
        return_freed_memory()
        return len(self._rows)

    def _read(self, session, ids: Iterable[int] | None) -> tuple[list[RegisterRow], list[str]]:
        ids = None if ids is None else list(ids)
        categories = q.categories_by_child(session, ids)
        volunteers = q.active_volunteers_by_child(session, ids)
        return build_rows(q.register_rows(session, ids), categories, volunteers, self.today)

    def preview(self, limit: int = FIRST_ROWS) -> list[RegisterRow]:
        """The first rows of the register by plain SQL, to show while the whole index loads."""
        with self.db.reading() as session:
            ids = q.first_child_ids(session, limit)
            rows, _keys = self._read(session, ids)
        return sorted(rows, key=register_order)

    def refresh(self, child_ids: Iterable[int] | None = None) -> bool:
        """Pick up what changed since loading (or exactly these children); True if anything did."""
        if not self.loaded:
            self.load()
            return True
        with self.db.reading() as session:
            mark = q.change_mark(session)
            if child_ids is None:
                if mark == self._mark:
                    return False
                assert self._loaded_at is not None
                ids = self._changed_since_loading(session)
            else:
                ids = set(child_ids)
            started = datetime.now()
            rows, keys = self._read(session, ids)
        with self._lock:
            self._merge(ids, rows, keys)
            self._mark = mark if child_ids is None else self._mark
            if child_ids is None:
                self._loaded_at = started
        return True

    def _changed_since_loading(self, session) -> set[int]:
        """Children to read again: changed since the index was read, by this computer's clock.

        On a county's server that misses what other computers saved: their clocks differ, and
        a row carries the time its work began, so an import committed after the reading holds
        rows "older" than it. A margin covers clocks and most work; children the index lacks
        are read whatever their times say.
        """
        assert self._loaded_at is not None
        if self.db.is_sqlite:  # one writer, this program: its own clock and its own saves
            return q.changed_child_ids(session, self._loaded_at)
        ids = q.changed_child_ids(session, self._loaded_at - SERVER_MARGIN)
        return ids | (q.live_child_ids(session) - self._position.keys())

    def _merge(self, ids: set[int], rows: list[RegisterRow], keys: list[str]) -> None:
        """Put re-read rows in place; only rows whose place in the order changed move."""
        fresh = {r.id for r in rows}
        remove = set(ids) - fresh  # deleted since
        moving: list[tuple[RegisterRow, str]] = []
        for row, key in zip(rows, keys, strict=True):
            at = self._position.get(row.id)
            if at is not None and register_order(self._rows[at]) == register_order(row):
                self._rows[at], self._keys[at] = row, key
            else:
                if at is not None:
                    remove.add(row.id)
                moving.append((row, key))
        if remove:
            keep = [i for i, r in enumerate(self._rows) if r.id not in remove]
            self._rows = [self._rows[i] for i in keep]
            self._keys = [self._keys[i] for i in keep]
        for row, key in moving:
            at = bisect.bisect_right(self._rows, register_order(row), key=register_order)
            self._rows.insert(at, row)
            self._keys.insert(at, key)
        if remove or moving:
            self._position = {r.id: i for i, r in enumerate(self._rows)}
        self._views.clear()
        self._facets.clear()
        self._generation += 1
        self._last = None

    def refresh_uid(self, uid: str) -> None:
        """Reload one child after the worker saved it."""
        with self.db.reading() as session:
            cid = q.child_id_for_uid(session, uid)
        if cid is not None:
            self.refresh([cid])

    # -- searching --------------------------------------------------------------------------
    def _view(self, query: RegisterQuery) -> _View:
        """The rows in the asked order and status, and through the asked filters.

        Built once per choice (a click), cached, so each keystroke scans only what the filters
        keep: a village's 600 children, not the whole register.
        """
        sort = query.sort if query.sort in SORT_KEYS else ""
        plain = replace(query, text="", sort=sort, descending=query.descending and bool(sort))
        view = self._views.get(plain)
        if view is not None:
            self._views[plain] = self._views.pop(plain)  # most recently used goes last
            return view
        keep = row_filter(plain)
        if keep is not None:
            base = self._view(
                RegisterQuery(status=plain.status, sort=sort, descending=plain.descending)
            )
            rows = [r for r in base.rows if keep(r)]
            view = _View(rows, [self._keys[self._position[r.id]] for r in rows])
        else:
            view = self._plain_view(sort, plain.descending, plain.status)
        if len(self._views) >= 6:  # a whole-register view costs ~20 MB at 100,000 children
            self._views.pop(next(iter(self._views)))
        self._views[plain] = view
        return view

    def _plain_view(self, sort: str, descending: bool, status: str) -> _View:
        rows, keys = self._rows, self._keys
        if status:
            chosen = [i for i, row in enumerate(rows) if row.status == status]
        else:
            chosen = range(len(rows))
        if sort:
            # Rows start in register order and the sort is stable: ties stay in that order.
            # Children with no value (no date, no age) stay at the end both ways. Each row is
            # visited once and the sort moves (value, position) pairs: at 100,000 children the
            # rows lie all over memory, and every pass over them cost 40 ms of a click.
            at = RegisterRow._fields.index("sort_name" if sort == "name" else sort)
            valued: list[tuple[object, int]] = []
            blank: list[int] = []
            for i in chosen:
                value = rows[i][at]
                if value is None or value == "" or value == ():
                    blank.append(i)
                elif sort == "categories":
                    valued.append(("、".join(value), i))
                else:
                    valued.append((value, i))
            valued.sort(key=itemgetter(0), reverse=descending)
            chosen = [i for _value, i in valued]
            chosen += blank
        return _View([rows[i] for i in chosen], [keys[i] for i in chosen])

    def search(self, query: RegisterQuery, *, page: int = PAGE) -> SearchResult:
        """The children matching the text and filters, in the asked order; first page at once."""
        with self._lock:
            terms = search_terms(query.text)
            last = self._last
            if (
                last is not None
                and last[0].filters_only() == query.filters_only()
                and (last[0].sort, last[0].descending) == (query.sort, query.descending)
                and narrows(search_terms(last[0].text), terms)
                and last[1].complete
            ):
                # The worker typed one more letter: only the previous matches can still match.
                keys = self._keys
                position = self._position
                matches = (r for r in last[1].rows if all(t in keys[position[r.id]] for t in terms))
            else:
                matches = self._view(query).matches(terms, None)
            result = SearchResult(matches, len(self._rows), page)
            self._last = (query, result)
            return result

    def facet_counts(self, query: RegisterQuery) -> FacetCounts:
        """For each filter choice, how many children the list would show with it chosen.

        Every other active filter and the search text still apply, as in any faceted search:
        a child counts towards filter F when it passes every filter except perhaps F.
        """
        asked = replace(query, sort="", descending=False)
        with self._lock:
            cached = self._facets.get(asked)
            if cached is not None:
                return cached
            view = self._view(RegisterQuery(status=ALL))
            found = list(view.matches(search_terms(query.text), None))
            generation = self._generation
        counts = self._facet_counts(query, found)
        with self._lock:
            if generation == self._generation:  # the register did not change meanwhile
                if len(self._facets) >= 32:
                    self._facets.pop(next(iter(self._facets)))
                self._facets[asked] = counts
        return counts

    def _facet_counts(self, query: RegisterQuery, found: list[RegisterRow]) -> FacetCounts:
        tests = named_tests(query)
        if query.status:
            wanted = query.status
            tests.append(("status", lambda r: r.status == wanted))
        passing: list[RegisterRow] = []
        nearly: dict[str, list[RegisterRow]] = {name: [] for name, _test in tests}
        if not tests:
            passing = found
        elif len(tests) == 1:
            name, test = tests[0]
            nearly[name] = found  # C-speed path for the usual case: only 在册 is chosen
            passing = list(filter(test, found))
        else:
            for row in found:
                failed = [name for name, test in tests if not test(row)]
                if not failed:
                    passing.append(row)
                elif len(failed) == 1:
                    nearly[failed[0]].append(row)

        def rows_for(name: str) -> list[RegisterRow]:
            if name not in nearly:
                return passing
            return found if len(tests) == 1 else passing + nearly[name]

        return _count(rows_for, len(passing))

    def row(self, uid: str) -> RegisterRow | None:
        with self._lock:
            return next((r for r in self._rows if r.uid == uid), None)

    @property
    def size(self) -> int:
        return len(self._rows)


def _count(rows_for: Callable[[str], list[RegisterRow]], total: int) -> FacetCounts:
    # Counting through map/attrgetter stays in C: 100,000 rows in a few milliseconds.
    def tally(name: str, *fields: str) -> dict:
        return dict(Counter(map(attrgetter(*fields), rows_for(name))))

    categories: Counter = Counter()
    for labels, n in tally("category", "categories").items():
        # A child counts once under 困境儿童 even with two of its subtypes.
        for counted in {top for label in labels for top in (label, top_label(label))}:
            categories[counted] += n
    bands: Counter = Counter()
    for age, n in tally("age_band", "age").items():
        bands[age_band_of(age)] += n
    return FacetCounts(
        townships=tally("township", "township"),
        villages=tally("village", "township", "village"),
        categories=dict(categories),
        care_levels=tally("care_level", "care_level"),
        statuses=tally("status", "status"),
        age_bands=dict(bands),
        overdue=sum(map(attrgetter("overdue"), rows_for("overdue"))),
        unpaired=tally("unpaired", "volunteers").get("", 0),
        total=total,
    )


def register_size(db: Database) -> int:
    with db.reading() as session:
        return q.count_children(session)


def register_size_estimate(db: Database) -> int:
    """At least the number of children, found instantly (to choose how to load the index)."""
    with db.reading() as session:
        return q.largest_child_id(session)


def all_places(db: Database) -> list[tuple[str, str]]:
    """(township, village) pairs for the place filter."""
    with db.reading() as session:
        return q.places(session)


_INDEXES: dict[int, RegisterIndex] = {}


def register_index(db: Database) -> RegisterIndex:
    """The process's index for this database (not yet loaded: call load() where it suits)."""
    index = _INDEXES.get(id(db))
    if index is None or index.db is not db:
        index = _INDEXES[id(db)] = RegisterIndex(db)
    return index
