"""A quick start: the writer's lock and the register's first page, before SQLAlchemy is imported.

The window shows these rows at once; finish_open() then opens the database fully (pragmas, the
schema check, the ORM) under the same lock, right after the first paint. Only for a SQLite file
already at this program's schema: anything else takes the ordinary open (quick_start is None).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from carebook.paths import sqlite_url
from carebook.services.register_query import FIRST_ROWS, RegisterRow, register_order
from carebook.services.register_rows import build_rows
from carebook.storage.locking import DatabaseLock
from carebook.storage.quick_read import read_first_page

if TYPE_CHECKING:
    from carebook.storage.database import Database


@dataclass
class QuickStart:
    """The database file, the writer's lock already held on it, and its first rows."""

    file: Path
    lock: DatabaseLock
    rows: list[RegisterRow]


def quick_start(
    file: Path, *, limit: int = FIRST_ROWS, today: date | None = None
) -> QuickStart | None:
    """Take the writer's lock and read the first page; None when the quick path does not apply.

    Raises DatabaseInUseError like open_database when another program holds the lock.
    """
    if not file.is_file():
        return None
    lock = DatabaseLock(file)
    lock.acquire()  # before any row shows: nothing can be edited without it
    try:
        page = read_first_page(file, limit)
    except BaseException:
        lock.release()
        raise
    if page is None:
        lock.release()
        return None
    rows, _keys = build_rows(page.rows, page.categories, page.volunteers, today or date.today())
    return QuickStart(file, lock, sorted(rows, key=register_order))


def finish_open(start: QuickStart, backups_dir: Path) -> Database:
    """Open the database fully, keeping the quick start's lock (released if opening fails)."""
    from carebook.storage.database import open_database

    try:
        return open_database(sqlite_url(start.file), backups_dir=backups_dir, lock=start.lock)
    except BaseException:
        start.lock.release()  # open_database releases it too, except for its earliest refusals
        raise


def abandon(start: QuickStart) -> None:
    """Let go of the lock of a quick start that will not be finished."""
    start.lock.release()
