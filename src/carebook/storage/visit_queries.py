"""Queries about visits and the maintained schedule columns; never committed here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import Select, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import Area, Child, ChildCategory, Visit, Volunteer

LIVE_VISIT = Visit.deleted_at.is_(None)


def visit_by_uid(session: Session, uid: str) -> Visit | None:
    return session.scalars(select(Visit).where(Visit.uid == uid, LIVE_VISIT)).first()


def visits_of_family(session: Session, family_uid: str) -> list[Visit]:
    if not family_uid:
        return []
    return list(
        session.scalars(select(Visit).where(Visit.family_visit_uid == family_uid, LIVE_VISIT))
    )


def lock_children(session: Session, child_ids: Iterable[int]) -> None:
    """Hold these children's rows until the commit (PostgreSQL; SQLite has one writer anyway).

    Two computers logging visits to one child at once each recomputed its last visit from the
    visits it could see, without the other's: the one committing last left a stale due date.
    Locked first, the second waits, then reads both visits. FOR NO KEY UPDATE: the new visit's
    foreign key already holds a key-share lock on the child, which FOR UPDATE would wait on
    (a deadlock between the two); in id order, families of children cannot deadlock either.
    """
    ids = sorted(set(child_ids))
    if ids and session.connection().dialect.name == "postgresql":
        query = select(Child.id).where(Child.id.in_(ids)).order_by(Child.id)
        session.execute(query.with_for_update(key_share=True))


def latest_visits(
    session: Session, child_ids: Iterable[int]
) -> dict[int, tuple[date, date | None]]:
    """{child id: (latest visit date, the earliest next-visit date asked on that day)}."""
    ids = list(child_ids)
    out: dict[int, tuple[date, date | None]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        latest = (
            select(Visit.child_id, func.max(Visit.visited_on).label("last"))
            .where(LIVE_VISIT, Visit.child_id.in_(chunk))
            .group_by(Visit.child_id)
            .subquery()
        )
        rows = session.execute(
            select(latest.c.child_id, latest.c.last, func.min(Visit.next_visit_on))
            .join(
                Visit,
                and_(Visit.child_id == latest.c.child_id, Visit.visited_on == latest.c.last),
            )
            .where(LIVE_VISIT)
            .group_by(latest.c.child_id, latest.c.last)
        )
        for cid, last, asked in rows:
            out[cid] = (last, asked)
    return out


def schedule_inputs(session: Session, child_ids: Iterable[int] | None = None) -> Iterator[tuple]:
    """(id, registered_on, last_visit_on, care_level, next_due_on, status) of live children."""
    query: Select = select(
        Child.id,
        Child.registered_on,
        Child.last_visit_on,
        Child.care_level,
        Child.next_due_on,
        Child.status,
    ).where(Child.deleted_at.is_(None))
    if child_ids is not None:
        query = query.where(Child.id.in_(list(child_ids)))
    # Core rows through the connection: a third of the ORM's cost per row on 100,000 children.
    yield from session.connection().execute(query.order_by(Child.id))


def all_categories(session: Session) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    rows = session.connection().execute(
        select(ChildCategory.child_id, ChildCategory.category).order_by(
            ChildCategory.child_id, ChildCategory.position
        )
    )
    for cid, label in rows:
        out.setdefault(cid, []).append(label)
    return {k: tuple(v) for k, v in out.items()}


def asked_next_dates(session: Session) -> dict[int, date]:
    """The earliest next-visit date asked on each child's latest visit, where one was asked."""
    rows = session.connection().execute(
        select(Visit.child_id, func.min(Visit.next_visit_on))
        .join(Child, and_(Child.id == Visit.child_id, Child.last_visit_on == Visit.visited_on))
        .where(LIVE_VISIT, Visit.next_visit_on.is_not(None), Child.status == "在册")
        .group_by(Visit.child_id)
    )
    return dict(rows.all())


def last_visit_dates(session: Session) -> dict[int, date]:
    """{child id: date of the latest live visit} over every child, in one grouped scan."""
    rows = session.execute(
        select(Visit.child_id, func.max(Visit.visited_on))
        .where(LIVE_VISIT)
        .group_by(Visit.child_id)
    )
    return dict(rows.all())


