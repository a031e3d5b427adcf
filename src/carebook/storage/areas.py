"""Townships and villages: found by name, created on first use, listed for filters."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import Area


def ensure_village(session: Session, township: str, village: str) -> int | None:
    """The id of the village (creating township and village as needed); None when neither given."""
    township, village = township.strip(), village.strip()
    if not township and not village:
        return None
    town = ensure_area(session, "township", township or "未填乡镇", None)
    return ensure_area(session, "village", village or "（乡镇直属）", town)


def ensure_area(session: Session, level: str, name: str, parent_id: int | None) -> int:
    """The id of the named area under parent_id, created if missing.

    Statements built once, run as Core: a first import creates a county's villages, a hundred
    or more, and building ORM queries and objects took 2 ms each. Areas are only ever added
    here or by bulk inserts, never left pending in a session, so Core sees them all.
    """
    connection = session.connection()
    values = {"level": level, "name": name}
    if parent_id is None:
        # A township is one per name whether it stands alone or under a county area (the demo
        # and a county office keep them under one); looking only at the top level made a second
        # 南燕竹镇 at the first edit there, splitting a village's children and figures in two.
        found = connection.execute(_FIND_TOP, values).scalar()
    else:
        found = connection.execute(_FIND_UNDER, {**values, "parent_id": parent_id}).scalar()
    if found is not None:
        return found
    added = connection.execute(_ADD, {**values, "parent_id": parent_id, "code": ""})
    return added.inserted_primary_key[0]


_NAMED = (Area.level == bindparam("level"), Area.name == bindparam("name"))
_FIND_TOP = (
    select(Area.id)
    .where(*_NAMED, (Area.parent_id.is_(None)) | (Area.level == "township"))
    .order_by(Area.id)
    .limit(1)
)
_FIND_UNDER = select(Area.id).where(*_NAMED, Area.parent_id == bindparam("parent_id")).limit(1)
_ADD = insert(Area)


def village_names(session: Session, village_id: int | None) -> tuple[str, str]:
    """(township, village) of a village id, ("", "") for None."""
    if village_id is None:
        return "", ""
    town = aliased(Area)
    row = session.execute(
        select(town.name, Area.name)
        .join(town, Area.parent_id == town.id, isouter=True)
        .where(Area.id == village_id)
    ).first()
    if row is None:
        return "", ""
    return row[0] or "", row[1]


def all_villages(session: Session) -> list[tuple[int, str, str]]:
    """Every village as (id, township, village), ordered for a drop-down."""
    town = aliased(Area)
    rows = session.execute(
        select(Area.id, town.name, Area.name)
        .join(town, Area.parent_id == town.id, isouter=True)
        .where(Area.level == "village")
        .order_by(town.name, Area.name)
    )
    return [(r[0], r[1] or "", r[2]) for r in rows]


def village_lookup(session: Session) -> dict[int, tuple[str, str]]:
    return {vid: (town, village) for vid, town, village in all_villages(session)}
