"""Queries about children; rows are read and flushed here, never committed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from carebook.domain.records import CHILD_FACT_FIELDS, ChildFacts, ChildRecord
from carebook.storage.areas import village_names
from carebook.storage.tables import Child, ChildCategory

_PLACE_FIELDS = frozenset({"township", "village", "categories"})


def child_by_uid(session: Session, uid: str) -> Child | None:
    query = (
        select(Child)
        .options(selectinload(Child.categories))
        .where(Child.uid == uid, Child.deleted_at.is_(None))
    )
    return session.scalars(query).first()


def child_by_id_number(session: Session, id_number: str) -> Child | None:
    query = select(Child).where(Child.id_number == id_number, Child.deleted_at.is_(None))
    return session.scalars(query).first()


def child_uid_by_id_number(session: Session, id_number: str) -> str | None:
    return session.scalar(select(Child.uid).where(Child.id_number == id_number))


def set_categories(child: Child, categories: tuple[str, ...]) -> None:
    wanted = list(dict.fromkeys(categories))
    existing = {c.category: c for c in child.categories}
    child.categories = [
        existing.get(label) or ChildCategory(category=label, position=i)
        for i, label in enumerate(wanted)
    ]
    for i, cat in enumerate(child.categories):
        cat.position = i


def child_facts(session: Session, child: Child) -> ChildFacts:
    township, village = village_names(session, child.village_id)
    values = {name: getattr(child, name) for name in CHILD_FACT_FIELDS if name not in _PLACE_FIELDS}
    values.update(
        township=township,
        village=village,
        categories=tuple(c.category for c in child.categories),
    )
    return ChildFacts(**values)  # type: ignore[arg-type]


def child_record(session: Session, child: Child) -> ChildRecord:
    return ChildRecord(
        uid=child.uid,
        facts=child_facts(session, child),
        status=child.status,
        status_date=child.status_date,
        status_reason=child.status_reason,
        registered_on=child.registered_on,
        last_visit_on=child.last_visit_on,
        next_due_on=child.next_due_on,
        created_at=child.created_at,
        updated_at=child.updated_at,
    )


def count_children(session: Session) -> int:
    return session.scalar(select(func.count(Child.id)).where(Child.deleted_at.is_(None))) or 0
