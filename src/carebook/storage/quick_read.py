"""The register's first page read with the sqlite3 module alone, read-only, before anything else.

A start shows these rows while SQLAlchemy is still being imported and the database opened for
writing. Anything unusual (no file, not SQLite, not at this program's schema revision) answers
None: the ordinary open then does its full work and gives its clear message.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from carebook.storage import register_sql as sql
from carebook.storage.revisions import head_revision


@dataclass(frozen=True)
class FirstPage:
    """Raw register rows (ROW_COLUMNS order) with their categories and active volunteers."""

    rows: list[tuple]
    categories: dict[int, list[str]]
    volunteers: dict[int, list[str]]


def read_first_page(path: Path, limit: int) -> FirstPage | None:
    """The first `limit` children in register order, or None when a quick read does not apply."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return None
        # mode=ro: this connection can never write, whatever happens before the real open.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        found = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if [tuple(r) for r in found] != [(head_revision(),)]:
            return None  # needs migrating (or is newer): the full open decides
        ids = sql.first_child_ids(connection, limit)
        return FirstPage(
            list(sql.register_rows(connection, ids)),
            sql.categories_by_child(connection, ids),
            sql.active_volunteers_by_child(connection, ids),
        )
    except sqlite3.Error:
        return None
    finally:
        connection.close()
