"""The 帮扶 ledger read a page at a time, with its counts and totals summed in SQL; never committed.

A county's year holds tens of thousands of records: the page shows the first few hundred and
reads on as the worker scrolls, while the figures above it always cover the whole filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from carebook.storage.tables import Activity, Area, Assistance, Child

LIVE = Assistance.deleted_at.is_(None)


@dataclass(frozen=True)
class AssistanceFilter:
    """Which records: a period (inclusive), a project, a provider, and text typed to search."""

    start: date | None = None
    end: date | None = None
    project: str = ""
    provider: str = ""
    search: str = ""


# Columns of a ledger row, in order; the page sorts by any of them (then newest first).
_COLUMNS = (
    Assistance.uid,
    Child.uid,
    Child.name,
    Area.name,
    Assistance.given_on,
    Assistance.project,
    Assistance.content,
    Assistance.quantity,
    Assistance.value_yuan,
    Assistance.provider,
    Activity.title,
)
# A child is sorted by the pinyin of the name, as the register sorts children.
_SORT_KEYS = {2: Child.name_pinyin}


def _where(query: Select, wanted: AssistanceFilter) -> Select:
    query = query.where(LIVE, Child.deleted_at.is_(None))
    if wanted.start is not None:
        query = query.where(Assistance.given_on >= wanted.start)
    if wanted.end is not None:
        query = query.where(Assistance.given_on <= wanted.end)
    if wanted.project:
        query = query.where(Assistance.project == wanted.project)
    if wanted.provider:
        query = query.where(Assistance.provider == wanted.provider)
    term = wanted.search.strip().lower()
    if term:
        # What the register's search finds a child by (name, pinyin, initials, ID, phones),
        # or words of the help itself (学习用品, 助学金).
        query = query.where(
            or_(
                Child.search_text.contains(term, autoescape=True),
                Assistance.content.contains(term, autoescape=True),
            )
        )
    return query


def _rows_query() -> Select:
    """The ledger's columns over its joins (a child's village, the activity's title)."""
    return (
        select(*_COLUMNS)
        .join(Child, Child.id == Assistance.child_id)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(Activity, Activity.id == Assistance.activity_id, isouter=True)
    )


_NEWEST = (Assistance.given_on.desc(), Assistance.id.desc())


def ledger_rows(
    session: Session,
    wanted: AssistanceFilter,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: tuple[int, bool] | None = None,
) -> list[tuple]:
    """(uid, child uid, child name, village, given_on, project, content, quantity, value,
    provider, activity title), newest first or by sort = (column, descending), then newest."""
    query = _where(_rows_query(), wanted)
    if sort is not None:
        column, descending = sort
        key = _SORT_KEYS.get(column, _COLUMNS[column])
        # Records with nothing in the column (no value, no activity) last both ways, as SQLite
        # and PostgreSQL would each put them at a different end.
        ordered = key.desc() if descending else key.asc()
        query = query.order_by(ordered.nulls_last(), *_NEWEST)
    else:
        query = query.order_by(*_NEWEST)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [tuple(r) for r in session.connection().execute(query)]


def child_rows(session: Session, child_id: int) -> list[tuple]:
    """One child's records, newest first, in ledger_rows' columns."""
    query = _rows_query().where(LIVE, Child.deleted_at.is_(None), Assistance.child_id == child_id)
    return [tuple(r) for r in session.connection().execute(query.order_by(*_NEWEST))]


def _cents():
    # Summed as whole fen: exact whatever the database keeps a NUMERIC in (SQLite: a float).
    return func.coalesce(func.sum(func.round(Assistance.value_yuan * 100)), 0)


def ledger_children(session: Session, wanted: AssistanceFilter) -> int:
    """How many different children the filter's records went to."""
    query = select(func.count(func.distinct(Assistance.child_id))).join(
        Child, Child.id == Assistance.child_id
    )
    return int(session.scalar(_where(query, wanted)) or 0)


def ledger_groups(
    session: Session, wanted: AssistanceFilter
) -> list[tuple[str, str, str, int, int]]:
    """(project, provider, month "2026-11", records, value in fen) of the filter: one pass over
    its records gives every total of the page (a few hundred groups at most)."""
    # The ISO text of the date in both SQLite and PostgreSQL; its first 7 characters.
    month = func.substr(cast(Assistance.given_on, String), 1, 7)
    keys = (Assistance.project, Assistance.provider, month)
    query = (
        select(*keys, func.count(), _cents())
        .join(Child, Child.id == Assistance.child_id)
        .group_by(*keys)
    )
    return [
        (p or "", v or "", m, int(n), int(c))
        for p, v, m, n, c in session.execute(_where(query, wanted))
    ]
