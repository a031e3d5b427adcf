"""Alembic environment: runs with the engine carebook.storage.migrate hands over."""

from alembic import context
from sqlalchemy import create_engine

from carebook.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            # Python's sqlite3 runs CREATE/ALTER outside any transaction, so an upgrade cut short
            # (Ctrl-C, a power cut) left half a schema that no later start could migrate ("index
            # already exists"). SQLite's DDL is transactional: one BEGIN makes it all or nothing.
            connection.exec_driver_sql("BEGIN")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("carebook migrations run online only")
run_migrations()
