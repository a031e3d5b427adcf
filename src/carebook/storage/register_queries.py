"""The register list's SQL: light rows for every child, a change mark, and a child's file lists."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carebook.storage import register_sql as sql
from carebook.storage.register_sql import ROW_COLUMNS as ROW_COLUMNS
from carebook.storage.register_sql import as_date as as_date
from carebook.storage.tables import (
    Assistance,
    Child,
    Pairing,
    Visit,
    Volunteer,
)


def _driver(session: Session):
    """The session's own DB-API connection (same transaction), for register_sql's plain SQL."""
    return session.connection().connection.dbapi_connection


def register_rows(session: Session, child_ids: Iterable[int] | None = None) -> Iterator[tuple]:
    """Raw rows in ROW_COLUMNS order (dates may come as ISO text from SQLite)."""
    yield from sql.register_rows(_driver(session), child_ids)


def categories_by_child(session: Session, child_ids: Iterable[int] | None = None) -> dict:
    """child id -> category labels in their order."""
    return sql.categories_by_child(_driver(session), child_ids)


def active_volunteers_by_child(session: Session, child_ids: Iterable[int] | None = None) -> dict:
    """child id -> names of the volunteers in its active pairings."""
    return sql.active_volunteers_by_child(_driver(session), child_ids)


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


def live_child_ids(session: Session) -> set[int]:
    """Every child in the register (not deleted): to find ones another computer added."""
    return set(session.scalars(select(Child.id).where(Child.deleted_at.is_(None))))


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
    """(uid, date, way, visitor, people met, problems, help, follow-up, next visit), newest
    first."""
    query = (
        select(
            Visit.uid,
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


def count_children(session: Session) -> int:
    return session.scalar(select(func.count(Child.id)).where(Child.deleted_at.is_(None))) or 0


def first_child_ids(session: Session, limit: int, status: str = "在册") -> list[int]:
    """The first children in register order (township, village, pinyin), for a quick first page."""
    return sql.first_child_ids(_driver(session), limit, status)


def _villages_in_order(session: Session) -> list[tuple[int, str, str]]:
    return sql.villages_in_order(_driver(session))


def largest_child_id(session: Session) -> int:
    """An instant upper bound of the register's size (the primary key's maximum)."""
    return session.connection().exec_driver_sql("SELECT max(id) FROM children").scalar() or 0
