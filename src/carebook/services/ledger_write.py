"""Writing matched import rows inside one transaction: bulk creates, field updates, audit."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter

from carebook.domain.records import CHILD_FIELD_LABELS, VOLUNTEER_FIELD_LABELS
from carebook.domain.schedule import next_due
from carebook.i18n import tr
from carebook.services.audit import Origin, as_text, entry
from carebook.services.children import apply_facts, child_search_text
from carebook.services.ledger_match import Operation
from carebook.services.ledger_plan import CREATE, UNCHANGED, UPDATE
from carebook.services.name_keys import pinyin_keys
from carebook.services.progress import Progress
from carebook.storage import bulk
from carebook.storage import import_queries as q
from carebook.storage.areas import ensure_village, village_lookup
from carebook.storage.tables import new_uid

CHUNK = 2000
_CHILD_COLUMNS = q.CHILD_COLUMNS
_child_values = attrgetter(*_CHILD_COLUMNS)  # the facts' column values in one C call


@dataclass(frozen=True)
class Written:
    """What writing stamped: the time, and the row id of each new child (by id of its row)."""

    now: datetime
    created: dict[int, int]


def write_operations(
    session, ops: list[Operation], origin: Origin, today: date, rules=None
) -> Generator[Progress, None, Written]:
    """Apply every create/update; yields progress so a cancel (close) rolls the whole file back."""
    now = datetime.now()
    created: dict[int, int] = {}
    todo = [op for op in ops if op.action in (CREATE, UPDATE)]
    total = len(todo)
    # One query for the places already known; ensure_village only creates the new ones.
    villages: dict[tuple[str, str], int | None] = {
        names: vid for vid, names in village_lookup(session).items()
    }

    def village_id(township: str, village: str) -> int | None:
        key = (township, village)
        if key not in villages:
            villages[key] = ensure_village(session, township, village)
        return villages[key]

    creates = sum(1 for op in todo if op.action == CREATE and op.parsed.kind == "child")
    # Uids made up front and sorted: they then go into their indexes in order (see new_uids).
    uids = iter(bulk.new_uids(creates))
    if total >= _REBUILD_FROM:
        bulk.hold_batch_in_memory(session)
    rebuild = _set_indexes_aside(session, creates)
    done = 0
    for start in range(0, total, CHUNK):
        part = todo[start : start + CHUNK]
        children = [op for op in part if op.parsed.kind == "child"]
        volunteers = [op for op in part if op.parsed.kind == "volunteer"]
        audit = _create_children(
            session,
            [o for o in children if o.action == CREATE],
            village_id,
            uids,
            created,
            origin,
            now,
            today,
            rules,
        )
        for op in children:
            if op.action == UPDATE:
                audit += _update_child(session, op, origin, now, rules)
        audit += _write_volunteers(session, volunteers, village_id, origin, now)
        # Core executemany into the log: the ORM bulk path costs more than the rows themselves.
        bulk.insert_rows(session, "audit_log", audit)
        done += len(part)
        if done == total and rebuild:
            bulk.create_indexes(session, rebuild)
        yield Progress(done, total, tr("已写入 {done} / {total} 行", done=done, total=total))
    return Written(now, created)


# Below this many new children, inserting into the indexes costs less than rebuilding them.
_REBUILD_FROM = 2000


def _set_indexes_aside(session, creates: int) -> list:
    """Drop the children's plain indexes when the batch is large next to the register.

    Rebuilding costs per row of the whole table, inserting per new row: measured, 50,000 new
    children in an empty register went in 1 s faster, beside 100,000 registered ones 1 s slower.
    So only while the register holds at most half as many children as the batch brings.
    """
    if creates < _REBUILD_FROM or 2 * bulk.table_rows(session, "children") > creates:
        return []
    return bulk.drop_secondary_indexes(session, "children")


def save_clean_fingerprints(session, ops: list[Operation], written: Written, today: date) -> None:
    """Remember the fingerprints of child rows now in the register exactly as the row says,
    with no error or warning: only those may skip their checks when imported again."""
    by_number, new = [], []
    created = written.created
    for op in ops:
        p = op.parsed
        if (
            op.action in (CREATE, UPDATE, UNCHANGED)
            and p.kind == "child"
            and p.fingerprint
            and not (p.errors or p.warnings or op.notes)
            and p.key
        ):
            row_id = created.get(id(p))
            if row_id is None:
                by_number.append((p.key, p.fingerprint))
            else:
                new.append((row_id, p.fingerprint))
    q.save_fingerprints(session, by_number, today)
    # Children inserted just now: their row ids and updated_at are known, no lookup needed.
    q.save_new_fingerprints(session, new, written.now, today)


def _due(facts, registered_on: date, last_visit, rules) -> date | None:
    kwargs = {} if rules is None else {"rules": rules}
    return next_due(
        registered_on=registered_on,
        last_visit=last_visit,
        categories=facts.categories,
        care_level=facts.care_level,
        **kwargs,
    )


_REGISTERED = ("在册", None, "")  # a new child's status, date and reason unless the row says
_UNKNOWN = object()


_NEW_CHILD_COLUMNS = (
    *_CHILD_COLUMNS, "id", "uid", "created_at", "updated_at", "deleted_at", "name_pinyin",
    "name_initials", "search_text", "village_id", "status", "status_date", "status_reason",
    "registered_on", "last_visit_on", "next_due_on",
)  # fmt: skip
_CATEGORY_COLUMNS = ("child_id", "category", "position")
_AUDIT_COLUMNS = (
    "at", "actor", "action", "entity", "entity_uid", "field", "old_value", "new_value", "source",
)  # fmt: skip


def _create_children(
    session, ops, village_id, uids, created, origin, now, today, rules
) -> list[dict]:
    """Insert the new children, their categories and their audit entries (rows as tuples)."""
    if not ops:
        return []
    first = bulk.next_id(session, "children")
    ids = range(first, first + len(ops))
    rows, labels, audit = [], [], []
    add_row, add_labels, add_audit = rows.append, labels.append, audit.append
    # A new child's first visit depends on today and its categories/care level only: a few.
    first_due: dict[tuple, date | None] = {}
    actor, source = origin.actor, origin.source
    # zip takes the ids first: when they run out no uid is drawn beyond this chunk's.
    for child_id, op, uid in zip(ids, ops, uids, strict=False):
        facts = op.facts
        full, initials = pinyin_keys(facts.name)
        created[id(op.parsed)] = child_id
        status, status_date, reason = op.status or _REGISTERED
        if status == "在册":
            key = (facts.categories, facts.care_level)
            due = first_due.get(key, _UNKNOWN)
            if due is _UNKNOWN:
                due = first_due[key] = _due(facts, today, None, rules)
        else:
            due = None
        add_row(
            (
                *_child_values(facts),
                child_id,
                uid,
                now,
                now,
                None,
                full,
                initials,
                child_search_text(facts, full, initials),
                village_id(facts.township, facts.village),
                status,
                status_date,
                reason,
                today,
                None,
                due,
            )
        )
        add_labels(facts.categories)
        # What entry(origin, "create", "child", uid, new=name) holds: names are never masked.
        add_audit((now, actor, "create", "child", uid, "", "", facts.name, source))
        if op.status:
            add_audit((now, actor, "exit", "child", uid, "状态", "在册", as_text(status), source))
    # In one pass after the loop: no list per child to build and add.
    categories = [
        (child_id, label, i)
        for child_id, names in zip(ids, labels, strict=True)
        for i, label in enumerate(names)
    ]
    bulk.insert_tuples(session, "children", _NEW_CHILD_COLUMNS, rows)
    bulk.insert_tuples(session, "child_categories", _CATEGORY_COLUMNS, categories)
    # Written before the chunk's other entries, in the order entry() dicts went before.
    bulk.insert_tuples(session, "audit_log", _AUDIT_COLUMNS, audit)
    return []


def _update_child(session, op: Operation, origin, now, rules) -> list[dict]:
    child_id, uid = op.existing["_id"], op.existing["_uid"]
    audit = []
    if op.changes:
        child = q.child_by_row_id(session, child_id)
        apply_facts(session, child, op.facts)
        child.updated_at = now
        if child.status == "在册":
            child.next_due_on = _due(op.facts, child.registered_on, child.last_visit_on, rules)
        session.flush()
        audit += [
            entry(origin, "update", "child", uid, field=CHILD_FIELD_LABELS[f], old=o, new=n, at=now)
            for f, o, n in op.changes
        ]
    if op.status:
        status, on, reason = op.status
        q.set_status(session, child_id, status, on, reason, now)
        action = "exit" if status == "退出" else "reenter"
        audit += [
            entry(
                origin,
                action,
                "child",
                uid,
                field="状态",
                old=op.existing["_status"],
                new=status,
                at=now,
            ),
            entry(origin, action, "child", uid, field="状态变更原因", new=f"{on} {reason}", at=now),
        ]
    return audit


def _write_volunteers(session, ops: list[Operation], village_id, origin, now) -> list[dict]:
    audit, rows = [], []
    first = bulk.next_id(session, "volunteers") if any(o.action == CREATE for o in ops) else 0
    for op in ops:
        facts = op.facts
        if op.action == CREATE:
            full, initials = pinyin_keys(facts.name)
            uid = new_uid()
            values = facts.as_dict()
            township, village = values.pop("township"), values.pop("village")
            values.update(
                id=first + len(rows),
                uid=uid,
                created_at=now,
                updated_at=now,
                deleted_at=None,
                identities="、".join(facts.identities),
                name_pinyin=full,
                name_initials=initials,
                area_id=village_id(township, village),
                status="在岗",
            )
            rows.append(values)
            audit.append(entry(origin, "create", "volunteer", uid, new=facts.name, at=now))
        elif op.action == UPDATE:
            values = {}
            for name, _old, new in op.changes:
                if name in ("township", "village"):
                    values["area_id"] = village_id(facts.township, facts.village)
                elif name == "identities":
                    values[name] = "、".join(new)
                else:
                    values[name] = new
            if "name" in values:
                values["name_pinyin"], values["name_initials"] = pinyin_keys(values["name"])
            q.update_volunteer(session, op.existing["_id"], {**values, "updated_at": now})
            audit += [
                entry(
                    origin,
                    "update",
                    "volunteer",
                    op.existing["_uid"],
                    field=VOLUNTEER_FIELD_LABELS[f],
                    old=o,
                    new=n,
                    at=now,
                )
                for f, o, n in op.changes
            ]
    if rows:
        bulk.insert_rows(session, "volunteers", rows)
    return audit
