"""Queries for correcting or deleting a saved activity: its people, its goods; never committed."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import (
    ActivityChild,
    ActivityVolunteer,
    Area,
    Assistance,
    Child,
    Volunteer,
)
from carebook.storage.volunteer_lookup import pick_rows_query

LIVE_GOODS = Assistance.deleted_at.is_(None)


def child_picks(session: Session, activity_id: int) -> list[tuple]:
    """(uid, name, sex, village, school) of the activity's children still in the book (in the
    register or not), by township, village and name."""
    town = aliased(Area)
    query = (
        select(Child.uid, Child.name, Child.sex, Area.name, Child.school)
        .join(ActivityChild, ActivityChild.child_id == Child.id)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
        .where(ActivityChild.activity_id == activity_id, Child.deleted_at.is_(None))
        .order_by(town.name, Area.name, Child.name_pinyin, Child.id)
    )
    return [tuple(r) for r in session.execute(query)]


def volunteer_rows(session: Session, activity_id: int) -> list[tuple]:
    """(id, uid, name, township, village, phone, status) of the activity's live volunteers."""
    query = (
        pick_rows_query()
        .join(ActivityVolunteer, ActivityVolunteer.volunteer_id == Volunteer.id)
        .where(ActivityVolunteer.activity_id == activity_id, Volunteer.deleted_at.is_(None))
        .order_by(Volunteer.name_pinyin, Volunteer.id)
    )
    return [tuple(r) for r in session.execute(query)]


def linked_children(session: Session, activity_id: int) -> dict[str, Child]:
    """The live children linked to the activity, by uid (deleted ones stay linked, untouched)."""
    query = (
        select(Child)
        .join(ActivityChild, ActivityChild.child_id == Child.id)
        .where(ActivityChild.activity_id == activity_id, Child.deleted_at.is_(None))
    )
    return {c.uid: c for c in session.scalars(query)}


def linked_volunteers(session: Session, activity_id: int) -> dict[str, Volunteer]:
    query = (
        select(Volunteer)
        .join(ActivityVolunteer, ActivityVolunteer.volunteer_id == Volunteer.id)
        .where(ActivityVolunteer.activity_id == activity_id, Volunteer.deleted_at.is_(None))
    )
    return {v.uid: v for v in session.scalars(query)}


def unlink_children(session: Session, activity_id: int, child_ids: Iterable[int]) -> None:
    ids = list(child_ids)
    for start in range(0, len(ids), 900):
        session.execute(
            delete(ActivityChild).where(
                ActivityChild.activity_id == activity_id,
                ActivityChild.child_id.in_(ids[start : start + 900]),
            )
        )


def unlink_volunteers(session: Session, activity_id: int, volunteer_ids: Iterable[int]) -> None:
    ids = list(volunteer_ids)
    if ids:
        session.execute(
            delete(ActivityVolunteer).where(
                ActivityVolunteer.activity_id == activity_id,
                ActivityVolunteer.volunteer_id.in_(ids),
            )
        )


def goods_records(
    session: Session, activity_id: int, child_ids: Iterable[int] | None = None
) -> list[Assistance]:
    """The live assistance records handed out with the activity (to these children only)."""
    query = select(Assistance).where(Assistance.activity_id == activity_id, LIVE_GOODS)
    if child_ids is None:
        return list(session.scalars(query.order_by(Assistance.id)))
    ids = list(child_ids)
    found: list[Assistance] = []
    for start in range(0, len(ids), 900):
        chunk = query.where(Assistance.child_id.in_(ids[start : start + 900]))
        found += session.scalars(chunk.order_by(Assistance.id))
    return found


def goods_count(session: Session, activity_id: int) -> int:
    query = select(func.count(Assistance.id)).where(
        Assistance.activity_id == activity_id, LIVE_GOODS
    )
    return int(session.scalar(query) or 0)


def child_names(session: Session, child_ids: Iterable[int]) -> dict[int, str]:
    ids = list(child_ids)
    names: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        query = select(Child.id, Child.name).where(Child.id.in_(ids[start : start + 900]))
        names.update({i: n for i, n in session.execute(query)})
    return names
