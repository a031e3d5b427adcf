"""Queries behind the due lists and the period figures; they read the maintained next_due_on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Select, String, distinct, func, select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import (
    Area,
    Assistance,
    Child,
    ChildCategory,
    Pairing,
    Visit,
    Volunteer,
)

IN_REGISTER = (Child.deleted_at.is_(None), Child.status == "在册")
ACTIVE_PAIRING = (Pairing.deleted_at.is_(None), Pairing.ended_on.is_(None))


def sorted_as_sqlite(column, descending: bool, dialect: str = ""):
    """A sort key that orders as SQLite does on PostgreSQL too.

    Empty values go first going up and last going down (PostgreSQL does the opposite: a list
    sorted by 上次走访 started with the never-visited children on one, ended with them on the
    other); text goes by code point (see text_order).
    """
    column = text_order(column, dialect)
    return column.desc().nulls_last() if descending else column.asc().nulls_first()


def text_order(column, dialect: str):
    """Text compared by code point, as SQLite compares it, on PostgreSQL too: a county server
    set up in Chinese sorts by its own rules (zh: by pinyin, spaces ignored), and a list would
    come out in another order than on a laptop. Names sort by their pinyin column instead."""
    if dialect == "postgresql" and isinstance(column.type, String):
        return column.collate("C")
    return column


def _due_filters(
    query: Select,
    *,
    due_by: date | None,
    due_before: date | None,
    never_visited: bool,
    village: str | None,
    volunteer: str | None,
    township: str | None = None,
    volunteer_uid: str | None = None,
) -> Select:
    """The due lists' conditions on a query over Child (joined to its village as Area).
    volunteer is a name as typed (the CLI); volunteer_uid one volunteer, namesakes apart."""
    query = query.where(*IN_REGISTER, Child.next_due_on.is_not(None))
    if due_by is not None:
        query = query.where(Child.next_due_on <= due_by)
    if due_before is not None:
        query = query.where(Child.next_due_on < due_before)
    if never_visited:
        query = query.where(Child.last_visit_on.is_(None))
    if village:
        query = query.where(Area.name == village)
    if township:
        # Village names recur across townships (新庄村): the township tells them apart.
        town = aliased(Area)
        query = query.where(Area.parent_id.in_(select(town.id).where(town.name == township)))
    if volunteer or volunteer_uid:
        who = Volunteer.uid == volunteer_uid if volunteer_uid else Volunteer.name == volunteer
        paired = (
            select(Pairing.child_id)
            .join(Volunteer, Volunteer.id == Pairing.volunteer_id)
            .where(*ACTIVE_PAIRING, who)
        )
        query = query.where(Child.id.in_(paired))
    return query


def due_rows(
    session: Session,
    *,
    due_by: date | None,
    due_before: date | None = None,
    never_visited: bool = False,
    village: str | None = None,
    volunteer: str | None = None,
    township: str | None = None,
    volunteer_uid: str | None = None,
    offset: int = 0,
    limit: int | None = None,
    sort: tuple[int, bool] | None = None,
) -> list[tuple]:
    """Rows of (id, uid, name, township, village, due, last visit, care level, guardian, phone,
    categories joined by 、, active volunteers joined by 、), by due date then name, or by
    sort = (column of that row, descending); offset/limit give one page of the list."""
    town = aliased(Area)
    # Correlated subqueries walk the child's own index entries: for a list of 50,000 children
    # this is several times faster than fetching categories and volunteers in chunks after;
    # for a page they run only for the page's rows.
    categories = (
        select(func.aggregate_strings(ChildCategory.category, "、"))
        .where(ChildCategory.child_id == Child.id)
        .scalar_subquery()
    )
    paired = (
        select(func.aggregate_strings(Volunteer.name, "、"))
        .select_from(Pairing)
        .join(Volunteer, Volunteer.id == Pairing.volunteer_id)
        .where(Pairing.child_id == Child.id, *ACTIVE_PAIRING)
        .scalar_subquery()
    )
    columns = [
        Child.id,
        Child.uid,
        Child.name,
        town.name,
        Area.name,
        Child.next_due_on,
        Child.last_visit_on,
        Child.care_level,
        Child.guardian_name,
        Child.guardian_phone,
        categories,
        paired,
    ]
    query: Select = (
        select(*columns)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
    )
    query = _due_filters(
        query,
        due_by=due_by,
        due_before=due_before,
        never_visited=never_visited,
        village=village,
        volunteer=volunteer,
        township=township,
        volunteer_uid=volunteer_uid,
    )
    # Child.id last: a total order. Pages are read by LIMIT/OFFSET, and PostgreSQL orders ties
    # (namesakes due the same day) differently from one page's query to the next.
    dialect = session.connection().dialect.name
    # Names by pinyin, as the register lists them (code points put 丁 before 白).
    by_name = (text_order(Child.name_pinyin, dialect), text_order(Child.name, dialect), Child.id)
    if sort is None:
        query = query.order_by(Child.next_due_on, *by_name)
    else:
        column, descending = sort
        key = columns[column]
        keys = [Child.name_pinyin, Child.name] if key is Child.name else [key]
        query = query.order_by(
            *(sorted_as_sqlite(k, descending, dialect) for k in keys),
            Child.next_due_on,
            *by_name,
        )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    # Core rows through the connection: the ORM's per-row cost doubles a 50,000-row list.
    return [tuple(r) for r in session.connection().execute(query)]


def due_counts(
    session: Session,
    *,
    today: date,
    due_by: date | None,
    due_before: date | None = None,
    never_visited: bool = False,
    village: str | None = None,
    volunteer: str | None = None,
    township: str | None = None,
    volunteer_uid: str | None = None,
) -> tuple[int, int]:
    """(children on the list, of them overdue on today): answered from ix_children_figures
    without reading a child's row unless the list is narrowed by village or visits."""
    query = select(func.count(), func.count().filter(Child.next_due_on < today)).select_from(Child)
    if village or township:
        query = query.join(Area, Area.id == Child.village_id)
    query = _due_filters(
        query,
        due_by=due_by,
        due_before=due_before,
        never_visited=never_visited,
        village=village,
        volunteer=volunteer,
        township=township,
        volunteer_uid=volunteer_uid,
    )
    total, overdue = session.execute(query).one()
    return int(total or 0), int(overdue or 0)


