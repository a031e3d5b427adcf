"""Extra counts for the statistics page: ages by sex, children near an age limit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import Area, Assistance, Child, ChildCategory, Pairing, Visit

IN_REGISTER = (Child.deleted_at.is_(None), Child.status == "在册")


def births_by_sex(session: Session) -> list[tuple[date | None, str, int]]:
    """(birth date, sex, children) in the register; grouped by date so Python bands a few
    thousand rows, not 100,000."""
    rows = session.execute(
        select(Child.birth_date, Child.sex, func.count())
        .where(*IN_REGISTER)
        .group_by(Child.birth_date, Child.sex)
    )
    return [(b, s or "", n) for b, s, n in rows]


def born_on_or_before(session: Session, latest_birth: date) -> list[tuple]:
    """Children in the register born on or before a date, as (id, uid, name, sex, birth,
    township, village, school, guardian)."""
    town = aliased(Area)
    rows = session.execute(
        select(
            Child.id,
            Child.uid,
            Child.name,
            Child.sex,
            Child.birth_date,
            town.name,
            Area.name,
            Child.school,
            Child.guardian_name,
        )
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
        .where(*IN_REGISTER, Child.birth_date.is_not(None), Child.birth_date <= latest_birth)
    )
    return [tuple(r) for r in rows]


def categories_for(session: Session, child_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for start in range(0, len(child_ids), 900):
        rows = session.execute(
            select(ChildCategory.child_id, ChildCategory.category)
            .where(ChildCategory.child_id.in_(child_ids[start : start + 900]))
            .order_by(ChildCategory.child_id, ChildCategory.position)
        )
        for cid, label in rows:
            out.setdefault(cid, []).append(label)
    return out


def register_rows(session: Session) -> list[tuple]:
    """(id, village id, status, sex, birth, registered_on, status_date, next_due_on) of every
    live child: one read that the statistics page counts in a single pass."""
    # Through the connection, not the ORM session: plain Core rows cost a third as much.
    rows = session.connection().execute(
        select(
            Child.id,
            Child.village_id,
            Child.status,
            Child.sex,
            Child.birth_date,
            Child.registered_on,
            Child.status_date,
            Child.next_due_on,
        ).where(Child.deleted_at.is_(None))
    )
    return [tuple(r) for r in rows]


def paired_child_ids(session: Session) -> set[int]:
    query = select(Pairing.child_id).where(Pairing.deleted_at.is_(None), Pairing.ended_on.is_(None))
    return set(session.connection().scalars(query.distinct()))


def visits_per_child(session: Session, start: date, end: date) -> dict[int, int]:
    """Live visits per child in the period, counted from ix_visits_day_live alone."""
    rows = session.connection().execute(
        select(Visit.child_id, func.count())
        .where(Visit.deleted_at.is_(None), Visit.visited_on.between(start, end))
        .group_by(Visit.child_id)
    )
    return dict(rows.all())


def assistance_value(session: Session, start: date, end: date) -> float:
    value = session.scalar(
        select(func.coalesce(func.sum(Assistance.value_yuan), 0)).where(
            Assistance.deleted_at.is_(None), Assistance.given_on.between(start, end)
        )
    )
    return float(value or 0)
