"""What matching reads from the register, and a check that it still reads the same at apply.

Matching a file's rows is a pure function of the rows, the day and what these lookups return.
A plan therefore keeps its matches with a witness of the lookups; applying reuses them when the
same lookups, run again inside the writing transaction, return the same, and matches afresh
otherwise (a child edited, deleted or registered between the dry run and the apply).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from carebook.services.ledger_rows import ParsedRow
from carebook.storage import import_queries as q


@dataclass(slots=True)
class Lookup:
    """The register as matching saw it: stored children and volunteers by their keys."""

    children: dict[str, dict]  # by ID number (fields plus _id, _uid, _status)
    deleted: set[str]  # ID numbers held by deleted children
    nameless: dict[tuple, dict]  # children without an ID number, by (name, birth date)
    volunteers: dict[str, dict]  # by phone
    keys: tuple[set[str], list[str], list[str]]  # what was looked up: look_up's arguments


@dataclass(frozen=True, slots=True)
class Witness:
    """A lookup in short: per key the field names seen and a hash of their values."""

    today: date
    keys: tuple[set[str], list[str], list[str]]
    children: dict[str, tuple[tuple[str, ...], int]]
    deleted: frozenset[str]
    nameless: dict[tuple, tuple[tuple[str, ...], int]]
    volunteers: dict[str, tuple[tuple[str, ...], int]]


def child_wanted(rows: list[ParsedRow]) -> tuple[set[str], list[str]]:
    """The ID numbers and (for rows without one) the names the child rows are matched by."""
    keys = [p.key for p in rows]  # a computed property: read once per row
    wanted = {k for k in keys if k}
    nameless = sorted(
        {p.facts.name for p, k in zip(rows, keys, strict=True) if not k and p.facts is not None}
    )
    return wanted, nameless


def look_up(
    session,
    wanted: set[str],
    nameless: list[str],
    phones: list[str],
    known: dict[str, dict] | None = None,
) -> Lookup:
    """Read what matching needs; `known` holds children already fetched by ID number."""
    known = known or {}
    # Unsorted: the queries give the same rows for the same keys in any order.
    children = {k: v for k, v in known.items() if k in wanted}
    children.update(q.children_by_id_numbers(session, list(wanted - children.keys())))
    missing = list(wanted - children.keys())
    deleted = q.deleted_id_numbers(session, missing) if missing else set()
    by_name = q.children_without_id(session, nameless) if nameless else {}
    volunteers = q.volunteers_by_phones(session, phones) if phones else {}
    return Lookup(children, deleted, by_name, volunteers, (wanted, nameless, phones))


def look_up_again(session, seen: Witness) -> Lookup:
    """The same lookups as the plan's, now (the keys depend on the file's rows alone)."""
    return look_up(session, *seen.keys)


def witness(lookup: Lookup, today: date) -> Witness:
    return Witness(
        today,
        lookup.keys,
        _digest(lookup.children),
        frozenset(lookup.deleted),
        _digest(lookup.nameless),
        _digest(lookup.volunteers),
    )


def still_true(seen: Witness, now: Lookup, today: date) -> bool:
    """Whether a fresh lookup (full rows) reads what the plan's lookup read on the same day.

    A plan may have taken a child from the fingerprint check, with only a few of its fields:
    those fields are compared; matching such a row never looks at the others.
    """
    return (
        seen.today == today
        and seen.deleted == now.deleted
        and _same(seen.children, now.children)
        and _same(seen.nameless, now.nameless)
        and _same(seen.volunteers, now.volunteers)
    )


def _digest(found: dict) -> dict:
    names: dict[tuple[str, ...], tuple[str, ...]] = {}
    digests = {}
    for key, values in found.items():
        fields = tuple(values)
        fields = names.setdefault(fields, fields)  # one tuple per shape, not one per child
        # A 64-bit hash of the values: a row edited in between changes it (the odds of an
        # edit keeping it are 2**-64); the values themselves would double an apply's memory.
        digests[key] = (fields, _hash(tuple(values.values())))
    return digests


def _hash(values: tuple) -> int | None:
    try:
        return hash(values)
    except TypeError:  # an unhashable value: never taken as unchanged
        return None


def _same(seen: dict, now: dict) -> bool:
    if seen.keys() != now.keys():
        return False
    for key, (fields, digest) in seen.items():
        values = now[key]
        if digest is None:
            return False
        if tuple(values) == fields:
            if _hash(tuple(values.values())) != digest:
                return False
        elif any(f not in values for f in fields) or (
            _hash(tuple(values[f] for f in fields)) != digest
        ):
            return False
    return True
