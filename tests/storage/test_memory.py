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


def test_a_finished_unit_of_work_gives_back_its_page_cache(db) -> None:
    """A reading caches 16 MB at most, a transaction 64 MB; either frees its pages once it ends,
    rather than the pooled connection keeping them for the life of the window."""
    statements: list[str] = []

    def cache_kb(session) -> int:
        return -session.connection().exec_driver_sql("PRAGMA cache_size").scalar()

    with db.reading() as session:
        raw = session.connection().connection.dbapi_connection
        raw.set_trace_callback(statements.append)
        assert cache_kb(session) == 16 * 1024
        session.connection().exec_driver_sql("SELECT count(*) FROM children").scalar()
        assert "PRAGMA shrink_memory" not in statements
    assert statements[-2:] == ["PRAGMA shrink_memory", "PRAGMA cache_size=-16384"]
    with db.transaction() as session:
        assert session.connection().connection.dbapi_connection is raw  # the pooled one
        assert cache_kb(session) == 64 * 1024  # an import's lookups while it writes
        statements.clear()
    assert statements[-2:] == ["PRAGMA shrink_memory", "PRAGMA cache_size=-16384"]
    with db.reading() as session:
        assert cache_kb(session) == 16 * 1024  # back to a reading's size
    raw.set_trace_callback(None)


def test_the_registers_whole_load_caches_as_much_as_a_transaction(demo_db) -> None:
    sizes: list[str] = []
    event.listen(
        demo_db.engine,
        "before_cursor_execute",
        lambda *a: sizes.append(a[2]) if "cache_size" in a[2] else None,
    )
    RegisterIndex(demo_db).load()
    assert sizes[0] == "PRAGMA cache_size=-65536"
    with demo_db.reading() as session:  # and the next reading is back to 16 MB
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -16384
