"""Extra counts for the statistics page: ages by sex, children near an age limit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import Area, Assistance, Child, ChildCategory, Pairing, Visit

IN_REGISTER = (Child.deleted_at.is_(None), Child.status == "在册")


def sex_by_birth_ranges(
    session: Session, ranges: list[tuple[date | None, date | None]], today: date
) -> list[tuple[str, list[int], int]]:
    """(sex, children born in each (after, up to] range, children with no or a future birth
    date) for the register: one scan with filtered counts instead of sorting by birth date."""
    counts = []
    for after, upto in ranges:
        conditions = []
        if after is not None:
            conditions.append(Child.birth_date > after)
        if upto is not None:
            conditions.append(Child.birth_date <= upto)
        counts.append(func.count().filter(*conditions) if conditions else func.count())
    missing = func.count().filter(Child.birth_date.is_(None) | (Child.birth_date > today))
    rows = session.execute(
        select(Child.sex, missing, *counts).where(*IN_REGISTER).group_by(Child.sex)
    )
    return [(sex or "", list(r[2:]), r[1]) for r in rows for sex in [r[0]]]


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


def _paired_flag():
    """1 when the child has an active pairing. A plain IN (subquery) lets SQLite build one
    ephemeral index of paired children, far cheaper than a correlated EXISTS per child."""
    active = select(Pairing.child_id).where(
        Pairing.deleted_at.is_(None), Pairing.ended_on.is_(None)
    )
    return case((Child.id.in_(active), 1), else_=0)


def village_counts(
    session: Session, start: date, end: date, today: date
) -> list[tuple[int | None, dict[str, int]]]:
    """Per village, in one scan of the live children: in register, paired, overdue, due by the
    period's end (in register), joined and left in the period (any status)."""
    registered = Child.status == "在册"
    active = select(Pairing.child_id).where(
        Pairing.deleted_at.is_(None), Pairing.ended_on.is_(None)
    )
    columns = {
        "in_register": func.count().filter(registered),
        "paired": func.count().filter(registered, Child.id.in_(active)),
        "overdue": func.count().filter(registered, Child.next_due_on < today),
        "due_by_end": func.count().filter(registered, Child.next_due_on <= end),
        "joined": func.count().filter(Child.registered_on.between(start, end)),
        "left": func.count().filter(Child.status == "退出", Child.status_date.between(start, end)),
    }
    rows = session.execute(
        select(Child.village_id, *columns.values())
        .where(Child.deleted_at.is_(None))
        .group_by(Child.village_id)
    )
    return [(r[0], dict(zip(columns, r[1:], strict=True))) for r in rows]


def category_counts(session: Session) -> list[tuple[int | None, str, int, int]]:
    """(village id, category, children, of them paired) for the register."""
    paired = _paired_flag()
    rows = session.execute(
        select(ChildCategory.category, Child.village_id, func.count(), func.sum(paired))
        .join(Child, Child.id == ChildCategory.child_id)
        .where(*IN_REGISTER)
        .group_by(Child.village_id, ChildCategory.category)
    )
    return [(v, label, n, int(p or 0)) for label, v, n, p in rows]


def visits_by_village(
    session: Session, start: date, end: date
) -> list[tuple[int | None, int, int]]:
    """(village id, live visits in the period, children in the register visited in it though
    not yet due by its end) per village: the visits the period saw, in one join."""
    not_due = case(
        (
            Child.status.__eq__("在册") & ((Child.next_due_on > end) | Child.next_due_on.is_(None)),
            Child.id,
        ),
        else_=None,
    )
    rows = session.execute(
        select(Child.village_id, func.count(), func.count(not_due.distinct()))
        .select_from(Visit)
        .join(Child, Child.id == Visit.child_id)
        .where(
            Child.deleted_at.is_(None),
            Visit.deleted_at.is_(None),
            Visit.visited_on.between(start, end),
        )
        .group_by(Child.village_id)
    )
    return [(v, n, d) for v, n, d in rows]


def assistance_value(session: Session, start: date, end: date) -> float:
    value = session.scalar(
        select(func.coalesce(func.sum(Assistance.value_yuan), 0)).where(
            Assistance.deleted_at.is_(None), Assistance.given_on.between(start, end)
        )
    )
    return float(value or 0)