def set_last_visits(session: Session, changes: list[tuple[int, date | None]]) -> None:
    stmt = (
        update(Child.__table__)
        .where(Child.__table__.c.id == bindparam("cid"))
        .values(last_visit_on=bindparam("last"))
    )
    for start in range(0, len(changes), 5000):
        session.execute(
            stmt,
            [{"cid": cid, "last": last} for cid, last in changes[start : start + 5000]],
            execution_options={"synchronize_session": False},
        )


def set_due_dates(session: Session, changes: list[tuple[int, date | None]]) -> None:
    """Bulk-write next_due_on: [(child id, date)] as one executemany."""
    if not changes:
        return
    stmt = (
        update(Child.__table__)
        .where(Child.__table__.c.id == bindparam("cid"))
        .values(next_due_on=bindparam("due"))
    )
    for start in range(0, len(changes), 5000):
        session.execute(
            stmt,
            [{"cid": cid, "due": due} for cid, due in changes[start : start + 5000]],
            execution_options={"synchronize_session": False},
        )


def visit_rows(
    session: Session,
    *,
    child_id: int | None = None,
    volunteer_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    village: str | None = None,
    limit: int | None = None,
    township: str | None = None,
    search: str = "",
) -> list[tuple]:
    """(uid, child uid, child name, village, visited_on, way, visitor, volunteer name, people met,
    problems, follow-up, family uid) newest first; village names recur across townships
    (新庄村), so a village is told apart by its township. search: part of what the register's
    search box finds a child by (name, pinyin, ID, phones), or of the visitor's name."""
    query: Select = (
        select(
            Visit.uid,
            Child.uid,
            Child.name,
            Area.name,
            Visit.visited_on,
            Visit.way,
            Visit.visitor_name,
            Volunteer.name,
            Visit.people_met,
            Visit.problems,
            Visit.follow_up,
            Visit.family_visit_uid,
        )
        .join(Child, Child.id == Visit.child_id)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(Volunteer, Volunteer.id == Visit.volunteer_id, isouter=True)
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
    )
    term = search.strip().lower()
    if term or child_id or volunteer_id or village or township:
        query = query.where(LIVE_VISIT, Child.deleted_at.is_(None))
    else:
        # The newest visits of all: read down the date index and stop at the limit. Left
        # indexable, "live child" made SQLite start from every child and sort a county's year
        # of visits (0.9 s at 1 million; 0.04 s this way).
        # The wrapped test is SQLite's hint only: PostgreSQL read it as matching one child in
        # 200 and started from every child too (0.33 s at 20,000 children; 0.01 s plain).
        live_child = (
            func.coalesce(Child.deleted_at, Child.deleted_at).is_(None)
            if session.connection().dialect.name == "sqlite"
            else Child.deleted_at.is_(None)
        )
        query = query.where(LIVE_VISIT, live_child)
    if child_id is not None:
        query = query.where(Visit.child_id == child_id)
    if volunteer_id is not None:
        query = query.where(Visit.volunteer_id == volunteer_id)
    if start is not None:
        query = query.where(Visit.visited_on >= start)
    if end is not None:
        query = query.where(Visit.visited_on <= end)
    if village:
        query = query.where(Area.name == village)
    if township:
        town = aliased(Area)
        query = query.where(Area.parent_id.in_(select(town.id).where(town.name == township)))
    if term:
        query = query.where(
            or_(
                Child.search_text.contains(term, autoescape=True),
                func.lower(Visit.visitor_name).contains(term, autoescape=True),
                Volunteer.name.contains(term, autoescape=True),
            )
        )
    if limit:
        query = query.limit(limit)
    return [tuple(r) for r in session.connection().execute(query)]


def visits_by_day(session: Session, start: date, end: date) -> dict[date, int]:
    """Live visits per day in the period, counted from ix_visits_day_live alone.

    Grouped by date (portable, a few hundred rows). Visits of a child removed from the database
    are subtracted apart, as they are few and joining 1M visits to children is slow.
    """
    rows = session.execute(
        select(Visit.visited_on, func.count())
        .where(LIVE_VISIT, Visit.visited_on.between(start, end))
        .group_by(Visit.visited_on)
    )
    days = dict(rows.all())
    # IN (subquery) makes SQLite walk the few removed children through ix_visits_child_visited.
    gone = select(Child.id).where(Child.deleted_at.is_not(None))
    removed = session.execute(
        select(Visit.visited_on, func.count())
        .where(LIVE_VISIT, Visit.child_id.in_(gone), Visit.visited_on.between(start, end))
        .group_by(Visit.visited_on)
    )
    for day, n in removed:
        days[day] = days.get(day, 0) - n
    return days
