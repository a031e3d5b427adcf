"""Queries about 爱心妈妈 and their pairings; rows are read and flushed here, never committed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Select, case, distinct, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from carebook.storage import volunteer_lookup
from carebook.storage.schedule_queries import sorted_as_sqlite
from carebook.storage.tables import Area, Child, Pairing, Volunteer

LIVE_VOLUNTEER = Volunteer.deleted_at.is_(None)
ACTIVE_PAIRING = (Pairing.deleted_at.is_(None), Pairing.ended_on.is_(None))


def volunteer_by_uid(session: Session, uid: str) -> Volunteer | None:
    return session.scalars(select(Volunteer).where(Volunteer.uid == uid, LIVE_VOLUNTEER)).first()


def volunteers_by_uid(session: Session, uids: Iterable[str]) -> list[Volunteer]:
    wanted = list(dict.fromkeys(uids))
    found = {
        v.uid: v
        for v in session.scalars(select(Volunteer).where(Volunteer.uid.in_(wanted), LIVE_VOLUNTEER))
    }
    return [found[u] for u in wanted if u in found]


def children_by_uid(session: Session, uids: Iterable[str]) -> list[Child]:
    wanted = list(dict.fromkeys(uids))
    found: dict[str, Child] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        for c in session.scalars(
            select(Child).where(Child.uid.in_(chunk), Child.deleted_at.is_(None))
        ):
            found[c.uid] = c
    return [found[u] for u in wanted if u in found]


def _active_load():
    return (
        select(Pairing.volunteer_id, func.count(Pairing.id).label("load"))
        .where(*ACTIVE_PAIRING)
        .group_by(Pairing.volunteer_id)
        .subquery()
    )


def volunteer_rows(
    session: Session,
    *,
    search: str = "",
    village_id: int | None = None,
    township: str = "",
    include_inactive: bool = False,
    volunteer_id: int | None = None,
) -> list[tuple]:
    """(id, uid, name, sex, phone, identities, work_unit, township, village, skills, team, status,
    notes, active pairings) ordered by name; volunteer_id: that one volunteer's row only."""
    town = aliased(Area)
    load = _active_load()
    query: Select = (
        select(
            Volunteer.id,
            Volunteer.uid,
            Volunteer.name,
            Volunteer.sex,
            Volunteer.phone,
            Volunteer.identities,
            Volunteer.work_unit,
            town.name,
            Area.name,
            Volunteer.skills,
            Volunteer.team_name,
            Volunteer.status,
            Volunteer.notes,
            func.coalesce(load.c.load, 0),
        )
        .join(Area, Area.id == Volunteer.area_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
        .join(load, load.c.volunteer_id == Volunteer.id, isouter=True)
        .where(LIVE_VOLUNTEER)
        .order_by(Volunteer.status, Volunteer.name_pinyin, Volunteer.name)
    )
    if not include_inactive:
        query = query.where(Volunteer.status == "在岗")
    if village_id is not None:
        query = query.where(Volunteer.area_id == village_id)
    if volunteer_id is not None:
        query = query.where(Volunteer.id == volunteer_id)
    if township:
        query = query.where(town.name == township)
    term = search.strip().lower()
    if term:
        like = f"%{term}%"
        conditions = [
            Volunteer.name.like(like),
            Volunteer.name_pinyin.like(like),
            Volunteer.name_initials.like(like),
            # Free text may hold Latin letters; the term is lower-cased, and PostgreSQL's
            # LIKE (unlike SQLite's) tells case apart.
            func.lower(Volunteer.work_unit).like(like),
            func.lower(Volunteer.team_name).like(like),
        ]
        digits = "".join(ch for ch in term if ch.isdigit())
        if digits and len(digits) >= 3:
            conditions.append(Volunteer.phone.like(f"%{digits}%"))
        query = query.where(or_(*conditions))
    return [tuple(r) for r in session.connection().execute(query)]


def _pairing_filters(
    query: Select,
    *,
    child_id: int | None,
    volunteer_id: int | None,
    active_only: bool,
    village_id: int | None,
    search: str,
) -> Select:
    """The pairing lists' conditions on a query joining Pairing to Child and Volunteer."""
    query = query.where(Pairing.deleted_at.is_(None), Child.deleted_at.is_(None))
    if child_id is not None:
        query = query.where(Pairing.child_id == child_id)
    if volunteer_id is not None:
        query = query.where(Pairing.volunteer_id == volunteer_id)
    if active_only:
        query = query.where(Pairing.ended_on.is_(None))
    if village_id is not None:
        query = query.where(Child.village_id == village_id)
    term = search.strip().lower()
    if term:
        query = query.where(
            or_(
                Child.search_text.contains(term, autoescape=True),
                Volunteer.name.contains(term, autoescape=True),
                Volunteer.name_pinyin.contains(term, autoescape=True),
            )
        )
    return query


def pairing_rows(
    session: Session,
    *,
    child_id: int | None = None,
    volunteer_id: int | None = None,
    active_only: bool = False,
    village_id: int | None = None,
    search: str = "",
    offset: int = 0,
    limit: int | None = None,
    sort: tuple[int, bool] | None = None,
) -> list[tuple]:
    """(uid, child uid, child name, village, volunteer uid, volunteer name, mode, started, ended,
    end reason, renewed-from uid, renewed-from start) active first, newest first, or by
    sort = (column of that row, descending); offset/limit give one page of the list."""
    previous = aliased(Pairing)
    query: Select = (
        select(
            Pairing.uid,
            Child.uid,
            Child.name,
            Area.name,
            Volunteer.uid,
            Volunteer.name,
            Pairing.mode,
            Pairing.started_on,
            Pairing.ended_on,
            Pairing.end_reason,
            previous.uid,
            previous.started_on,
        )
        .join(Child, Child.id == Pairing.child_id)
        .join(Volunteer, Volunteer.id == Pairing.volunteer_id)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(previous, previous.id == Pairing.renewed_from_id, isouter=True)
    )
    usual = (Pairing.ended_on.is_not(None), Pairing.started_on.desc(), Child.name, Pairing.id)
    if sort is None:
        query = query.order_by(*usual)
    else:
        column, descending = sort
        key = query.selected_columns[column]
        dialect = session.connection().dialect.name
        query = query.order_by(sorted_as_sqlite(key, descending, dialect), *usual)
    query = _pairing_filters(
        query,
        child_id=child_id,
        volunteer_id=volunteer_id,
        active_only=active_only,
        village_id=village_id,
        search=search,
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [tuple(r) for r in session.connection().execute(query)]


def pairing_counts(session: Session, *, active_only: bool = False, search: str = "") -> tuple:
    """(pairings listed, of them active, children and volunteers in the active ones)."""
    active = Pairing.ended_on.is_(None)
    query = (
        select(
            func.count(),
            func.count().filter(active),
            func.count(distinct(case((active, Pairing.child_id)))),
            func.count(distinct(case((active, Pairing.volunteer_id)))),
        )
        .select_from(Pairing)
        .join(Child, Child.id == Pairing.child_id)
        .join(Volunteer, Volunteer.id == Pairing.volunteer_id)
    )
    query = _pairing_filters(
        query,
        child_id=None,
        volunteer_id=None,
        active_only=active_only,
        village_id=None,
        search=search,
    )
    return tuple(int(n or 0) for n in session.execute(query).one())


def pairing_by_uid(session: Session, uid: str) -> Pairing | None:
    return session.scalars(
        select(Pairing).where(Pairing.uid == uid, Pairing.deleted_at.is_(None))
    ).first()


def active_pairings_of_child(session: Session, child_id: int) -> list[Pairing]:
    return list(
        session.scalars(select(Pairing).where(Pairing.child_id == child_id, *ACTIVE_PAIRING))
    )


def active_pair_exists(session: Session, child_id: int, volunteer_id: int) -> bool:
    query = select(Pairing.id).where(
        Pairing.child_id == child_id, Pairing.volunteer_id == volunteer_id, *ACTIVE_PAIRING
    )
    return session.scalar(query) is not None


def end_pairing_rows(
    session: Session, pairings: Iterable[Pairing], on: date, reason: str, now: datetime
) -> None:
    for pairing in pairings:
        pairing.ended_on, pairing.end_reason, pairing.updated_at = on, reason, now


def volunteer_choices(
    session: Session, child: Child, search: str = "", limit: int | None = None
) -> list[tuple]:
    """Active volunteers as (uid, name, township, village, load, nearness 0/1/2, team, phone),
    nearest and least loaded first; nearness 0 = same village, 1 = same township. Ordered and
    cut in SQL, and narrowed by a typed name, phone digits or place: a county has tens of
    thousands."""
    town = aliased(Area)
    loads = _active_load()
    load = func.coalesce(loads.c.load, 0)
    child_town = session.scalar(select(Area.parent_id).where(Area.id == child.village_id))
    whens = []
    if child.village_id is not None:
        whens.append((Volunteer.area_id == child.village_id, 0))
    if child_town is not None:
        whens.append((Area.parent_id == child_town, 1))
    nearness = case(*whens, else_=2) if whens else literal(2)
    where, _rank = volunteer_lookup.match_conditions(session, search)
    query = (
        select(
            Volunteer.uid,
            Volunteer.name,
            func.coalesce(town.name, ""),
            func.coalesce(Area.name, ""),
            load,
            nearness,
            Volunteer.team_name,
            func.coalesce(Volunteer.phone, ""),
        )
        .join(Area, Area.id == Volunteer.area_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
        .join(loads, loads.c.volunteer_id == Volunteer.id, isouter=True)
        .where(*where, Volunteer.status == "在岗")
        .order_by(nearness, load, Volunteer.name_pinyin, Volunteer.name, Volunteer.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [tuple(r) for r in session.connection().execute(query)]


def child_choices(
    session: Session, volunteer: Volunteer, search: str = "", limit: int | None = None
) -> list[tuple]:
    """Children in the register as (uid, name, township, village, school, active pairings,
    nearness), unpaired first, then nearest to the volunteer, then by village and name.

    Ordered and cut in SQL: a county holds 100,000 children and the form shows the first
    few thousand (fetching them all to sort in Python took 3 s).
    """
    town = aliased(Area)
    counts = (
        select(Pairing.child_id, func.count(Pairing.id).label("n"))
        .where(*ACTIVE_PAIRING)
        .group_by(Pairing.child_id)
        .subquery()
    )
    vol_town = session.scalar(select(Area.parent_id).where(Area.id == volunteer.area_id))
    # 0 her own village, 1 her township, 2 further away.
    whens = []
    if volunteer.area_id is not None:
        whens.append((Child.village_id == volunteer.area_id, 0))
    if vol_town is not None:
        whens.append((Area.parent_id == vol_town, 1))
    nearness = case(*whens, else_=2) if whens else literal(2)
    paired = func.coalesce(counts.c.n, 0)
    query = (
        select(
            Child.uid,
            Child.name,
            func.coalesce(town.name, ""),
            func.coalesce(Area.name, ""),
            Child.school,
            paired,
            nearness,
        )
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
        .join(counts, counts.c.child_id == Child.id, isouter=True)
        .where(Child.deleted_at.is_(None), Child.status == "在册")
        .order_by(paired > 0, nearness, func.coalesce(Area.name, ""), Child.name, Child.id)
    )
    term = search.strip().lower()
    if term:
        query = query.where(Child.search_text.contains(term, autoescape=True))
    if limit is not None:
        query = query.limit(limit)
    return [tuple(r) for r in session.execute(query)]


def village_name(session: Session, village_id: int | None) -> str:
    if village_id is None:
        return ""
    return session.scalar(select(Area.name).where(Area.id == village_id)) or ""
