"""Matching a file's rows to the register (children by ID number, volunteers by phone)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, fields, replace
from datetime import date
from itertools import compress, repeat
from operator import attrgetter, is_, ne, not_

from carebook.domain.child_rules import check_child_facts
from carebook.domain.id_numbers import mask_id, mask_ids
from carebook.domain.phones import mask_phone
from carebook.domain.records import (
    CHILD_FACT_FIELDS,
    CHILD_FIELD_LABELS,
    PERSONAL_NUMBER_FIELDS,
    PHONE_FIELDS,
    VOLUNTEER_FIELD_LABELS,
    ChildFacts,
    VolunteerFacts,
)
from carebook.services.audit import as_text
from carebook.services.ledger_lookup import Lookup, child_wanted, look_up
from carebook.services.ledger_plan import CREATE, SKIPPED, UNCHANGED, UPDATE, Change, RowPlan
from carebook.services.ledger_rows import Issue, ParsedRow

_VOLUNTEER_FIELDS = tuple(VOLUNTEER_FIELD_LABELS)


@dataclass(slots=True)
class Operation:
    """One row's write: what to create or which fields change, decided inside the transaction."""

    parsed: ParsedRow
    action: str
    facts: ChildFacts | VolunteerFacts | None
    existing: dict | None = None
    changes: tuple[tuple[str, object, object], ...] = ()  # (field, old, new)
    status: tuple[str, date, str] | None = None  # (new status, on, reason)
    notes: tuple[Issue, ...] = ()  # warnings found while matching (the same child twice)


def shown(name: str, value: object) -> str:
    """A value as the plan shows it: ID numbers and phones masked."""
    text = as_text(value)
    if text and name in PERSONAL_NUMBER_FIELDS:
        return mask_id(text)
    if text and (name in PHONE_FIELDS or name == "phone"):
        return mask_phone(text)
    return text


def _label(parsed: ParsedRow, name: str) -> str:
    labels = VOLUNTEER_FIELD_LABELS if parsed.kind == "volunteer" else CHILD_FIELD_LABELS
    return {"status": "状态"}.get(name) or labels.get(name, name)


def _mark_duplicates(rows: list[ParsedRow], keys: list, notes: dict[int, list[Issue]]) -> set[int]:
    """Later rows about someone already in the file: warned on both rows, imported once."""
    later: set[int] = set()
    # One pass in C finds whether any key repeats (the usual file: none does).
    if len(set(keys)) + keys.count(None) - (None in keys) == len(keys):
        return later
    first: dict[object, ParsedRow] = {}
    for parsed, k in zip(rows, keys, strict=True):
        if k is None:
            continue
        if k in first:
            earlier = first[k]
            where = (
                f"第 {earlier.row} 行"
                if earlier.sheet == parsed.sheet
                else (f"工作表“{earlier.sheet}”第 {earlier.row} 行")
            )
            who = "同一名儿童" if parsed.kind == "child" else "同一位爱心妈妈"
            notes.setdefault(id(parsed), []).append(
                Issue(
                    parsed.sheet, parsed.row, "", f"与{where}是{who}，只按{where}导入，本行未导入。"
                )
            )
            notes.setdefault(id(earlier), []).append(
                Issue(
                    earlier.sheet,
                    earlier.row,
                    "",
                    f"第 {parsed.row} 行也是这{_one(parsed.kind)}（重复填写），只导入了本行。",
                )
            )
            later.add(id(parsed))
        else:
            first[k] = parsed
    return later


def _one(kind: str) -> str:
    return "名儿童" if kind == "child" else "位爱心妈妈"


