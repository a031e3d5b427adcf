"""A county server's data copied into a carebook file on this computer: backup without pg_dump.

The copy is one read-only REPEATABLE READ transaction, so it is the data as of one moment while
other computers go on working; the file is a complete carebook database (same schema, same
revision) that `carebook --db FILE` opens on any laptop, and that `check` can verify.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from carebook.paths import probe_writable, write_refused
from carebook.storage.bulk import insert_tuples
from carebook.storage.database import Database
from carebook.storage.errors import StorageError
from carebook.storage.migrate import current_revision, upgrade_to_head
from carebook.storage.server_errors import server_error
from carebook.storage.tables import Base

CHUNK = 5000


def snapshot_to_file(db: Database, target: Path) -> Iterator[tuple[int, int]]:
    """Copy every table into a new SQLite file at target; yields (rows copied, rows in all).

    Written to target.part and renamed at the end: a failure or a cancel leaves no half file.
    """
    tmp = target.with_suffix(target.suffix + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        probe_writable(tmp)
        tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise StorageError(write_refused(target, exc)) from None
    local = create_engine(f"sqlite:///{tmp}")
    finished = False
    try:
        upgrade_to_head(local)  # the schema as the program makes it, at the server's revision
        yield from _copy_rows(db, local)
        if current_revision(local) is None:  # never: upgrade_to_head wrote it
            raise StorageError(write_refused(target, OSError("no revision")))
        local.dispose()
        tmp.replace(target)
        finished = True
    except DBAPIError as exc:
        said = server_error(exc, db.engine.url)
        if said is not None:
            raise said from exc
        raise StorageError(write_refused(target, OSError(None, str(exc.orig)))) from exc
    except OSError as exc:
        raise StorageError(write_refused(target, exc)) from exc
    finally:
        local.dispose()
        if not finished:
            tmp.unlink(missing_ok=True)


def _copy_rows(db: Database, local) -> Iterator[tuple[int, int]]:
    tables = Base.metadata.sorted_tables  # parents before the rows that refer to them
    with db.engine.connect() as server, local.begin() as out:
        # One moment's data, while other computers go on saving.
        server.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = [server.scalar(select(func.count()).select_from(t)) or 0 for t in tables]
        total, done = sum(counts), 0
        yield done, total
        writer = Session(bind=out)
        for table in tables:
            columns = [c.name for c in table.columns]
            rows = server.execution_options(stream_results=True, yield_per=CHUNK).execute(
                select(table).order_by(*table.primary_key.columns)
            )
            for part in rows.partitions(CHUNK):
                # Bound by the column types as SQLAlchemy binds them (dates as its ISO text).
                insert_tuples(writer, table.name, columns, [tuple(row) for row in part])
                done += len(part)
                yield done, total
        server.rollback()
