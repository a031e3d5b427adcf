"""Queries about assistance records, activities and picking children for them; never committed."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import (
    Activity,
    ActivityChild,
    ActivityVolunteer,
    Area,
    Assistance,
    Child,
    ChildCategory,
    Meta,
    Pairing,
    Volunteer,
)

LIVE_ASSISTANCE = Assistance.deleted_at.is_(None)
PROJECTS_KEY = "assistance_projects"


def assistance_totals(
    session: Session, by: str, start: date | None, end: date | None
) -> list[tuple[str, int, float]]:
    """(key, records, value) grouped by project or provider in the period, largest first."""
    column = {"project": Assistance.project, "provider": Assistance.provider}[by]
    query = (
        select(column, func.count(), func.coalesce(func.sum(Assistance.value_yuan), 0))
        .join(Child, Child.id == Assistance.child_id)
        .where(LIVE_ASSISTANCE, Child.deleted_at.is_(None))
        .group_by(column)
        # A project with no amounts sums to NULL: last, and ties by name, on any database.
        .order_by(func.coalesce(func.sum(Assistance.value_yuan), 0).desc(), column)
    )
    if start is not None:
        query = query.where(Assistance.given_on >= start)
    if end is not None:
        query = query.where(Assistance.given_on <= end)
    return [(k or "", n, float(v)) for k, n, v in session.execute(query)]


def assistance_by_uid(session: Session, uid: str) -> Assistance | None:
    return session.scalars(select(Assistance).where(Assistance.uid == uid, LIVE_ASSISTANCE)).first()


def used_projects(session: Session) -> list[str]:
    query = select(Assistance.project).where(LIVE_ASSISTANCE).distinct()
    return [p for p in session.scalars(query) if p]


def used_providers(session: Session) -> list[str]:
    query = select(Assistance.provider).where(LIVE_ASSISTANCE).group_by(Assistance.provider)
    return [
        p for p in session.scalars(query.order_by(func.count().desc(), Assistance.provider)) if p
    ]


def saved_projects(session: Session) -> list[str]:
    row = session.get(Meta, PROJECTS_KEY)
    if row is None:
        return []
    try:
        value = json.loads(row.value)
    except ValueError:
        return []
    return [str(p) for p in value] if isinstance(value, list) else []


def save_projects(session: Session, projects: list[str]) -> None:
    row = session.get(Meta, PROJECTS_KEY)
    if row is None:
        row = Meta(key=PROJECTS_KEY)
        session.add(row)
    row.value = json.dumps(projects, ensure_ascii=False)


def activity_rows(
    session: Session, start: date | None, end: date | None, *, activity_id: int | None = None
) -> list[tuple]:
    """(uid, held_on, title, organiser, partners, place, goods, children, volunteers, value),
    of one activity only with activity_id (its counts alone are made, not the whole list's)."""
    kids_q = select(ActivityChild.activity_id, func.count().label("n"))
    vols_q = select(ActivityVolunteer.activity_id, func.count().label("n"))
    value_q = select(Assistance.activity_id, func.sum(Assistance.value_yuan).label("v")).where(
        LIVE_ASSISTANCE, Assistance.activity_id.is_not(None)
    )
    if activity_id is not None:
        kids_q = kids_q.where(ActivityChild.activity_id == activity_id)
        vols_q = vols_q.where(ActivityVolunteer.activity_id == activity_id)
        value_q = value_q.where(Assistance.activity_id == activity_id)
    kids = kids_q.group_by(ActivityChild.activity_id).subquery()
    vols = vols_q.group_by(ActivityVolunteer.activity_id).subquery()
    value = value_q.group_by(Assistance.activity_id).subquery()
    query: Select = (
        select(
            Activity.uid,
            Activity.held_on,
            Activity.title,
            Activity.organiser,
            Activity.partners,
            Activity.place,
            Activity.goods,
            func.coalesce(kids.c.n, 0),
            func.coalesce(vols.c.n, 0),
            func.coalesce(value.c.v, 0),
        )
        .join(kids, kids.c.activity_id == Activity.id, isouter=True)
        .join(vols, vols.c.activity_id == Activity.id, isouter=True)
        .join(value, value.c.activity_id == Activity.id, isouter=True)
        .where(Activity.deleted_at.is_(None))
        .order_by(Activity.held_on.desc(), Activity.id.desc())
    )
    if start is not None:
        query = query.where(Activity.held_on >= start)
    if end is not None:
        query = query.where(Activity.held_on <= end)
    if activity_id is not None:
        query = query.where(Activity.id == activity_id)
    return [tuple(r) for r in session.connection().execute(query)]


def activity_by_uid(session: Session, uid: str) -> Activity | None:
    query = select(Activity).where(Activity.uid == uid, Activity.deleted_at.is_(None))
    return session.scalars(query).first()


def activity_people(session: Session, activity_id: int) -> tuple[list[tuple], list[tuple]]:
    """([(child uid, name, village)], [(volunteer uid, name, village)]) of one activity."""
    kids = session.execute(
        select(Child.uid, Child.name, Area.name)
        .join(ActivityChild, ActivityChild.child_id == Child.id)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .where(ActivityChild.activity_id == activity_id)
        .order_by(Area.name, Child.name)
    )
    vols = session.execute(
        select(Volunteer.uid, Volunteer.name, Area.name)
        .join(ActivityVolunteer, ActivityVolunteer.volunteer_id == Volunteer.id)
        .join(Area, Area.id == Volunteer.area_id, isouter=True)
        .where(ActivityVolunteer.activity_id == activity_id)
        .order_by(Volunteer.name)
    )
    return [tuple(r) for r in kids], [tuple(r) for r in vols]


def activities_of(
    session: Session, *, child_id: int | None = None, volunteer_id: int | None = None
) -> list[tuple]:
    """(uid, held_on, title, place) of the activities a child or a volunteer took part in."""
    query = select(Activity.uid, Activity.held_on, Activity.title, Activity.place).where(
        Activity.deleted_at.is_(None)
    )
    if child_id is not None:
        link = select(ActivityChild.activity_id).where(ActivityChild.child_id == child_id)
        query = query.where(Activity.id.in_(link))
    if volunteer_id is not None:
        link = select(ActivityVolunteer.activity_id).where(
            ActivityVolunteer.volunteer_id == volunteer_id
        )
        query = query.where(Activity.id.in_(link))
    return [tuple(r) for r in session.execute(query.order_by(Activity.held_on.desc()))]


def pick_children(
    session: Session,
    *,
    search: str = "",
    village: str = "",
    school: str = "",
    category: str = "",
    unpaired_only: bool = False,
    limit: int = 5000,
) -> list[tuple]:
    """Children in the register to pick for an activity: (uid, name, sex, village, school)."""
    town = aliased(Area)
    query: Select = (
        select(Child.uid, Child.name, Child.sex, Area.name, Child.school)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
        .where(Child.deleted_at.is_(None), Child.status == "在册")
        .order_by(town.name, Area.name, Child.name_pinyin)
        .limit(limit)
    )
    term = search.strip().lower()
    if term:
        query = query.where(Child.search_text.like(f"%{term}%"))
    if village:
        query = query.where(Area.name == village)
    if school:
        query = query.where(Child.school == school)
    if category:
        has = select(ChildCategory.child_id).where(ChildCategory.category == category)
        query = query.where(Child.id.in_(has))
    if unpaired_only:
        paired = select(Pairing.child_id).where(
            Pairing.deleted_at.is_(None), Pairing.ended_on.is_(None)
        )
        query = query.where(Child.id.not_in(paired))
    return [tuple(r) for r in session.connection().execute(query)]


def children_to_pick(session: Session) -> int:
    """How many children are in the register (read from an index alone)."""
    query = select(func.count()).where(Child.deleted_at.is_(None), Child.status == "在册")
    return int(session.scalar(query) or 0)


def schools(session: Session) -> list[str]:
    query = (
        select(Child.school)
        .where(Child.deleted_at.is_(None), Child.status == "在册", Child.school != "")
        .group_by(Child.school)
        .order_by(Child.school)
    )
    return list(session.scalars(query))
