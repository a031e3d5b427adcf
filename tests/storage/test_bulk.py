"""bulk.insert_tuples: values fixed across a chunk go in as SQL literals and store the same."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import event, insert, text

from carebook.storage import bulk
from carebook.storage.tables import Base

_COLUMNS = (
    "id", "at", "actor", "action", "entity", "entity_uid", "field", "old_value", "new_value",
    "source",
)  # fmt: skip
_NOW = datetime(2026, 11, 28, 9, 30, 15, 123456)


def _stored(db, table: str) -> list[tuple]:
    with db.reading() as session:
        names = [row[1] for row in session.execute(text(f"PRAGMA table_info({table})"))]
        terms = ", ".join(f'typeof("{n}"), "{n}"' for n in names)
        return [tuple(r) for r in session.execute(text(f"SELECT {terms} FROM {table} ORDER BY id"))]


def _core_insert(db, table: str, columns, rows) -> list[tuple]:
    """What SQLAlchemy's own executemany stores for the same rows: the reference."""
    with db.transaction() as session:
        session.execute(text(f"DELETE FROM {table}"))
        dicts = [dict(zip(columns, row, strict=True)) for row in rows]
        session.execute(insert(Base.metadata.tables[table]), dicts)
    return _stored(db, table)


def _tuples_insert(db, table: str, columns, rows) -> list[tuple]:
    with db.transaction() as session:
        session.execute(text(f"DELETE FROM {table}"))
        assert bulk.insert_tuples(session, table, columns, rows) == len(rows)
    return _stored(db, table)


AWKWARD = ["it's", "a ''quoted'' one", "?", "%s", ":name", "", "李'明", "x" * 1500, "--", "\\"]


@pytest.mark.parametrize("fixed", AWKWARD)
def test_fixed_text_with_quotes_and_markers_stores_the_same(db, fixed: str) -> None:
    rows = [
        (i, _NOW, fixed, "create", "child", f"u{i}", fixed, "", f"名{i}", "s") for i in range(1, 6)
    ]
    expected = _core_insert(db, "audit_log", _COLUMNS, rows)
    assert _tuples_insert(db, "audit_log", _COLUMNS, rows) == expected
    assert expected[0][5] == fixed and expected[0][3] == "2026-11-28 09:30:15.123456"


def test_null_int_bool_and_date_columns_store_the_same_types(db) -> None:
    # children: NULL dates, a boolean, an integer foreign key, dates processed to text.
    with db.transaction() as session:
        session.execute(
            text("INSERT INTO areas (id, level, name, code) VALUES (7, 'village', '东村', '')")
        )
    columns = (
        "id", "name", "name_pinyin", "name_initials", "search_text", "sex", "ethnicity",
        "household_address", "current_address", "school", "grade", "boarding", "health",
        "disability_type", "disability_grade", "father_name", "father_id_number", "father_status",
        "father_work_place", "father_phone", "mother_name", "mother_id_number", "mother_status",
        "mother_work_place", "mother_phone", "guardian_name", "guardian_relation",
        "guardian_phone", "guardian_id_number", "guardian_health", "guardianship_type",
        "guardianship_assessment", "support", "help_measures", "care_level", "status",
        "status_date", "status_reason", "registered_on", "notes", "last_visit_on", "next_due_on",
        "uid", "created_at", "updated_at", "deleted_at", "village_id", "birth_date",
    )  # fmt: skip
    base = {name: "" for name in columns}
    base.update(
        boarding=False, status="在册", status_date=None, registered_on=date(2026, 11, 28),
        last_visit_on=None, next_due_on=date(2026, 12, 4), created_at=_NOW, updated_at=_NOW,
        deleted_at=None, village_id=7, birth_date=date(2015, 3, 1), sex="女",
    )  # fmt: skip
    rows = [
        tuple({**base, "id": i, "name": f"孩{i}", "uid": f"{i:032x}"}[c] for c in columns)
        for i in range(1, 4)
    ]
    expected = _core_insert(db, "children", columns, rows)
    assert _tuples_insert(db, "children", columns, rows) == expected
    got = dict(
        zip(_child_names(db), zip(expected[0][0::2], expected[0][1::2], strict=True), strict=True)
    )
    assert got["boarding"] == ("integer", 0)
    assert got["village_id"] == ("integer", 7)
    assert got["status_date"] == ("null", None)
    assert got["registered_on"] == ("text", "2026-11-28")
    # The same with the values varying row to row (nothing fixed), and one row alone.
    varied = [
        (*row[:11], i % 2 == 0, *row[12:46], None if i == 2 else 7, row[47])
        for i, row in enumerate(rows, start=1)
    ]
    assert _tuples_insert(db, "children", columns, varied) == _core_insert(
        db, "children", columns, varied
    )
    assert _tuples_insert(db, "children", columns, rows[:1]) == expected[:1]


def _child_names(db) -> list[str]:
    with db.reading() as session:
        return [row[1] for row in session.execute(text("PRAGMA table_info(children)"))]


