"""Alembic, driven from code: the migrations ship inside the package and run on open.

Opening a database that is already at head must stay quick (it happens at every start), so the
revision graph is read from the migration files' own headers and Alembic is imported only when a
migration is actually due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from carebook.storage.revisions import MIGRATIONS, revision_graph
from carebook.storage.revisions import head_revision as head_revision  # callers ask here

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    # Alembic keeps options in a ConfigParser, which reads % as the start of a placeholder: a
    # file under C:\Users\张三 is in the URL as %E5%BC%A0..., and a folder may hold a % too.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if engine is not None:
        url = engine.url.render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(engine: Engine) -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def upgrade_to(engine: Engine, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def is_known_revision(revision: str) -> bool:
    """Whether this program's migrations know the revision (a newer program's do not)."""
    return revision in revision_graph()
