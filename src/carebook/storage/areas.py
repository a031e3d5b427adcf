"""Townships and villages: found by name, created on first use, listed for filters."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import Area


def _find(session: Session, level: str, name: str, parent_id: int | None) -> Area | None:
    query = select(Area).where(Area.level == level, Area.name == name)
    query = query.where(
        Area.parent_id.is_(None) if parent_id is None else Area.parent_id == parent_id
    )
    return session.scalars(query).first()


def ensure_area(session: Session, level: str, name: str, parent_id: int | None) -> Area:
    area = _find(session, level, name, parent_id)
    if area is None:
        area = Area(level=level, name=name, parent_id=parent_id, code="")
        session.add(area)
        session.flush()
    return area


def ensure_village(session: Session, township: str, village: str) -> int | None:
    """The id of the village (creating township and village as needed); None when neither given."""
    township, village = township.strip(), village.strip()
    if not township and not village:
        return None
    town = ensure_area(session, "township", township or "未填乡镇", None)
    if not village:
        village = "（乡镇直属）"
    return ensure_area(session, "village", village, town.id).id


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