def paired_volunteers(
    session: Session, *, township: str | None, village: str | None, limit: int
) -> list[tuple]:
    """(uid, name, phone) of the volunteers actively paired with a child in the register of
    the place (everywhere when both are None), by name; at most limit + 1 rows, so a caller
    can tell a list too long to offer."""
    children = select(Child.id).where(*IN_REGISTER)
    if village or township:
        town = aliased(Area)
        children = children.join(Area, Area.id == Child.village_id)
        if village:
            children = children.where(Area.name == village)
        if township:
            children = children.where(
                Area.parent_id.in_(select(town.id).where(town.name == township))
            )
    query = (
        select(Volunteer.uid, Volunteer.name, Volunteer.phone)
        .where(
            Volunteer.deleted_at.is_(None),
            Volunteer.id.in_(
                select(Pairing.volunteer_id).where(*ACTIVE_PAIRING, Pairing.child_id.in_(children))
            ),
        )
        .order_by(Volunteer.name_pinyin, Volunteer.name, Volunteer.id)
        .limit(limit + 1)
    )
    return [tuple(r) for r in session.execute(query)]


def categories_of(session: Session, child_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(child_ids)
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), 900):
        rows = session.execute(
            select(ChildCategory.child_id, ChildCategory.category)
            .where(ChildCategory.child_id.in_(ids[start : start + 900]))
            .order_by(ChildCategory.child_id, ChildCategory.position)
        )
        for child_id, label in rows:
            out.setdefault(child_id, []).append(label)
    return out


