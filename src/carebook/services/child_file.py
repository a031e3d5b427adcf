"""Lists for a child's file: pairings, visits, assistance, activities and the history of changes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from carebook.domain.phones import mask_phone
from carebook.domain.schedule import DEFAULT_RULES, VisitRule
from carebook.services.audit import history
from carebook.services.audit_log import action_label
from carebook.services.rescheduling import due_for
from carebook.storage import care_queries as cq
from carebook.storage import ledger_queries as lq
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
class ActivityLine:
    held_on: date
    title: str
    place: str


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


def visits(db: Database, uid: str, rules: tuple[VisitRule, ...] = DEFAULT_RULES) -> list[VisitLine]:
    """Newest first; each with the next visit it set: the date asked for on the form, or the
    schedule's (a visit logged with the proposed date stores none, and showed a blank)."""
    with db.reading() as session:
        lines = [VisitLine(*row) for row in q.visits_of(session, uid)]
        found = cq.children_by_uid(session, [uid])
        if not found or found[0].status != "在册":
            return lines  # no visit is due to a child who has left: only what was asked
        child = found[0]
        categories = [c.category for c in child.categories]
        return [
            replace(
                line,
                next_visit_on=due_for(
                    child.registered_on,
                    line.visited_on,
                    line.next_visit_on,
                    categories,
                    child.care_level,
                    rules,
                ),
            )
            for line in lines
        ]


def assistance(db: Database, uid: str) -> list[AssistanceLine]:
    with db.reading() as session:
        return [AssistanceLine(*row) for row in q.assistance_of(session, uid)]


def activities(db: Database, uid: str) -> list[ActivityLine]:
    """The activities the child took part in, newest first."""
    with db.reading() as session:
        found = cq.children_by_uid(session, [uid])
        if not found:
            return []
        rows = lq.activities_of(session, child_id=found[0].id)
    return [ActivityLine(on, title, place) for _uid, on, title, place in rows]


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