def _plan(op: Operation) -> RowPlan:
    p = op.parsed
    if not (p.errors or p.warnings or op.notes or op.changes or op.status) and p.kind == "child":
        # The usual row (created or unchanged, nothing to say): only its name and masked ID.
        if p.facts is None:
            name, key = p.stored_name, p.stored_id
        else:
            name, key = p.facts.name, p.facts.id_number or ""  # type: ignore[union-attr]
        key = mask_id(key) if type(key) is str and key else shown("id_number", key)
        return RowPlan(p.sheet, p.row, "child", op.action, name, key)
    name = p.name
    key = p.key
    if p.kind == "child":
        # shown() for an ID number, without its generic steps: this runs for every row.
        key = mask_id(key) if type(key) is str and key else shown("id_number", key)
    else:
        key = shown("phone", key)
    changes = (
        tuple(Change(_label(p, f), shown(f, o), shown(f, n)) for f, o, n in op.changes)
        if op.changes
        else ()
    )
    if op.status:
        old = (op.existing or {}).get("_status", "")
        changes += (Change("状态", old, op.status[0]),)
    warnings = (*p.warnings, *op.notes) if p.warnings or op.notes else ()
    errors = tuple(p.errors) if p.errors else ()
    return RowPlan(p.sheet, p.row, p.kind, op.action, name, key, changes, errors, warnings)


def _live(parsed: list[ParsedRow]) -> tuple[list[ParsedRow], list[ParsedRow]]:
    children = [p for p in parsed if p.kind == "child" and not p.blank]
    if len(children) == len(parsed):
        return children, []
    volunteers = [p for p in parsed if p.kind == "volunteer" and not p.blank]
    return children, volunteers


def look_up_rows(session, parsed: list[ParsedRow], known: dict[str, dict] | None = None) -> Lookup:
    """What matching these rows reads from the register (the same keys every time)."""
    children, volunteers = _live(parsed)
    # A repeated row has the key of its first: leaving repeats in looks up the same keys.
    wanted, nameless = child_wanted([p for p in children if not p.errors])
    phones = sorted({p.key for p in volunteers if not p.errors and p.key})
    return look_up(session, wanted, nameless, phones, known)


def decide(parsed: list[ParsedRow], today: date, lookup: Lookup) -> list[tuple[RowPlan, Operation]]:
    """Each row's action given what the register holds: no database access."""
    children, volunteers = _live(parsed)
    notes: dict[int, list[Issue]] = {}
    ops = _match_children(children, today, notes, lookup) + _match_volunteers(
        volunteers, notes, lookup
    )
    if notes:
        for op in ops:
            extra = notes.get(id(op.parsed))
            if extra:
                op.notes = (*op.notes, *extra)
    ops.sort(key=_order)
    return list(zip(_plans(ops), ops, strict=True))


def _plans(ops: list[Operation]) -> list[RowPlan]:
    """_plan(op) for each operation; the usual rows' plans are made a column at a time."""
    parsed = list(map(_PARSED, ops))
    # A row with something to say (problems, notes, changes, a status), or a volunteer's.
    says = (map(_ERRORS, parsed), map(_WARNINGS, parsed), map(_NOTES, ops), map(_CHANGES, ops))
    others = (map(_STATUS, ops), map(ne, map(_KIND, parsed), repeat("child")))
    busy = list(map(any, zip(*says, *others, strict=True)))
    if any(busy):
        quiet = list(map(not_, busy))
        plain_ops, plain = list(compress(ops, quiet)), list(compress(parsed, quiet))
    else:
        plain_ops, plain = ops, parsed
    # Created or unchanged children with nothing to say: only their names and masked IDs.
    facts = list(map(_FACTS, plain))
    if not any(map(is_, facts, repeat(None))):  # all checked rows (a fresh import)
        names = list(map(_NAME, facts))
        keys = [k or "" for k in map(_ID_NUMBER, facts)]
    elif all(map(is_, facts, repeat(None))):  # all matched by fingerprint (a re-import)
        names, keys = list(map(_STORED_NAME, plain)), list(map(_STORED_ID, plain))
    else:
        names = [p.name for p in plain]
        keys = [p.key for p in plain]
    if all(keys) and all(map(is_, map(type, keys), repeat(str))):
        masked = mask_ids(keys)
    else:
        masked = [mask_id(k) if type(k) is str and k else shown("id_number", k) for k in keys]
    made = _plain_row_plans(
        list(map(_SHEET, plain)), list(map(_ROW, plain)), list(map(_ACTION, plain_ops)),
        names, masked,
    )  # fmt: skip
    if plain_ops is ops:
        return made
    done = iter(made)
    return [_plan(op) if loud else next(done) for op, loud in zip(ops, busy, strict=True)]


