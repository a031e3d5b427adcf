"""Fast inserts for large batches (demo county, imports): driver executemany, explicit ids."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from operator import itemgetter

from sqlalchemy import Date, DateTime, event, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from carebook.storage.tables import Base

CHUNK = 5000


def next_id(session: Session, table_name: str) -> int:
    """The first id of a batch numbered by the caller: one past the table's largest.

    On PostgreSQL, other computers may add rows meanwhile (SQLite has one writer at a time):
    the table is locked against other writers until this transaction ends, so nobody takes
    the batch's ids; readers go on. _sync_id_sequence moves the id sequence past the batch.
    """
    table = Base.metadata.tables[table_name]
    lock_against_writers(session, table_name)
    return (session.scalar(select(func.max(table.c.id))) or 0) + 1


def lock_against_writers(session: Session, table_name: str) -> None:
    """On PostgreSQL, keep other computers from writing the table until this transaction ends
    (they wait; readers go on). SQLite has one writer at a time anyway.

    Taken before a batch checks what the table holds: what another import committed while
    this one waited is then seen, not inserted a second time.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.quote
        connection.exec_driver_sql(f"LOCK TABLE {quote(table_name)} IN SHARE ROW EXCLUSIVE MODE")


def new_uids(count: int) -> list[str]:
    """`count` new uids as tables.new_uid makes them (random UUID4 hex), in sorted order.

    Sorted, a batch's uids go into the unique uid index (and the audit log's) one after the
    other instead of at random places: far fewer index pages touched per row.
    """
    # What uuid4().hex gives, from one call for random bytes: version 4, RFC 4122 variant.
    pool = os.urandom(16 * count)
    uids = []
    for start in range(0, 16 * count, 16):
        raw = bytearray(pool[start : start + 16])
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        uids.append(raw.hex())
    uids.sort()
    return uids


def drop_secondary_indexes(session: Session, table_name: str) -> list[tuple[str, object]]:
    """Drop a table's plain indexes inside the caller's transaction; returns how to rebuild them.

    For a batch as large as the table, building an index once over the sorted rows costs a
    fraction of inserting every row into it at a random place. Unique and primary-key indexes
    stay (they check the rows as they go in). The transaction is opened here if no statement
    has opened it yet, so a rollback (a failure, a cancel) brings the indexes back with the rows.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return []
    raw = connection.connection.dbapi_connection
    if raw is None:
        return []
    if not raw.in_transaction:
        # pysqlite opens its transaction at the first INSERT/UPDATE/DELETE only: a DROP INDEX
        # before any would be committed on the spot.
        connection.exec_driver_sql("BEGIN")
    found = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name",
        (table_name,),
    ).fetchall()
    # DROP INDEX also deletes the planner's statistics of the index: keep them to put back.
    has_stats = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).first()
    stats = (
        connection.exec_driver_sql(
            "SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl = ?", (table_name,)
        ).fetchall()
        if has_stats
        else []
    )
    names = {name for name, _sql in found}
    quote = connection.dialect.identifier_preparer.quote
    for name, _sql in found:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    return [
        *(("stat", tuple(row)) for row in stats if row[1] in names),
        *(("index", sql) for _name, sql in found),
    ]


def create_indexes(session: Session, dropped: Sequence) -> None:
    """Rebuild what drop_secondary_indexes dropped, in the same transaction."""
    connection = session.connection()
    for kind, what in dropped:
        if kind == "stat":  # before the index: building it reloads the schema and its stats
            connection.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", what)
        else:
            connection.exec_driver_sql(what)


# What a large batch's changed pages may hold in memory before SQLite writes them out early.
# 256 MB gained no more time than 128 MB and cost 90 MB more at the peak of 200,000 rows.
_BATCH_CACHE_BYTES = 128 * 1024 * 1024


def hold_batch_in_memory(session: Session) -> None:
    """Keep up to 128 MB of a large batch's changed pages in memory until the commit.

    Past the page cache (64 MB) SQLite spills changed pages into the WAL mid-transaction and
    writes them again as the batch goes on changing them: 50,000 new children (64 MB) spilled
    0.3 s of work. The commit writes and syncs the same pages either way (durability as
    before); the setting goes back to SQLite's own at the commit or rollback.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is None:
        return
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    # Odd: SQLite reads the number as a yes/no too, and one that ends in a zero byte is "no".
    raw.execute(f"PRAGMA cache_spill = {(_BATCH_CACHE_BYTES // page_size) | 1}")

    def restore(_connection) -> None:
        # Closed under a Ctrl-C (SQLAlchemy invalidates it): the setting went with it.
        with contextlib.suppress(sqlite3.ProgrammingError):
            raw.execute("PRAGMA cache_spill = 1")  # SQLite's own: spill once the cache is full

    event.listen(connection, "commit", restore, once=True)
    event.listen(connection, "rollback", restore, once=True)


