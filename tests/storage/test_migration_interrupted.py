"""An upgrade cut short leaves the database as it was, so the next start upgrades it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from carebook.storage.database import open_database
from carebook.storage.migrate import current_revision, head_revision, upgrade_to


def test_ctrl_c_halfway_through_an_upgrade_changes_nothing(tmp_path):
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    old = create_engine(url)
    upgrade_to(old, "0001")
    old.dispose()

    def interrupt(conn, cursor, statement, *args):
        # 0005 creates two indexes: stop after the first one went in.
        if "ix_visits_day_live" in statement:
            raise KeyboardInterrupt

    event.listen(Engine, "before_cursor_execute", interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            open_database(url, backups_dir=tmp_path / "backups")
    finally:
        event.remove(Engine, "before_cursor_execute", interrupt)
    check = create_engine(url)
    assert current_revision(check) == "0001"
    with check.connect() as connection:
        names = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
    check.dispose()
    assert "ix_visits_child_visited" not in names  # the first index went back out too
    with open_database(url, backups_dir=tmp_path / "backups") as db:
        assert current_revision(db.engine) == head_revision()