_PARSED, _ACTION, _NOTES, _CHANGES, _STATUS = map(
    attrgetter, ("parsed", "action", "notes", "changes", "status")
)
_ERRORS, _WARNINGS, _KIND, _FACTS, _SHEET, _ROW, _STORED_NAME, _STORED_ID = map(
    attrgetter,
    ("errors", "warnings", "kind", "facts", "sheet", "row", "stored_name", "stored_id"),
)
_NAME, _ID_NUMBER = attrgetter("name"), attrgetter("id_number")


def _plain_row_plans(sheets, numbers, actions, names, keys) -> list[RowPlan]:
    """RowPlan(sheet, row, "child", action, name, key) for each, filled a field at a time in C.

    RowPlan is frozen with slots and nothing more (no __post_init__): its __init__ only stores
    each field through its slot, which is what this does too, for 50,000 rows in one go.
    """
    count = len(sheets)
    if not _PLAIN_PLANS_OK:
        return list(map(RowPlan, sheets, numbers, repeat("child"), actions, names, keys))
    made = list(map(object.__new__, repeat(RowPlan, count)))
    columns = (sheets, numbers, repeat("child"), actions, names, keys, *repeat(repeat(()), 3))
    for slot, column in zip(_ROW_PLAN_SLOTS, columns, strict=True):
        deque(map(slot.__set__, made, column), maxlen=0)
    return made


_ROW_PLAN_SLOTS = tuple(RowPlan.__dict__[f.name] for f in fields(RowPlan))
_PLAIN_PLANS_OK = (
    tuple(f.name for f in fields(RowPlan))
    == ("sheet", "row", "kind", "action", "name", "key", "changes", "errors", "warnings")
    and tuple(f.default for f in fields(RowPlan)[6:]) == ((), (), ())
    and not hasattr(RowPlan, "__post_init__")
    and RowPlan.__slots__ == tuple(f.name for f in fields(RowPlan))
)


def _order(op: Operation) -> tuple[str, int]:
    return op.parsed.sheet, op.parsed.row


def _volunteer_key(p: ParsedRow):
    return None if p.errors else p.key


def _child_keys(rows: list[ParsedRow]) -> tuple[list[str], list]:
    """Each row's key (ParsedRow.key) and the key that finds the same child twice in a file."""
    keys: list[str] = []
    same: list = []
    for p in rows:
        facts = p.facts
        # ParsedRow.key, inlined: a child row's facts are ChildFacts or None.
        key = p.stored_id if facts is None else facts.id_number or ""  # type: ignore[union-attr]
        keys.append(key)
        if p.errors or (facts is None and not p.same_as_stored):
            same.append(None)
        else:
            same.append(key or ("noid", facts.name, facts.birth_date))  # type: ignore[union-attr]
    return keys, same


