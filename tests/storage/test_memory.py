"""Memory given back after a whole-register read."""

from __future__ import annotations

from sqlalchemy import event

from carebook.services.register_query import RegisterQuery
from carebook.services.register_search import RegisterIndex
from carebook.storage.memory import release_page_cache, return_freed_memory


def test_the_register_load_frees_sqlites_page_cache(demo_db) -> None:
    statements: list[str] = []
    event.listen(
        demo_db.engine, "before_cursor_execute", lambda *a: statements.append(a[2].strip())
    )
    index = RegisterIndex(demo_db)
    assert index.load() == 300
    assert "PRAGMA shrink_memory" in statements
    # Rows loaded before the release are all still there and searchable.
    assert index.search(RegisterQuery()).total > 0


def test_releasing_twice_is_harmless(db) -> None:
    with db.reading() as session:
        release_page_cache(session)
        release_page_cache(session)
    return_freed_memory()
    return_freed_memory()
