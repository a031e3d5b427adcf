"""Fast inserts for large batches (demo county, imports): Core executemany, explicit ids."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from carebook.storage.tables import Base

CHUNK = 5000


def next_id(session: Session, table_name: str) -> int:
    table = Base.metadata.tables[table_name]
    return (session.scalar(select(func.max(table.c.id))) or 0) + 1


def insert_rows(session: Session, table_name: str, rows: Sequence[dict[str, object]]) -> int:
    """Insert dict rows into a table in chunks, inside the caller's transaction."""
    table = Base.metadata.tables[table_name]
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), list(rows[start : start + CHUNK]))
    return len(rows)
