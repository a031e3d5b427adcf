"""The register list's SQL: light rows for every child, a change mark, and a child's file lists."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carebook.storage.tables import (
    Assistance,
    Child,
    Pairing,
    Visit,
    Volunteer,
)

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


def _raw(session: Session, sql: str) -> Iterator[tuple]:
    """Rows straight from the driver's cursor, in batches: SQLAlchemy's per-row fetch costs
    more than the query itself at 100,000 rows."""
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
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


def register_rows(session: Session, child_ids: Iterable[int] | None = None) -> Iterator[tuple]:
    """Raw rows in ROW_COLUMNS order (dates may come as ISO text from SQLite)."""
    ids = None if child_ids is None else list(child_ids)
    yield from _raw(session, _ROWS_SQL + _id_filter("c.id", ids))


def categories_by_child(session: Session, child_ids: Iterable[int] | None = None) -> dict:
    """child id -> category labels in their order."""
    ids = None if child_ids is None else list(child_ids)
    sql = _CATEGORIES_SQL.replace("ORDER BY", _id_filter("cc.child_id", ids) + " ORDER BY")
    found: dict[int, list[str]] = {}
    for child_id, label in _raw(session, sql):
        found.setdefault(child_id, []).append(label)
    return found


def active_volunteers_by_child(session: Session, child_ids: Iterable[int] | None = None) -> dict:
    """child id -> names of the volunteers in its active pairings."""
    ids = None if child_ids is None else list(child_ids)
    sql = _VOLUNTEERS_SQL.replace("ORDER BY", _id_filter("p.child_id", ids) + " ORDER BY")
    found: dict[int, list[str]] = {}
    for child_id, name in _raw(session, sql):
        found.setdefault(child_id, []).append(name)
    return found


def change_mark(session: Session) -> tuple:
    """A cheap fingerprint of what the list shows: changes to children, pairings or visits."""
    marks = [
        session.execute(
            select(func.count(table.id), func.max(table.updated_at), func.max(table.deleted_at))
        ).one()
        for table in (Child, Pairing, Visit)
    ]
    return tuple(tuple(str(v) for v in m) for m in marks)


def changed_child_ids(session: Session, since: datetime) -> set[int]:
    """Children whose own row, pairings or visits changed after `since`."""
    found: set[int] = set()
    for table, column in ((Child, Child.id), (Pairing, Pairing.child_id), (Visit, Visit.child_id)):
        query = select(column).where(
            (table.updated_at >= since) | (table.deleted_at >= since)  # type: ignore[operator]
        )
        found.update(session.scalars(query))
    return found


def places(session: Session) -> list[tuple[str, str]]:
    """(township, village) of every village, for the place filter."""
    return [(town, village) for _id, town, village in _villages_in_order(session)]


def child_id_for_uid(session: Session, uid: str) -> int | None:
    return session.scalar(select(Child.id).where(Child.uid == uid))


def pairings_of(session: Session, child_uid: str) -> list[tuple]:
    """(volunteer, phone, mode, started, ended, end reason, notes), newest first."""
    query = (
        select(
            Volunteer.name,
            Volunteer.phone,
            Pairing.mode,
            Pairing.started_on,
            Pairing.ended_on,
            Pairing.end_reason,
            Pairing.notes,
        )
        .join(Volunteer, Volunteer.id == Pairing.volunteer_id)
        .join(Child, Child.id == Pairing.child_id)
        .where(Child.uid == child_uid, Pairing.deleted_at.is_(None))
        .order_by(Pairing.started_on.desc(), Pairing.id.desc())
    )
    return [tuple(r) for r in session.execute(query)]


def visits_of(session: Session, child_uid: str) -> list[tuple]:
    """(date, way, visitor, people met, problems, help, follow-up, next visit), newest first."""
    query = (
        select(
            Visit.visited_on,
            Visit.way,
            Visit.visitor_name,
            Visit.people_met,
            Visit.problems,
            Visit.help_given,
            Visit.follow_up,
            Visit.next_visit_on,
        )
        .join(Child, Child.id == Visit.child_id)
        .where(Child.uid == child_uid, Visit.deleted_at.is_(None))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
    )
    return [tuple(r) for r in session.execute(query)]


def assistance_of(session: Session, child_uid: str) -> list[tuple]:
    """(date, project, content, quantity, value in yuan, provider), newest first."""
    query = (
        select(
            Assistance.given_on,
            Assistance.project,
            Assistance.content,
            Assistance.quantity,
            Assistance.value_yuan,
            Assistance.provider,
        )
        .join(Child, Child.id == Assistance.child_id)
        .where(Child.uid == child_uid, Assistance.deleted_at.is_(None))
        .order_by(Assistance.given_on.desc(), Assistance.id.desc())
    )
    return [tuple(r) for r in session.execute(query)]


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


def count_children(session: Session) -> int:
    return session.scalar(select(func.count(Child.id)).where(Child.deleted_at.is_(None))) or 0


# The first page is read before anything else, with plain SQL: building ORM queries would first
# configure every mapper, a visible part of a second on a modest laptop.
_VILLAGES_SQL = """
SELECT v.id, coalesce(t.name, ''), v.name FROM areas v LEFT JOIN areas t ON t.id = v.parent_id
WHERE v.level = 'village' ORDER BY 2, 3
"""
_VILLAGE_CHILDREN_SQL = """
SELECT id, status FROM children WHERE deleted_at IS NULL AND village_id {place} ORDER BY name_pinyin
"""


def first_child_ids(session: Session, limit: int, status: str = "在册") -> list[int]:
    """The first children in register order (township, village, pinyin), for a quick first page.

    Village by village through the village index: ordering all children by place names would
    sort the whole register before the first row could be shown. Status is checked here, not
    in SQL: given a status test, SQLite prefers the status index (95% of rows) to the village's.
    """
    conn = session.connection()
    found: list[int] = []
    places = ["IS NULL"] + [f"= {int(v)}" for v, _t, _n in _villages_in_order(session)]
    for place in places:
        for child_id, child_status in conn.exec_driver_sql(
            _VILLAGE_CHILDREN_SQL.format(place=place)
        ):
            if not status or child_status == status:
                found.append(child_id)
                if len(found) >= limit:
                    return found
    return found


def _villages_in_order(session: Session) -> list[tuple[int, str, str]]:
    return [tuple(r) for r in session.connection().exec_driver_sql(_VILLAGES_SQL)]


def largest_child_id(session: Session) -> int:
    """An instant upper bound of the register's size (the primary key's maximum)."""
    return session.connection().exec_driver_sql("SELECT max(id) FROM children").scalar() or 0