def table_rows(session: Session, table_name: str) -> int:
    table = Base.metadata.tables[table_name]
    return session.scalar(select(func.count()).select_from(table)) or 0


def insert_rows(session: Session, table_name: str, rows: Sequence[dict[str, object]]) -> int:
    """Insert dict rows into a table in chunks, inside the caller's transaction."""
    if not rows:
        return 0
    table = Base.metadata.tables[table_name]
    connection = session.connection()
    if connection.dialect.name == "postgresql" and _copy_rows(connection, table, rows):
        _sync_id_sequence(connection, table, rows[0])
        return len(rows)
    plan = _driver_plan(table, connection.dialect, rows[0])
    for start in range(0, len(rows), CHUNK):
        part = rows[start : start + CHUNK]
        if plan is None:
            session.execute(insert(table), list(part))
        else:
            sql, convert = plan
            connection.exec_driver_sql(sql, [convert(row) for row in part])
    _sync_id_sequence(connection, table, rows[0])
    return len(rows)


def insert_tuples(
    session: Session, table_name: str, columns: Sequence[str], rows: Sequence[tuple]
) -> int:
    """insert_rows for rows given as tuples in `columns` order: no dict is built per row.

    A column holding one value in every row of a chunk (the batch's timestamp, NULL, a blank
    field the file lacks) goes into the statement once as an SQL literal: on wide rows the
    driver's binding of every value costs more than SQLite's insert, and a literal of the
    same text or integer stores the same value and type.
    """
    if not rows:
        return 0
    connection = session.connection()
    table = Base.metadata.tables[table_name]
    missing = [c for c in table.columns if c.name not in columns and c.default is not None]
    if connection.dialect.paramstyle != "qmark" or missing:
        return insert_rows(session, table_name, [dict(zip(columns, r, strict=True)) for r in rows])
    dialect = connection.dialect
    processors = [_processor(table.c[name], dialect) for name in columns]
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES "
    for start in range(0, len(rows), CHUNK):
        part = rows[start : start + CHUNK]
        values, bound = _split_constants(part, processors)
        connection.exec_driver_sql(f"{head}({', '.join(values)})", bound)
    return len(rows)


def _sync_id_sequence(connection, table, columns) -> None:
    """After rows went in with ids of our own, move PostgreSQL's id sequence past them.

    SQLite takes the next id from the table itself; PostgreSQL from a sequence that explicit ids
    do not advance, so the next row added one at a time (a child registered by hand) would be
    given an id already taken.
    """
    if connection.dialect.name != "postgresql" or "id" not in columns or "id" not in table.c:
        return
    sequence = func.pg_get_serial_sequence(table.name, "id")
    highest = select(func.max(table.c.id)).scalar_subquery()
    connection.execute(select(func.setval(sequence, highest)))


def sql_literal(value: object) -> str | None:
    """`value` (as bound, after its type's processor) as an SQLite literal that stores exactly
    what binding it would; None for anything not plainly safe to write into a statement."""
    if value is None:
        return "NULL"
    kind = type(value)
    if kind is int or kind is bool:
        # Outside 64 bits a literal would turn into a REAL where binding raises: not here.
        return str(int(value)) if -(2**63) <= value < 2**63 else None
    if kind is str and len(value) <= 1000 and "\x00" not in value:
        try:
            value.encode("utf-8")  # a lone surrogate: let binding say what is wrong
        except UnicodeEncodeError:
            return None
        return "'" + value.replace("'", "''") + "'"
    return None


