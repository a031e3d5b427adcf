"""The register list's plain SQL over a DB-API connection (stdlib only, no SQLAlchemy).

register_queries runs it through the session's own driver connection; a quick start runs the
same SQL through the sqlite3 module to show the first rows before SQLAlchemy is even imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

# Column order of register_rows(); the service names them.
ROW_COLUMNS = (
    "id",
    "uid",
    "name",
    "sex",
    "birth_date",
    "township",
    "village",
    "care_level",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "id_number",
    "last_visit_on",
    "next_due_on",
    "status",
    "registered_on",
    "search_text",
    "name_pinyin",
)

# Plain SQL, run through the driver: loading 100,000 rows through ORM types takes seconds,
# through the driver a fraction of that. Only portable SQL (no group_concat) so PostgreSQL works.
_ROWS_SQL = """
SELECT c.id, c.uid, c.name, c.sex, c.birth_date, t.name, v.name, c.care_level,
       c.guardian_name, c.guardian_relation, c.guardian_phone, c.id_number,
       c.last_visit_on, c.next_due_on, c.status, c.registered_on, c.search_text, c.name_pinyin
FROM children c
LEFT JOIN areas v ON v.id = c.village_id
LEFT JOIN areas t ON t.id = v.parent_id
WHERE c.deleted_at IS NULL
"""
_CATEGORIES_SQL = """
SELECT cc.child_id, cc.category FROM child_categories cc
JOIN children c ON c.id = cc.child_id WHERE c.deleted_at IS NULL
ORDER BY cc.child_id, cc.position
"""
_VOLUNTEERS_SQL = """
SELECT p.child_id, vo.name FROM pairings p JOIN volunteers vo ON vo.id = p.volunteer_id
WHERE p.deleted_at IS NULL AND p.ended_on IS NULL ORDER BY p.child_id, p.started_on
"""
# The first page is read before anything else: ordering all children by place names would sort
# the whole register before the first row could be shown.
_VILLAGES_SQL = """
SELECT v.id, coalesce(t.name, ''), v.name FROM areas v LEFT JOIN areas t ON t.id = v.parent_id
WHERE v.level = 'village' ORDER BY 2, 3
"""
_VILLAGE_CHILDREN_SQL = """
SELECT id, status FROM children WHERE deleted_at IS NULL AND village_id {place} ORDER BY name_pinyin
"""


def _raw(connection: Any, sql: str) -> Iterator[tuple]:
    """Rows straight from the driver's cursor, in batches: SQLAlchemy's per-row fetch costs
    more than the query itself at 100,000 rows."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(5000):
            yield from batch
    finally:
        cursor.close()


def _id_filter(column: str, ids: Iterable[int] | None) -> str:
    if ids is None:
        return ""
    wanted = sorted({int(i) for i in ids}) or [-1]
    return f" AND {column} IN ({','.join(str(i) for i in wanted)})"


def register_rows(connection: Any, child_ids: Iterable[int] | None = None) -> Iterator[tuple]:
    """Raw rows in ROW_COLUMNS order (dates may come as ISO text from SQLite)."""
    ids = None if child_ids is None else list(child_ids)
    yield from _raw(connection, _ROWS_SQL + _id_filter("c.id", ids))


def categories_by_child(connection: Any, child_ids: Iterable[int] | None = None) -> dict:
    """child id -> category labels in their order."""
    ids = None if child_ids is None else list(child_ids)
    sql = _CATEGORIES_SQL.replace("ORDER BY", _id_filter("cc.child_id", ids) + " ORDER BY")
    found: dict[int, list[str]] = {}
    for child_id, label in _raw(connection, sql):
        found.setdefault(child_id, []).append(label)
    return found


def active_volunteers_by_child(connection: Any, child_ids: Iterable[int] | None = None) -> dict:
    """child id -> names of the volunteers in its active pairings."""
    ids = None if child_ids is None else list(child_ids)
    sql = _VOLUNTEERS_SQL.replace("ORDER BY", _id_filter("p.child_id", ids) + " ORDER BY")
    found: dict[int, list[str]] = {}
    for child_id, name in _raw(connection, sql):
        found.setdefault(child_id, []).append(name)
    return found


def villages_in_order(connection: Any) -> list[tuple[int, str, str]]:
    """(id, township, village) of every village, by township then village.

    Sorted here, as the register sorts its rows: a county server set up in Chinese orders
    text by its own rules, and the first page shown while the register loads would jump.
    """
    rows = [tuple(r) for r in _raw(connection, _VILLAGES_SQL)]
    return sorted(rows, key=lambda r: (r[1], r[2], r[0]))


def first_child_ids(connection: Any, limit: int, status: str = "在册") -> list[int]:
    """The first children in register order (township, village, pinyin), for a quick first page.

    Village by village through the village index: ordering all children by place names would
    sort the whole register before the first row could be shown. Status is checked here, not
    in SQL: given a status test, SQLite prefers the status index (95% of rows) to the village's.
    """
    found: list[int] = []
    places = ["IS NULL"] + [f"= {int(v)}" for v, _t, _n in villages_in_order(connection)]
    for place in places:
        for child_id, child_status in _raw(connection, _VILLAGE_CHILDREN_SQL.format(place=place)):
            if not status or child_status == status:
                found.append(child_id)
                if len(found) >= limit:
                    return found
    return found


_DATES: dict[object, date] = {}


def as_date(value: object) -> date | None:
    """A date from a driver value; equal dates share one object (100,000 rows repeat them)."""
    if value is None or value == "":
        return None
    found = _DATES.get(value)
    if found is None:
        found = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        if isinstance(found, datetime):
            found = found.date()
        _DATES[value] = found
    return found
