"""The same program on PostgreSQL: migrations, services, statistics and the demo by URL."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest

from carebook.services.children import exit_register, register_child, update_child
from carebook.services.demo import build_demo
from carebook.services.errors import DuplicateChildError
from carebook.services.progress import run_to_end
from carebook.services.schedule import due_children
from carebook.services.statistics import period_figures
from carebook.services.stats import register_stats
from carebook.storage.database import open_database
from carebook.storage.errors import StorageError
from tests.conftest import TODAY, child_facts
from tests.storage.postgres_server import postgres_cluster

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url():
    # Not under pytest's tmp dir: that is private to root, and the cluster runs as "postgres".
    folder = Path(tempfile.mkdtemp(prefix="carebook-pg-"))
    try:
        with postgres_cluster(folder) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_services_and_figures_work_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    db = open_database(pg_url, backups_dir=tmp_path)
    try:
        record = register_child(db, child_facts(), today=TODAY)
        with pytest.raises(DuplicateChildError):
            register_child(db, child_facts(name="重复"), today=TODAY)
        update_child(db, record.uid, child_facts(school="宗艾小学"), today=TODAY)
        exit_register(db, record.uid, on=TODAY, reason="迁出")
        run_to_end(build_demo(db, children=80, seed=5, today=TODAY))
        stats = register_stats(db)
        assert stats.total == 81 and stats.exited >= 1
        assert due_children(db, today=TODAY, within_days=None)
        figures = period_figures(db, date(2026, 1, 1), date(2026, 12, 31), today=TODAY)
        assert figures.visits_in_period > 0 and 0 < figures.pairing_coverage <= 1
    finally:
        db.close()


def test_reopening_postgresql_runs_no_migration_and_backups_say_use_pg_dump(
    pg_url: str, tmp_path: Path
) -> None:
    from carebook.storage.maintenance import backup_to

    db = open_database(pg_url, backups_dir=tmp_path)
    try:
        with pytest.raises(StorageError, match="pg_dump"):
            backup_to(db, tmp_path / "x.db")
    finally:
        db.close()