def _split_constants(rows: Sequence[tuple], processors: Sequence) -> tuple[list[str], list]:
    """The VALUES terms ("?" or a literal per column) and the rows holding only the "?" ones,
    bound as the types' own processors would (dates as text, booleans as 0/1)."""
    count = len(rows)
    columns: list = list(zip(*rows, strict=True))
    terms: list[str] = []
    varying: list = []
    for i, column in enumerate(columns):
        first = column[0]
        process = processors[i]
        # The last value first: most varying columns differ there, and count() scans them all.
        # Equal is not enough where True == 1 == 1.0 bind as 1, 1 and 1.0: beyond text and
        # NULL, every row must hold a value of the same type too.
        if (
            column[-1] == first
            and column.count(first) == count
            and (first is None or type(first) is str or len(set(map(type, column))) == 1)
        ):
            literal = sql_literal(first if process is None else process(first))
            if literal is not None:
                terms.append(literal)
                continue
        terms.append("?")
        varying.append(column if process is None else _processed(column, process))
    if not varying:  # every value fixed: still one row per input row
        return terms, [()] * count
    return terms, list(zip(*varying, strict=True))


def _processed(column: Sequence, process: Callable) -> list:
    """One column through its bind processor, each distinct value once where it is memoised."""
    memo = getattr(process, "memo", None)
    try:
        missing = set(column).difference(memo) if memo is not None else None
    except TypeError:  # unhashable: let the type's own processor say what is wrong
        missing = None
    if missing is None:
        return list(map(process, column))
    if len(memo) + len(missing) > 10_000:
        memo.clear()
        missing = set(column)
    for value in missing:
        memo[value] = process.__wrapped__(value)
    return list(map(memo.__getitem__, column))


def _copy_rows(connection, table, rows: Sequence[dict[str, object]]) -> bool:
    """PostgreSQL's COPY for a batch, in the caller's transaction; False if it cannot be used.

    psycopg's executemany sends one INSERT per row: two thirds of the demo county's time on a
    server went there. COPY streams the rows as one statement, bound as _driver_plan binds them.
    """
    plan = _row_converter(table, connection.dialect, rows[0])
    raw = connection.connection.dbapi_connection
    if plan is None or raw is None or not hasattr(raw, "cursor"):
        return False
    columns, convert = plan
    quote = connection.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) FROM STDIN"
    try:
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(convert(row))
    except connection.dialect.dbapi.Error as exc:
        # As SQLAlchemy wraps a statement's error (IntegrityError ...), without the rows' values:
        # the caller's transaction turns it into a sentence, and the message never shows an ID.
        raise DBAPIError.instance(
            sql, None, exc, connection.dialect.dbapi.Error, hide_parameters=True
        ) from exc
    return True


def _driver_plan(table, dialect, first: dict[str, object]):
    """The INSERT and a row -> tuple converter that binds values as SQLAlchemy would.

    Core's executemany builds and processes a parameter dict per row, which costs more than
    SQLite's insert itself; converting per column with the types' own bind processors gives
    the same stored values. None when a missing column needs a computed default (use Core).
    """
    if dialect.paramstyle != "qmark":
        return None
    plan = _row_converter(table, dialect, first)
    if plan is None:
        return None
    columns, convert = plan
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    return sql, convert


def _row_converter(table, dialect, first: dict[str, object]):
    """(columns, row -> tuple in their order, bound by the types' processors), or None when a
    column the rows lack needs a computed default."""
    names = list(first)
    fixed: list[tuple[str, object]] = []
    for column in table.columns:
        if column.name in first or column.default is None:
            continue
        if not column.default.is_scalar:
            return None
        fixed.append((column.name, column.default.arg))
    columns = [table.c[name] for name in names] + [table.c[name] for name, _ in fixed]
    processors: list[Callable | None] = [_processor(c, dialect) for c in columns]
    defaults = tuple(value for _name, value in fixed)
    tail = processors[len(names) :]
    defaults = tuple(p(v) if p else v for p, v in zip(tail, defaults, strict=True))
    converters = [(i, p) for i, p in enumerate(processors[: len(names)]) if p is not None]
    get = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))

    def convert(row: dict[str, object]) -> tuple[object, ...]:
        values = get(row)
        if converters:
            values = list(values)
            for i, process in converters:
                values[i] = process(values[i])
        return (*values, *defaults)

    return columns, convert


def _processor(column, dialect) -> Callable | None:
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None or not isinstance(column.type, Date | DateTime):
        return process
    # A batch repeats the same few dates and one timestamp (now): format each once.
    memo: dict[object, object] = {}

    def cached(value: object) -> object:
        try:
            return memo[value]
        except TypeError:  # unhashable: let the type's own processor say what is wrong
            return process(value)
        except KeyError:
            if len(memo) > 10_000:
                memo.clear()
            result = memo[value] = process(value)
            return result

    cached.memo = memo  # type: ignore[attr-defined]
    cached.__wrapped__ = process  # type: ignore[attr-defined]
    return cached
