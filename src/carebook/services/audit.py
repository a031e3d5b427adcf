"""Who changed, revealed, exported or printed what: building audit entries for the services."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from carebook.domain.id_numbers import mask_id
from carebook.domain.phones import mask_phone
from carebook.domain.records import (
    CHILD_FIELD_LABELS,
    PERSONAL_NUMBER_FIELDS,
    PHONE_FIELDS,
    VOLUNTEER_FIELD_LABELS,
)
from carebook.storage import audit as audit_store
from carebook.storage.database import Database

TYPED_IN = "手工录入"


@dataclass(frozen=True)
class Origin:
    """Who acts and where the change comes from (typed in, imported from file X, merged from Y)."""

    actor: str = ""
    source: str = TYPED_IN


@dataclass(frozen=True)
class AuditView:
    at: datetime
    actor: str
    action: str
    entity: str
    entity_uid: str
    field: str
    old_value: str
    new_value: str
    source: str


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return "、".join(str(v) for v in value)
    return str(value)


# Entries name a field by its key or by the label a worker sees; both are masked.
_MASKED = PERSONAL_NUMBER_FIELDS | {CHILD_FIELD_LABELS[f] for f in PERSONAL_NUMBER_FIELDS}
_MASKED_PHONES = (
    PHONE_FIELDS
    | {CHILD_FIELD_LABELS[f] for f in PHONE_FIELDS}
    | {"phone", VOLUNTEER_FIELD_LABELS["phone"]}
)


def _safe(field: str, value: object) -> str:
    # The log must not become one more place full ID numbers and phones leak from: the history
    # shows that a number changed and who changed it; the number itself is on the record.
    text = as_text(value)
    if not text:
        return text
    if field in _MASKED:
        return mask_id(text)
    return mask_phone(text) if field in _MASKED_PHONES else text


def entry(
    origin: Origin,
    action: str,
    entity: str,
    uid: str,
    *,
    field: str = "",
    old: object = "",
    new: object = "",
    at: datetime | None = None,
) -> dict[str, object]:
    return {
        "at": at or datetime.now(),
        "actor": origin.actor,
        "action": action,
        "entity": entity,
        "entity_uid": uid,
        "field": field,
        "old_value": _safe(field, old),
        "new_value": _safe(field, new),
        "source": origin.source,
    }


def field_changes(
    old: Mapping[str, object], new: Mapping[str, object]
) -> Iterator[tuple[str, object, object]]:
    """(field, old, new) for each field whose value differs."""
    for name, value in new.items():
        before = old.get(name)
        if as_text(before) != as_text(value):
            yield name, before, value


def record(db: Database, origin: Origin, action: str, entity: str, uid: str, **kw: object) -> None:
    """A standalone audit entry in its own transaction (reveal, export, print)."""
    with db.transaction() as session:
        audit_store.add_entries(session, [entry(origin, action, entity, uid, **kw)])


def history(db: Database, uid: str) -> list[AuditView]:
    with db.reading() as session:
        return [
            AuditView(
                e.at,
                e.actor,
                e.action,
                e.entity,
                e.entity_uid,
                e.field,
                e.old_value,
                e.new_value,
                e.source,
            )
            for e in audit_store.entries_for(session, uid)
        ]
