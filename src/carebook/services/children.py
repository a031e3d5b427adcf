"""User actions on a child: register, edit, leave and re-enter the register, reveal, look up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from operator import attrgetter

from carebook.domain.child_rules import check_child_facts
from carebook.domain.id_numbers import mask_id, normalize_id
from carebook.domain.phones import is_plain_mobile, phone_digits
from carebook.domain.records import (
    CHILD_FACT_FIELDS,
    CHILD_FIELD_LABELS,
    PERSONAL_NUMBER_FIELDS,
    PHONE_FIELD_ORDER,
    PHONE_FIELDS,
    ChildFacts,
    ChildRecord,
)
from carebook.domain.schedule import VisitRule, next_due
from carebook.i18n import tr
from carebook.services.audit import TYPED_IN, Origin, entry, field_changes
from carebook.services.errors import (
    DuplicateChildError,
    NotFoundError,
    ServiceError,
    ValidationError,
)
from carebook.services.name_keys import pinyin_keys, search_text
from carebook.storage import audit as audit_store
from carebook.storage import children as child_store
from carebook.storage.areas import ensure_village
from carebook.storage.database import Database
from carebook.storage.server_errors import TakenMeanwhileError
from carebook.storage.tables import Child

ENTITY = "child"
_COLUMN_FIELDS = tuple(
    f for f in CHILD_FACT_FIELDS if f not in {"township", "village", "categories"}
)


def child_search_text(facts: ChildFacts, pinyin_full: str, initials: str) -> str:
    """Everything the one search box matches: name, pinyin, ID, family phones, village."""
    phones = " ".join([_phone_key(p) for p in _family_phones(facts) if p])
    return search_text(
        facts.name,
        pinyin_full,
        initials,
        facts.id_number or "",
        phones,
        facts.village,
        facts.guardian_name,
    )


_family_phones = attrgetter(*PHONE_FIELD_ORDER)


def _phone_key(phone: object) -> str:
    """phone_digits(phone), a plain mobile (nearly every checked cell) without its calls."""
    if is_plain_mobile(phone):
        return phone  # type: ignore[return-value]  # already standard, and digits only
    return phone_digits(phone)


def apply_facts(session, child: Child, facts: ChildFacts) -> None:
    """Copy cleaned facts onto the row, with the keys search needs."""
    for name in _COLUMN_FIELDS:
        setattr(child, name, getattr(facts, name))
    child.village_id = ensure_village(session, facts.township, facts.village)
    child_store.set_categories(child, facts.categories)
    full, initials = pinyin_keys(facts.name)
    child.name_pinyin, child.name_initials = full, initials
    child.search_text = child_search_text(facts, full, initials)


def _checked(facts: ChildFacts, today: date) -> ChildFacts:
    checked = check_child_facts(facts, today=today)
    if not checked.ok:
        raise ValidationError(checked.errors)
    return checked.facts


def _refuse_duplicate(session, id_number: str | None, own_uid: str | None) -> None:
    if not id_number:
        return
    existing = child_store.child_by_id_number(session, id_number)
    if existing is not None and existing.uid != own_uid:
        raise DuplicateChildError(
            tr(
                "身份证号 {id_number} 已登记为 {name}，不能重复登记。",
                id_number=mask_id(id_number),
                name=existing.name,
            ),
            existing.uid,
        )


def register_child(
    db: Database,
    facts: ChildFacts,
    *,
    origin: Origin = Origin(),
    registered_on: date | None = None,
    rules: tuple[VisitRule, ...] | None = None,
    today: date | None = None,
) -> ChildRecord:
    """Add a child to the register; its first visit falls due within five working days."""
    today = today or date.today()
    clean = _checked(facts, today)
    now = datetime.now()
    with _taken_meanwhile(db, clean.id_number, None), db.transaction() as session:
        _refuse_duplicate(session, clean.id_number, None)
        child = Child(created_at=now, updated_at=now, registered_on=registered_on or today)
        apply_facts(session, child, clean)
        child.next_due_on = _due(child, clean, rules)
        session.add(child)
        session.flush()
        audit_store.add_entries(
            session, [entry(origin, "create", ENTITY, child.uid, new=clean.name, at=now)]
        )
        return child_store.child_record(session, child)


@contextmanager
def _taken_meanwhile(db: Database, id_number: str | None, own_uid: str | None) -> Iterator[None]:
    """On a county's server another computer may register the same ID number between our check
    and our insert: say so as the check would have, naming the child the other one saved."""
    try:
        yield
    except TakenMeanwhileError as error:
        if error.constraint.endswith("id_number"):
            with db.reading() as session:
                _refuse_duplicate(session, id_number, own_uid)
        raise


def _due(child: Child, facts: ChildFacts, rules: tuple[VisitRule, ...] | None) -> date | None:
    if child.status != "在册" and child.status is not None:
        return None
    kwargs = {} if rules is None else {"rules": rules}
    return next_due(
        registered_on=child.registered_on,
        last_visit=child.last_visit_on,
        categories=facts.categories,
        care_level=facts.care_level,
        **kwargs,
    )


def update_child(
    db: Database,
    uid: str,
    facts: ChildFacts,
    *,
    origin: Origin = Origin(),
    rules: tuple[VisitRule, ...] | None = None,
    today: date | None = None,
    loaded: ChildFacts | None = None,
) -> ChildRecord:
    """Save an edited child; each changed field goes to the audit log, old -> new.

    `loaded`: the facts as the form showed them when opened. On a county's server another
    computer may have saved the child meanwhile: its changes are kept and only the fields
    edited here are written; a field both changed refuses the save rather than overwrite.
    """
    clean = _checked(facts, today or date.today())
    now = datetime.now()
    with _taken_meanwhile(db, clean.id_number, uid), db.transaction() as session:
        child = _get(session, uid)
        current = child_store.child_facts(session, child)
        if loaded is not None and current != loaded:
            clean = _checked(_on_top_of(current, loaded, clean), today or date.today())
        _refuse_duplicate(session, clean.id_number, uid)
        before = current.as_dict()
        changes = list(field_changes(before, clean.as_dict()))
        if not changes:
            return child_store.child_record(session, child)
        apply_facts(session, child, clean)
        child.updated_at = now
        if child.status == "在册":
            child.next_due_on = _due(child, clean, rules)
        audit_store.add_entries(
            session,
            [
                entry(
                    origin, "update", ENTITY, uid, field=CHILD_FIELD_LABELS[f], old=o, new=n, at=now
                )
                for f, o, n in changes
            ],
        )
        return child_store.child_record(session, child)


def _on_top_of(current: ChildFacts, loaded: ChildFacts, edited: ChildFacts) -> ChildFacts:
    """The fields edited since `loaded`, put on what another computer saved meanwhile."""
    was, now, mine = current.as_dict(), loaded.as_dict(), edited.as_dict()
    changed = {f: v for f, v in mine.items() if v != now[f]}
    both = [f for f, v in changed.items() if was[f] != now[f] and was[f] != v]
    if both:
        raise ServiceError(
            tr(
                "您编辑期间，另一台电脑已修改并保存了这名儿童的{fields}。为免覆盖别人的修改，"
                "这次没有保存；请关闭档案后重新打开，再改一次。",
                fields=tr("、").join(CHILD_FIELD_LABELS[f] for f in both),
            )
        )
    return replace(current, **changed)


def _get(session, uid: str) -> Child:
    child = child_store.child_by_uid(session, uid)
    if child is None:
        raise NotFoundError(tr("找不到这名儿童，可能已被删除。"))
    return child


def exit_register(
    db: Database,
    uid: str,
    *,
    on: date,
    reason: str,
    origin: Origin = Origin(),
    end_pairings: bool = False,
) -> ChildRecord:
    """Take a child off the register (状态 退出) with a date and reason; the record stays.

    With end_pairings, the child's active pairings end on the same day with the same reason.
    """
    if not reason.strip():
        raise ValidationError({"status_reason": tr("退出须填写原因。")})
    after = None
    if end_pairings:
        from carebook.services.pairings import end_pairings_in

        def after(session, child: Child) -> None:
            end_pairings_in(session, child, on, reason.strip(), origin)

    return _set_status(db, uid, "退出", on, reason.strip(), origin, "exit", after=after)


def reenter_register(
    db: Database,
    uid: str,
    *,
    on: date,
    reason: str,
    origin: Origin = Origin(),
    rules: tuple[VisitRule, ...] | None = None,
) -> ChildRecord:
    """Bring a child who left back into the register."""
    if not reason.strip():
        raise ValidationError({"status_reason": tr("重新纳入须填写原因。")})
    return _set_status(db, uid, "在册", on, reason.strip(), origin, "reenter", rules)


def _set_status(db, uid, status, on, reason, origin, action, rules=None, after=None) -> ChildRecord:
    now = datetime.now()
    with db.transaction() as session:
        child = _get(session, uid)
        if child.status == status:
            raise ServiceError(
                tr("{name} 的状态已经是“{status}”。", name=child.name, status=status)
            )
        # Leaving comes after joining, coming back after leaving: out of order, the file said
        # she came back before she left (or left before she was registered).
        since, before = child.registered_on, tr("登记日期")
        if child.status == "退出" and child.status_date:
            since, before = child.status_date, tr("退出日期")
        elif child.status_date and since and child.status_date > since:
            since, before = child.status_date, tr("重新纳入日期")
        if since is not None and on < since:
            raise ValidationError(
                {
                    "status_date": tr(
                        "{what}日期 {on} 早于{before} {since}，请核对日期。",
                        what=tr("退出") if status == "退出" else tr("重新纳入"),
                        on=on.isoformat(),
                        before=before,
                        since=since.isoformat(),
                    )
                }
            )
        old = child.status
        child.status, child.status_date, child.status_reason = status, on, reason
        child.updated_at = now
        facts = child_store.child_facts(session, child)
        child.next_due_on = _due(child, facts, rules) if status == "在册" else None
        if after is not None:
            after(session, child)
        audit_store.add_entries(
            session,
            [
                entry(origin, action, ENTITY, uid, field="状态", old=old, new=status, at=now),
                entry(
                    origin, action, ENTITY, uid, field="状态变更原因", new=f"{on} {reason}", at=now
                ),
            ],
        )
        return child_store.child_record(session, child)


def get_child(db: Database, uid: str) -> ChildRecord:
    with db.reading() as session:
        return child_store.child_record(session, _get(session, uid))


def find_by_id_number(db: Database, id_number: str) -> str | None:
    """The uid of the child with this ID number, if the register has one (typed as people type
    it: a lower-case x, full-width digits or spaces find the stored number)."""
    number = normalize_id(id_number)
    with db.reading() as session:
        return child_store.child_uid_by_id_number(session, number)


def reveal(db: Database, uid: str, field: str, *, origin: Origin = Origin()) -> str:
    """The full ID or phone number; revealing it is deliberate and goes to the audit log."""
    if field not in PERSONAL_NUMBER_FIELDS | PHONE_FIELDS:
        raise ServiceError(tr("字段 {field} 不需要显示完整号码。", field=field))
    with db.transaction() as session:
        child = _get(session, uid)
        value = getattr(child, field) or ""
        audit_store.add_entries(
            session,
            [
                entry(
                    Origin(origin.actor, origin.source or TYPED_IN),
                    "reveal",
                    ENTITY,
                    uid,
                    field=CHILD_FIELD_LABELS[field],
                )
            ],
        )
        return value


def facts_with(record: ChildRecord, **changes: object) -> ChildFacts:
    """A copy of a child's facts with some fields changed (for edits in code and tests)."""
    return replace(record.facts, **changes)
