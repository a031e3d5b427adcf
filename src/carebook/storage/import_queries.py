"""What the ledger importer reads and writes: children by ID, volunteers by phone, profiles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, aliased

from carebook.storage.bulk import sql_literal
from carebook.storage.tables import (
    Area,
    Child,
    ChildCategory,
    ImportFingerprint,
    ImportProfile,
    Volunteer,
)

_IN_CHUNK = 900  # below SQLite's bound-parameter limit on old builds
_SCAN_ALL = 3000
CHILD_COLUMNS = (
    "name", "sex", "ethnicity", "id_number", "birth_date", "household_address", "current_address",
    "school", "grade", "boarding", "health", "disability_type", "disability_grade",
    "father_name", "father_id_number", "father_status", "father_work_place", "father_phone",
    "mother_name", "mother_id_number", "mother_status", "mother_work_place", "mother_phone",
    "guardian_name", "guardian_relation", "guardian_phone", "guardian_id_number",
    "guardian_health", "guardianship_type", "guardianship_assessment", "support",
    "help_measures", "care_level", "notes",
)  # fmt: skip
VOLUNTEER_COLUMNS = (
    "name",
    "sex",
    "phone",
    "identities",
    "work_unit",
    "skills",
    "team_name",
    "notes",
)


def _chunks(values: Sequence, size: int = _IN_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _child_query():
    town, village = aliased(Area), aliased(Area)
    columns = [getattr(Child, name) for name in CHILD_COLUMNS]
    return (
        select(Child.id, Child.uid, Child.status, town.name, village.name, *columns)
        .join(village, Child.village_id == village.id, isouter=True)
        .join(town, village.parent_id == town.id, isouter=True)
        .where(Child.deleted_at.is_(None))
    )


_ID_NUMBER_AT = 5 + CHILD_COLUMNS.index("id_number")  # in a row of _child_query


def _child_rows(session: Session, query, wanted=None) -> list[dict[str, object]]:
    """The children the query finds as field dicts; with `wanted`, only those ID numbers."""
    found = []
    # Core execution: plain rows, none of the ORM's per-row bookkeeping (50,000 rows at a time).
    connection = session.connection()
    # Fetched in batches: iterating a result row by row costs a fetchone call per child.
    rows = (row for part in connection.execute(query).partitions(5000) for row in part)
    for row in rows:
        if wanted is not None and row[_ID_NUMBER_AT] not in wanted:
            continue  # before building its dict: a big register is read whole
        values = dict(zip(CHILD_COLUMNS, row[5:], strict=True))
        values.update(
            _id=row[0], _uid=row[1], _status=row[2], township=row[3] or "", village=row[4] or ""
        )
        found.append(values)
    ids = [v["_id"] for v in found]
    categories: dict[int, list[str]] = {}
    if len(ids) >= _SCAN_ALL:
        wanted_ids = set(ids)
        everything = connection.execute(
            select(ChildCategory.child_id, ChildCategory.category).order_by(
                ChildCategory.child_id, ChildCategory.position
            )
        )
        for child_id, label in (row for part in everything.partitions(5000) for row in part):
            if child_id in wanted_ids:
                categories.setdefault(child_id, []).append(label)
        ids = []
    for part in _chunks(ids):
        for child_id, label in connection.execute(
            select(ChildCategory.child_id, ChildCategory.category)
            .where(ChildCategory.child_id.in_(part))
            .order_by(ChildCategory.child_id, ChildCategory.position)
        ):
            categories.setdefault(child_id, []).append(label)
    for values in found:
        values["categories"] = tuple(categories.get(values["_id"], ()))
    return found


def children_by_id_numbers(session: Session, numbers: Sequence[str]) -> dict[str, dict]:
    """Stored children with these ID numbers: field values plus _id, _uid, _status."""
    result: dict[str, dict] = {}
    if len(numbers) >= _SCAN_ALL:
        # A big file: one pass over the register beats dozens of IN lists.
        wanted = set(numbers)
        query = _child_query().where(Child.id_number.is_not(None))
        return {str(v["id_number"]): v for v in _child_rows(session, query, wanted)}
    for part in _chunks(list(numbers)):
        for values in _child_rows(session, _child_query().where(Child.id_number.in_(part))):
            result[str(values["id_number"])] = values
    return result


def fingerprinted_children(
    session: Session, numbers: Sequence[str], today: date
) -> dict[str, tuple[str, dict[str, object]]]:
    """ID number -> (fingerprint, the child's _id/_uid/_status/id_number/name) for children
    whose remembered row fingerprint still holds: untouched since, checked on or before today."""
    connection = session.connection()
    wanted = set(numbers)
    if connection.dialect.paramstyle == "qmark":
        rows = _fingerprint_rows_sqlite(connection, wanted, today)
    else:
        rows = _fingerprint_rows(connection, wanted, today)
    return {
        row[0]: (row[1], dict(zip(_FINGERPRINTED, row[2:], strict=True)))
        for row in rows
        if row[0] in wanted
    }


def _fingerprint_rows_sqlite(connection, wanted: set[str], today: date) -> list:
    # Plain driver rows: a re-import reads one per child, SQLAlchemy's row processing doubled it.
    sql = (
        "SELECT c.id_number, f.fingerprint, c.id_number, c.name, c.id, c.uid, c.status "
        # CROSS JOIN keeps this order: each fingerprint, then its child by primary key (0.24 s
        # for 50,000); SQLite's own choice walked an index of children first (0.45 s).
        f"FROM {ImportFingerprint.__tablename__} f CROSS JOIN children c ON c.id = f.child_id "
        "WHERE c.deleted_at IS NULL AND c.id_number IS NOT NULL "
        "AND f.child_updated_at = c.updated_at AND f.checked_on <= ?"
    )
    day = today.isoformat()  # how SQLAlchemy's Date stores a day in SQLite
    if len(wanted) >= _SCAN_ALL:
        return connection.exec_driver_sql(sql, (day,)).fetchall()
    rows = []
    for part in _chunks(sorted(wanted)):
        marks = ", ".join("?" * len(part))
        query = f"{sql} AND c.id_number IN ({marks})"
        rows += connection.exec_driver_sql(query, (day, *part)).fetchall()
    return rows


def _fingerprint_rows(connection, wanted: set[str], today: date) -> list:
    """The same rows as _fingerprint_rows_sqlite, on any database (PostgreSQL)."""
    f = ImportFingerprint
    # The raw query's columns: the key, the fingerprint, then _FINGERPRINTED's fields.
    columns = (Child.id_number, f.fingerprint, Child.id_number, Child.name, Child.id, Child.uid)
    query = (
        select(*columns, Child.status)
        .join_from(f, Child, Child.id == f.child_id)
        .where(
            Child.deleted_at.is_(None),
            Child.id_number.is_not(None),
            f.child_updated_at == Child.updated_at,
            f.checked_on <= today,
        )
    )
    if len(wanted) >= _SCAN_ALL:
        return list(connection.execute(query))
    rows = []
    for part in _chunks(sorted(wanted)):
        rows += connection.execute(query.where(Child.id_number.in_(part))).all()
    return rows


_FINGERPRINTED = ("id_number", "name", "_id", "_uid", "_status")


def save_fingerprints(session: Session, rows: Sequence[tuple[str, str]], today: date) -> None:
    """Remember (ID number, fingerprint) of rows just applied, against the child's updated_at."""
    if not rows:
        return
    table = ImportFingerprint.__table__
    if session.connection().dialect.paramstyle != "qmark":
        _replace_fingerprints(session, rows, None, today)
        return
    # One statement per row, all in C: the child's id and updated_at come from the register.
    sql = (
        f"INSERT OR REPLACE INTO {table.name} "
        "(child_id, fingerprint, child_updated_at, checked_on) "
        "SELECT id, ?, updated_at, ? FROM children WHERE id_number = ? AND deleted_at IS NULL"
    )
    day = today.isoformat()  # how SQLAlchemy's Date stores a day in SQLite
    session.connection().exec_driver_sql(sql, [(fp, day, number) for number, fp in rows])


def save_new_fingerprints(
    session: Session, rows: Sequence[tuple[int, str]], updated_at: datetime, today: date
) -> None:
    """save_fingerprints for children just inserted: (row id, fingerprint), their updated_at."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.paramstyle != "qmark":
        _replace_fingerprints(session, rows, updated_at, today)
        return
    table = ImportFingerprint.__table__
    # The stamp bound as the children's insert bound it, so it equals their updated_at.
    dialect = connection.dialect
    process = Child.__table__.c.updated_at.type.dialect_impl(dialect).bind_processor(dialect)
    stamp = process(updated_at) if process is not None else updated_at
    day = today.isoformat()  # how SQLAlchemy's Date stores a day in SQLite
    # The same stamp and day in every row: written once into the statement, the rows bind
    # only their (row id, fingerprint) pairs as given.
    fixed = [sql_literal(stamp), sql_literal(day)]
    if None in fixed:
        fixed, rows = ["?", "?"], [(row_id, fp, stamp, day) for row_id, fp in rows]
    sql = (
        f"INSERT OR REPLACE INTO {table.name} "
        f"(child_id, fingerprint, child_updated_at, checked_on) VALUES (?, ?, {', '.join(fixed)})"
    )
    connection.exec_driver_sql(sql, rows if isinstance(rows, list) else list(rows))


def _replace_fingerprints(session: Session, rows, updated_at: datetime | None, today: date) -> None:
    """save_fingerprints (updated_at None: rows by ID number) or save_new_fingerprints (rows by
    row id) on any database (PostgreSQL): the same rows through Core statements."""
    connection = session.connection()
    fingerprints: dict[int, tuple[str, datetime]] = {}
    if updated_at is None:
        by_number = dict(rows)
        for part in _chunks(list(by_number)):
            query = select(Child.id_number, Child.id, Child.updated_at).where(
                Child.id_number.in_(part), Child.deleted_at.is_(None)
            )
            for number, child_id, stamp in connection.execute(query):
                fingerprints[child_id] = (by_number[number], stamp)
    else:
        fingerprints = {child_id: (fp, updated_at) for child_id, fp in rows}
    ids = list(fingerprints)
    for part in _chunks(ids):
        connection.execute(delete(ImportFingerprint).where(ImportFingerprint.child_id.in_(part)))
    values = [
        {"child_id": i, "fingerprint": fp, "child_updated_at": stamp, "checked_on": today}
        for i, (fp, stamp) in fingerprints.items()
    ]
    if values:
        connection.execute(insert(ImportFingerprint), values)


def deleted_id_numbers(session: Session, numbers: Sequence[str]) -> set[str]:
    """ID numbers held by deleted children (the number stays taken)."""
    found: set[str] = set()
    if len(numbers) >= _SCAN_ALL:
        # A big file: the few deleted children, read at once, beat dozens of IN lists.
        wanted = set(numbers)
        query = select(Child.id_number).where(
            Child.deleted_at.is_not(None), Child.id_number.is_not(None)
        )
        return {n for n in session.connection().execute(query).scalars() if n in wanted}
    for part in _chunks(list(numbers)):
        query = select(Child.id_number).where(
            Child.id_number.in_(part), Child.deleted_at.is_not(None)
        )
        found.update(session.connection().execute(query).scalars())
    return found


def children_without_id(session: Session, names: Sequence[str]) -> dict[tuple, dict]:
    """Children with no ID number, keyed by (name, birth date) for rows that have none either."""
    result: dict[tuple, dict] = {}
    for part in _chunks(list(names)):
        query = _child_query().where(Child.id_number.is_(None), Child.name.in_(part))
        for values in _child_rows(session, query):
            result[(values["name"], values["birth_date"])] = values
    return result


def child_by_row_id(session: Session, child_id: int) -> Child | None:
    return session.get(Child, child_id)


def set_status(session: Session, child_id: int, status: str, on, reason: str, now) -> None:
    session.execute(
        update(Child)
        .where(Child.id == child_id)
        .values(
            status=status,
            status_date=on,
            status_reason=reason,
            updated_at=now,
            **({"next_due_on": None} if status != "在册" else {}),
        )
    )


def volunteers_by_phones(session: Session, phones: Sequence[str]) -> dict[str, dict]:
    town, village = aliased(Area), aliased(Area)
    columns = [getattr(Volunteer, name) for name in VOLUNTEER_COLUMNS]
    result: dict[str, dict] = {}
    for part in _chunks(list(phones)):
        query = (
            select(Volunteer.id, Volunteer.uid, town.name, village.name, *columns)
            .join(village, Volunteer.area_id == village.id, isouter=True)
            .join(town, village.parent_id == town.id, isouter=True)
            .where(Volunteer.deleted_at.is_(None), Volunteer.phone.in_(part))
        )
        for row in session.connection().execute(query):
            values = dict(zip(VOLUNTEER_COLUMNS, row[4:], strict=True))
            values.update(_id=row[0], _uid=row[1], township=row[2] or "", village=row[3] or "")
            result[str(values["phone"])] = values
    return result


def update_volunteer(session: Session, volunteer_id: int, values: dict[str, object]) -> None:
    session.execute(update(Volunteer).where(Volunteer.id == volunteer_id).values(**values))


def profile_mapping(session: Session, signature: str) -> dict | None:
    return session.scalar(
        select(ImportProfile.mapping).where(ImportProfile.header_signature == signature)
    )


def save_profile(session: Session, signature: str, mapping: dict, now: datetime) -> None:
    profile = session.scalar(
        select(ImportProfile).where(ImportProfile.header_signature == signature)
    )
    if profile is None:
        session.add(ImportProfile(header_signature=signature, mapping=mapping, updated_at=now))
    else:
        profile.mapping, profile.updated_at = dict(mapping), now
    session.flush()
