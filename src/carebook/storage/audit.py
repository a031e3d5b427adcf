"""The audit log: entries are added inside the caller's transaction and read newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, insert, or_, select, union
from sqlalchemy.orm import Session

from carebook.storage.tables import AuditEntry, Child, Volunteer


def add_entries(session: Session, entries: Iterable[dict[str, object]]) -> int:
    """Insert audit rows given as dicts of AuditEntry columns; returns how many."""
    rows = list(entries)
    if rows:
        session.execute(insert(AuditEntry), rows)
    return len(rows)


def entries_for(session: Session, entity_uid: str, limit: int = 1000) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity_uid == entity_uid)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class LogQuery:
    """Which entries of the whole log: one kind of action, a time span (end excluded), words
    anywhere, one record, one worker. None and "" mean any."""

    action: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    text: str = ""
    uid: str | None = None
    actor: str | None = None


def _log_filters(wanted: LogQuery) -> list:
    """WHERE terms for the log entries `wanted` asks for."""
    terms: list = []
    if wanted.action:
        terms.append(AuditEntry.action == wanted.action)
    if wanted.uid:
        terms.append(AuditEntry.entity_uid == wanted.uid)
    if wanted.actor:
        terms.append(AuditEntry.actor == wanted.actor)
    if wanted.start is not None:
        terms.append(AuditEntry.at >= wanted.start)
    if wanted.end is not None:
        terms.append(AuditEntry.at < wanted.end)
    if wanted.text:
        named = union(
            select(Child.uid).where(Child.name.contains(wanted.text, autoescape=True)),
            select(Volunteer.uid).where(Volunteer.name.contains(wanted.text, autoescape=True)),
        )
        columns = (
            AuditEntry.actor,
            AuditEntry.field,
            AuditEntry.old_value,
            AuditEntry.new_value,
            AuditEntry.source,
        )
        terms.append(
            or_(
                *(column.contains(wanted.text, autoescape=True) for column in columns),
                AuditEntry.entity_uid.in_(named),
            )
        )
    return terms


def count_log(session: Session, wanted: LogQuery) -> int:
    query = select(func.count()).select_from(AuditEntry)
    return session.scalar(query.where(*_log_filters(wanted))) or 0


def log_rows(
    session: Session, wanted: LogQuery, *, offset: int = 0, limit: int = 500
) -> list[tuple]:
    """(at, actor, action, entity, uid, name, field, old, new, source), newest first; name is
    the child's or volunteer's name now (removed ones too: the log outlives the record)."""
    child_name = select(Child.name).where(Child.uid == AuditEntry.entity_uid).scalar_subquery()
    volunteer_name = (
        select(Volunteer.name).where(Volunteer.uid == AuditEntry.entity_uid).scalar_subquery()
    )
    name = case(
        (AuditEntry.entity == "child", child_name),
        (AuditEntry.entity == "volunteer", volunteer_name),
        else_="",
    )
    query = (
        select(
            AuditEntry.at,
            AuditEntry.actor,
            AuditEntry.action,
            AuditEntry.entity,
            AuditEntry.entity_uid,
            func.coalesce(name, ""),
            AuditEntry.field,
            AuditEntry.old_value,
            AuditEntry.new_value,
            AuditEntry.source,
        )
        .where(*_log_filters(wanted))
        .order_by(AuditEntry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [tuple(row) for row in session.execute(query)]
