"""Read-only lists for a child's file: pairings, visits, assistance and the history of changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from carebook.domain.phones import mask_phone
from carebook.services.audit import history
from carebook.services.audit_log import action_label
from carebook.storage import register_queries as q
from carebook.storage.database import Database


@dataclass(frozen=True)
class PairingLine:
    volunteer: str
    phone: str  # masked
    mode: str
    started_on: date
    ended_on: date | None
    end_reason: str

    @property
    def active(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True)
class VisitLine:
    uid: str  # to correct or delete the visit from the file
    visited_on: date
    way: str
    visitor: str
    people_met: str
    problems: str
    help_given: str
    follow_up: str
    next_visit_on: date | None


@dataclass(frozen=True)
class AssistanceLine:
    given_on: date
    project: str
    content: str
    quantity: Decimal | None
    value_yuan: Decimal | None
    provider: str


@dataclass(frozen=True)
class HistoryLine:
    at: str  # 2026-11-28 14:03
    actor: str
    action: str  # in the worker's words
    field: str
    old_value: str
    new_value: str
    source: str


def pairings(db: Database, uid: str) -> list[PairingLine]:
    with db.reading() as session:
        rows = q.pairings_of(session, uid)
    return [
        PairingLine(name, mask_phone(phone) if phone else "", mode, start, end, reason)
        for name, phone, mode, start, end, reason, _notes in rows
    ]


def visits(db: Database, uid: str) -> list[VisitLine]:
    with db.reading() as session:
        return [VisitLine(*row) for row in q.visits_of(session, uid)]


def assistance(db: Database, uid: str) -> list[AssistanceLine]:
    with db.reading() as session:
        return [AssistanceLine(*row) for row in q.assistance_of(session, uid)]


def changes(db: Database, uid: str) -> list[HistoryLine]:
    """This child's audit log, newest first, with where each change came from."""
    return [
        HistoryLine(
            e.at.strftime("%Y-%m-%d %H:%M"),
            e.actor,
            action_label(e.action),
            e.field,
            e.old_value,
            e.new_value,
            e.source,
        )
        for e in history(db, uid)
    ]