def test_fixed_columns_are_written_into_the_statement(db) -> None:
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    rows = [(i, _NOW, "it's", "b", "c", f"u{i}", "f", "", f"n{i}", "s") for i in range(1, 4)]
    _tuples_insert(db, "audit_log", _COLUMNS, rows)
    event.remove(db.engine, "before_cursor_execute", seen)
    (insert_sql,) = [s for s in statements if s.startswith("INSERT")]
    assert "VALUES (?, '2026-11-28 09:30:15.123456', 'it''s', 'b', 'c', ?, 'f', '', ?, 's')" in (
        insert_sql
    )


def test_equal_values_of_different_types_stay_apart(db) -> None:
    # 1 == 1.0 == True in Python, but bound they store '1', '1.0' and '1' in a text column.
    for values in ([1, 1.0, 1], [1, True, 1], [True, 1, 1.0], [1.0, 1, 1], [5, 5, 5]):
        rows = [
            (i, _NOW, "a", "b", "c", f"u{i}", "f", v, "n", "")
            for i, v in enumerate(values, start=1)
        ]
        expected = _core_insert(db, "audit_log", _COLUMNS, rows)
        assert _tuples_insert(db, "audit_log", _COLUMNS, rows) == expected, values


def test_chunks_each_find_their_own_fixed_columns(db, monkeypatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK", 3)
    rows = [
        (
            i,
            _NOW,
            "a" if i < 4 else f"a{i}",
            "b",
            "c",
            f"u{i}",
            "f",
            "o'o" if i > 3 else "x",
            "n",
            "",
        )
        for i in range(1, 9)
    ]
    expected = _core_insert(db, "audit_log", _COLUMNS, rows)
    assert _tuples_insert(db, "audit_log", _COLUMNS, rows) == expected


def test_sql_literal_only_for_plainly_safe_values() -> None:
    assert bulk.sql_literal(None) == "NULL"
    assert bulk.sql_literal(42) == "42"
    assert bulk.sql_literal(-7) == "-7"
    assert bulk.sql_literal(True) == "1"
    assert bulk.sql_literal("it's") == "'it''s'"
    assert bulk.sql_literal("") == "''"
    assert bulk.sql_literal(1.5) is None
    assert bulk.sql_literal(2**63) is None
    assert bulk.sql_literal("a\x00b") is None
    assert bulk.sql_literal("\ud800") is None
    assert bulk.sql_literal(b"x") is None
    assert bulk.sql_literal(date(2026, 1, 1)) is None  # a date only after its type's processor


def _spill_pages(session) -> int:
    return (
        session.connection().connection.dbapi_connection.execute("PRAGMA cache_spill").fetchone()[0]
    )


def test_a_batch_holds_its_pages_until_the_commit_then_sqlite_spills_as_before(db) -> None:
    with db.transaction() as session:
        usual = _spill_pages(session)
        bulk.hold_batch_in_memory(session)
        assert _spill_pages(session) > usual  # not 0: "off" would let the cache grow unbounded
        session.execute(text("INSERT INTO meta (key, value) VALUES ('k', 'v')"))
    with db.transaction() as session:
        assert _spill_pages(session) == usual
    with pytest.raises(RuntimeError), db.transaction() as session:
        bulk.hold_batch_in_memory(session)
        raise RuntimeError
    # A transaction again: a reading's smaller cache (16 MB) reports a lower spill point.
    with db.transaction() as session:
        assert _spill_pages(session) == usual
        assert session.execute(text("SELECT value FROM meta WHERE key = 'k'")).scalar() == "v"


def test_a_batch_interrupted_by_ctrl_c_rolls_back_without_a_second_error(db) -> None:
    # Ctrl-C inside a statement makes SQLAlchemy close the connection; putting the spill
    # setting back must not then fail on it and hide the interruption.
    with pytest.raises(KeyboardInterrupt), db.transaction() as session:
        bulk.hold_batch_in_memory(session)
        session.execute(text("INSERT INTO meta (key, value) VALUES ('k', 'v')"))
        session.connection().invalidate()
        raise KeyboardInterrupt
    with db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM meta WHERE key = 'k'")).scalar() == 0


def test_a_date_and_an_equal_datetime_stay_apart(db) -> None:
    # Both bind through DateTime's processor; only identical types may share one literal.
    day, midnight = date(2026, 11, 28), datetime(2026, 11, 28)
    for values in ([midnight, midnight, midnight], [midnight, day, midnight]):
        rows = [(i, v, "a", "b", "c", f"u{i}", "f", "", "n", "") for i, v in enumerate(values, 1)]
        try:
            expected = _core_insert(db, "audit_log", _COLUMNS, rows)
        except Exception as error:  # what the type's processor says of a bare date
            with pytest.raises(type(error)):
                _tuples_insert(db, "audit_log", _COLUMNS, rows)
        else:
            assert _tuples_insert(db, "audit_log", _COLUMNS, rows) == expected
