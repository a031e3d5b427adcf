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
    if parent_id is None and level == "township":
        # A township's name is one place in a county's database, whether it stands at the top
        # or under the county's own row (the demo county, a county's data): looking at the
        # top only made a second 朝阳镇, and its villages a second time, on every hand entry.
        found = connection.execute(_FIND_TOWNSHIP, values).scalar()
    elif parent_id is None:
        found = connection.execute(_FIND_TOP, values).scalar()
    else:
        found = connection.execute(_FIND_UNDER, {**values, "parent_id": parent_id}).scalar()
    if found is not None:
        return found
    added = connection.execute(_ADD, {**values, "parent_id": parent_id, "code": ""})
    return added.inserted_primary_key[0]


_NAMED = (Area.level == bindparam("level"), Area.name == bindparam("name"))
_FIND_TOP = select(Area.id).where(*_NAMED, Area.parent_id.is_(None)).limit(1)
_FIND_TOWNSHIP = select(Area.id).where(*_NAMED).order_by(Area.id).limit(1)
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
    )
    # In Python, by code point as SQLite sorts: a county server set up in Chinese sorts by
    # its own rules, and the same drop-down would list the villages in another order.
    return sorted(((r[0], r[1] or "", r[2]) for r in rows), key=lambda r: (r[1], r[2], r[0]))


def village_lookup(session: Session) -> dict[int, tuple[str, str]]:
    return {vid: (town, village) for vid, town, village in all_villages(session)}