def _match_children(rows: list[ParsedRow], today: date, notes, lookup: Lookup) -> list[Operation]:
    keys, same = _child_keys(rows)
    later = _mark_duplicates(rows, same, notes)
    by_id, deleted, by_name = lookup.children, lookup.deleted, lookup.nameless
    ops: list[Operation] = []
    append = ops.append
    for p, key in zip(rows, keys, strict=True):
        if p.errors or (later and id(p) in later):
            append(Operation(p, SKIPPED, None))
            continue
        facts: ChildFacts = p.facts  # type: ignore[assignment]
        existing = by_id.get(key) if key else by_name.get((facts.name, facts.birth_date))
        if existing is not None and p.same_as_stored:
            append(Operation(p, UNCHANGED, facts, existing))  # _child_update's first case
            continue
        if existing is None and key not in deleted and not p.same_as_stored:
            status = (
                (p.status, p.status_date or today, p.status_reason) if p.status == "退出" else None
            )
            append(Operation(p, CREATE, facts, None, (), status))
            continue
        if existing is None and p.same_as_stored:
            # Registered when the file was checked, gone now (deleted meanwhile).
            note = Issue(
                p.sheet, p.row, "", "检查文件后这名儿童已从台账删除，本行未导入，请重新导入。"
            )
            ops.append(Operation(p, SKIPPED, None, notes=(note,)))
            continue
        if existing is None and key in deleted:
            note = Issue(
                p.sheet,
                p.row,
                "",
                "这名儿童曾从台账中删除（身份证号相同），本行未导入；如需恢复请在台账中处理。",
            )
            ops.append(Operation(p, SKIPPED, None, notes=(note,)))
            continue
        if existing is None:
            status = (
                (p.status, p.status_date or today, p.status_reason) if p.status == "退出" else None
            )
            ops.append(Operation(p, CREATE, facts, status=status))
            continue
        ops.append(_child_update(p, facts, existing, today))
    return ops


def _same(p: ParsedRow, facts: ChildFacts, existing: dict) -> bool:
    """True when every field the file filled in already holds that value (the common re-import)."""
    for name in p.present:
        if name == "categories":
            if not set(facts.categories) <= set(existing["categories"]):
                return False
        elif as_text(getattr(facts, name)) != as_text(existing[name]):
            return False
    return not p.status or p.status == existing["_status"]


def _child_update(p: ParsedRow, facts: ChildFacts, existing: dict, today: date) -> Operation:
    if p.same_as_stored or _same(p, facts, existing):
        return Operation(p, UNCHANGED, facts, existing)
    old = ChildFacts(**{k: existing[k] for k in CHILD_FACT_FIELDS})
    merged = {k: getattr(facts, k) for k in p.present if k in CHILD_FACT_FIELDS}
    # An import adds categories; taking one away is a decision made in the register itself.
    merged["categories"] = tuple(dict.fromkeys(old.categories + facts.categories))
    checked = check_child_facts(replace(old, **merged), today=today)
    clean = checked.facts if checked.ok else replace(old, **merged)
    changes = tuple(
        (name, getattr(old, name), getattr(clean, name))
        for name in CHILD_FACT_FIELDS
        if (name in p.present or name == "categories")
        and as_text(getattr(old, name)) != as_text(getattr(clean, name))
    )
    status = None
    if p.status and p.status != existing["_status"]:
        reason = p.status_reason or ("导入名单标记新增" if p.status == "在册" else "")
        status = (p.status, p.status_date or today, reason)
    action = UPDATE if changes or status else UNCHANGED
    return Operation(p, action, clean, existing, changes, status)


def _match_volunteers(rows: list[ParsedRow], notes, lookup: Lookup) -> list[Operation]:
    later = _mark_duplicates(rows, [_volunteer_key(p) for p in rows], notes)
    found = lookup.volunteers
    ops: list[Operation] = []
    for p in rows:
        if p.errors or id(p) in later:
            ops.append(Operation(p, SKIPPED, None))
            continue
        facts: VolunteerFacts = p.facts  # type: ignore[assignment]
        existing = found.get(p.key)
        if existing is None:
            ops.append(Operation(p, CREATE, facts))
            continue
        changes = []
        for name in _VOLUNTEER_FIELDS:
            if name not in p.present:
                continue
            new = getattr(facts, name)
            before = existing.get(name, "")
            if name == "identities":
                before = tuple(x for x in str(before or "").split("、") if x)
            if as_text(before) != as_text(new):
                changes.append((name, before, new))
        ops.append(Operation(p, UPDATE if changes else UNCHANGED, facts, existing, tuple(changes)))
    return ops
