"""Counting queries for the register's statistics; aggregates run in SQL, not in Python."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import Area, Child, ChildCategory, Pairing, Visit, Volunteer

LIVE_CHILD = Child.deleted_at.is_(None)


def children_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Child.status, func.count()).where(LIVE_CHILD).group_by(Child.status)
    )
    return {status: n for status, n in rows}


def children_by_category(session: Session, status: str = "在册") -> dict[str, int]:
    rows = session.execute(
        select(ChildCategory.category, func.count())
        .join(Child, Child.id == ChildCategory.child_id)
        .where(LIVE_CHILD, Child.status == status)
        .group_by(ChildCategory.category)
        .order_by(func.count().desc(), ChildCategory.category)  # ties alike on any database
    )
    return {label: n for label, n in rows}


def children_by_village(session: Session, status: str = "在册") -> dict[tuple[str, str], int]:
    town = aliased(Area)
    rows = session.execute(
        select(town.name, Area.name, func.count(Child.id))
        .select_from(Child)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
        .where(LIVE_CHILD, Child.status == status)
        .group_by(town.name, Area.name)
        # Children with no village first, as SQLite sorts NULL (PostgreSQL puts it last).
        .order_by(town.name.asc().nulls_first(), Area.name.asc().nulls_first())
    )
    return {(t or "", v or "（未填村）"): n for t, v, n in rows}


def active_volunteers(session: Session) -> int:
    query = select(func.count(Volunteer.id)).where(
        Volunteer.deleted_at.is_(None), Volunteer.status == "在岗"
    )
    return session.scalar(query) or 0


def active_pairings(session: Session) -> int:
    query = select(func.count(Pairing.id)).where(
        Pairing.deleted_at.is_(None), Pairing.ended_on.is_(None)
    )
    return session.scalar(query) or 0


def visit_count(session: Session) -> int:
    return session.scalar(select(func.count(Visit.id)).where(Visit.deleted_at.is_(None))) or 0
