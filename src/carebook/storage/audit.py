"""The audit log: entries are added inside the caller's transaction and read newest first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select
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


def recent_entries(
    session: Session,
    *,
    action: str | None = None,
    since: datetime | None = None,
    actor: str | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action == action)
    if since:
        query = query.where(AuditEntry.at >= since)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    return list(session.scalars(query))


def entity_names(session: Session, uids: Iterable[str]) -> dict[str, str]:
    """The names of the children and volunteers with these uids, removed ones included (the
    log outlives the record)."""
    wanted = sorted(set(uids))
    found: dict[str, str] = {}
    for model in (Child, Volunteer):
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = select(model.uid, model.name).where(model.uid.in_(chunk))
            found.update((uid, name) for uid, name in session.execute(query))
    return found
