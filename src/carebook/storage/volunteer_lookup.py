"""Finding 爱心妈妈 by a few typed characters: a short list, best matches first, cut in SQL."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import Area, Pairing, Volunteer

MIN_PHONE_DIGITS = 3  # "1" or "13" is in nearly every number


def match_conditions(session: Session, term: str) -> tuple[list, object]:
    """Conditions for the volunteers the term finds (name, pinyin, initials, team, phone digits,
    village or township), and a rank: the name itself, then names starting with it, then the
    rest. Places are looked up first: a few hundred rows, not a join per volunteer."""
    live = [Volunteer.deleted_at.is_(None)]
    term = term.strip().lower()
    if not term:
        return live, None
    like = f"%{term}%"
    squeezed = f"%{term.replace(' ', '')}%"  # "wang xiu" finds wangxiuying
    town = aliased(Area)
    places = list(
        session.scalars(
            select(Area.id)
            .join(town, town.id == Area.parent_id, isouter=True)
            .where(or_(Area.name.like(like), town.name.like(like)))
        )
    )
    conditions = [
        Volunteer.name.like(like),
        Volunteer.name_pinyin.like(squeezed),
        Volunteer.name_initials.like(squeezed),
        func.lower(Volunteer.team_name).like(like),  # PostgreSQL's LIKE tells case apart
    ]
    if places:
        conditions.append(Volunteer.area_id.in_(places))
    digits = "".join(ch for ch in term if ch.isdigit())
    if len(digits) >= MIN_PHONE_DIGITS:
        conditions.append(Volunteer.phone.like(f"%{digits}%"))
    rank = case(
        (Volunteer.name == term, 0),
        (Volunteer.name.like(f"{term}%"), 1),
        (Volunteer.name.like(like), 2),
        (Volunteer.name_pinyin.like(f"{term}%"), 3),
        (Volunteer.name_initials.like(f"{term}%"), 3),
        else_=4,
    )
    return [*live, or_(*conditions)], rank


def pick_rows_query() -> Select:
    """(id, uid, name, township, village, phone, status) of volunteers, their places joined."""
    town = aliased(Area)
    return (
        select(
            Volunteer.id,
            Volunteer.uid,
            Volunteer.name,
            func.coalesce(town.name, ""),
            func.coalesce(Area.name, ""),
            func.coalesce(Volunteer.phone, ""),
            Volunteer.status,
        )
        .join(Area, Area.id == Volunteer.area_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
    )


def find_volunteers(
    session: Session, term: str, *, limit: int, include_inactive: bool = False
) -> tuple[list[tuple], int]:
    """The first `limit` volunteers the term finds, as (id, uid, name, township, village, phone,
    status), best first then by pinyin; and how many it finds in all."""
    where, rank = match_conditions(session, term)
    if not include_inactive:
        where.append(Volunteer.status == "在岗")
    order = [Volunteer.name_pinyin, Volunteer.name, Volunteer.id]
    if rank is not None:
        order.insert(0, rank)
    # Chosen and cut first, places joined to the few kept only.
    first = select(Volunteer.id).where(*where).order_by(*order).limit(limit)
    ids = list(session.connection().execute(first).scalars())
    if not ids:
        return [], 0
    details = pick_rows_query().where(Volunteer.id.in_(ids))
    by_id = {r[0]: tuple(r) for r in session.connection().execute(details)}
    rows = [by_id[i] for i in ids]
    if len(rows) < limit:
        return rows, len(rows)
    total = session.scalar(select(func.count(Volunteer.id)).where(*where))
    return rows, int(total or 0)


def active_loads(session: Session, volunteer_ids: Iterable[int]) -> dict[int, int]:
    """How many children each of these volunteers is actively paired with (0 left out)."""
    wanted = list(volunteer_ids)
    if not wanted:
        return {}
    query = (
        select(Pairing.volunteer_id, func.count(Pairing.id))
        .where(
            Pairing.volunteer_id.in_(wanted),
            Pairing.deleted_at.is_(None),
            Pairing.ended_on.is_(None),
        )
        .group_by(Pairing.volunteer_id)
    )
    return {vid: int(n) for vid, n in session.execute(query)}