def per_village_counts(session: Session, query_for: str, start: date, end: date, today: date):
    """{village_id: count} for one of the figures the county reports per village."""
    if query_for == "in_register":
        q = select(Child.village_id, func.count()).where(*IN_REGISTER)
    elif query_for == "paired":
        q = (
            select(Child.village_id, func.count(distinct(Child.id)))
            .join(Pairing, Pairing.child_id == Child.id)
            .where(*IN_REGISTER, *ACTIVE_PAIRING)
        )
    elif query_for == "visits":
        q = (
            select(Child.village_id, func.count(Visit.id))
            .join(Visit, Visit.child_id == Child.id)
            .where(
                Child.deleted_at.is_(None),
                Visit.deleted_at.is_(None),
                Visit.visited_on >= start,
                Visit.visited_on <= end,
            )
        )
    elif query_for == "overdue":
        q = select(Child.village_id, func.count()).where(*IN_REGISTER, Child.next_due_on < today)
    elif query_for == "never_visited":  # as the 从未走访 due list counts them
        q = select(Child.village_id, func.count()).where(
            *IN_REGISTER, Child.next_due_on.is_not(None), Child.last_visit_on.is_(None)
        )
    else:
        raise ValueError(query_for)
    return dict(session.execute(q.group_by(Child.village_id)).all())


def per_village_categories(session: Session) -> dict[tuple[int | None, str], int]:
    rows = session.execute(
        select(Child.village_id, ChildCategory.category, func.count())
        .join(ChildCategory, ChildCategory.child_id == Child.id)
        .where(*IN_REGISTER)
        .group_by(Child.village_id, ChildCategory.category)
    )
    return {(vid, label): n for vid, label, n in rows}


def coverage_by_category(session: Session) -> dict[str, tuple[int, int]]:
    """{category: (children in register, of them with an active pairing)}."""
    paired = select(Pairing.child_id).where(*ACTIVE_PAIRING)
    rows = session.execute(
        select(
            ChildCategory.category,
            func.count(distinct(Child.id)),
            func.count(distinct(Child.id)).filter(Child.id.in_(paired)),
        )
        .join(Child, Child.id == ChildCategory.child_id)
        .where(*IN_REGISTER)
        .group_by(ChildCategory.category)
    )
    return {label: (total, with_pair) for label, total, with_pair in rows}


def period_counts(session: Session, start: date, end: date, today: date) -> dict[str, object]:
    """The period's totals: visits, children due, overdue, joined, left, assistance value."""
    visited = select(Visit.child_id).where(
        Visit.deleted_at.is_(None), Visit.visited_on >= start, Visit.visited_on <= end
    )
    due = session.scalar(
        select(func.count()).where(*IN_REGISTER, (Child.next_due_on <= end) | Child.id.in_(visited))
    )
    visits = session.scalar(
        select(func.count(Visit.id))
        .join(Child, Child.id == Visit.child_id)
        .where(
            Child.deleted_at.is_(None),
            Visit.deleted_at.is_(None),
            Visit.visited_on >= start,
            Visit.visited_on <= end,
        )
    )
    overdue = session.scalar(select(func.count()).where(*IN_REGISTER, Child.next_due_on < today))
    visited_children = session.scalar(
        select(func.count()).where(*IN_REGISTER, Child.id.in_(visited))
    )
    joined = session.scalar(
        select(func.count()).where(
            Child.deleted_at.is_(None), Child.registered_on >= start, Child.registered_on <= end
        )
    )
    left = session.scalar(
        select(func.count()).where(
            Child.deleted_at.is_(None),
            Child.status == "退出",
            Child.status_date >= start,
            Child.status_date <= end,
        )
    )
    value = session.scalar(
        select(func.coalesce(func.sum(Assistance.value_yuan), 0)).where(
            Assistance.deleted_at.is_(None),
            Assistance.given_on >= start,
            Assistance.given_on <= end,
        )
    )
    paired_total = session.scalar(
        select(func.count(distinct(Child.id)))
        .join(Pairing, Pairing.child_id == Child.id)
        .where(*IN_REGISTER, *ACTIVE_PAIRING)
    )
    in_register = session.scalar(select(func.count()).where(*IN_REGISTER))
    return {
        "due": due or 0,
        "visited_children": visited_children or 0,
        "visits": visits or 0,
        "overdue": overdue or 0,
        "joined": joined or 0,
        "left": left or 0,
        "assistance_value": value or 0,
        "paired": paired_total or 0,
        "in_register": in_register or 0,
    }
