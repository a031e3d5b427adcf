"""The migrations' revision graph, read from the files' own headers (stdlib only, no Alembic).

Kept apart from migrate.py so a quick start can tell whether a database is at head without
importing SQLAlchemy.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^revision(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?::[^=]*)?=\s*(None|['\"]([^'\"]+)['\"])", re.MULTILINE)


@cache
def revision_graph() -> dict[str, str | None]:
    """{revision: down_revision} as the migration files declare them."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            raise RuntimeError(f"migration {path.name} declares no revision")
        graph[revision.group(1)] = down.group(2)
    return graph


def head_revision() -> str:
    graph = revision_graph()
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()
