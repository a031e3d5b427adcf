"""Backups: consistent copies, rotation, checked restores, the daily copy."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from carebook.services import backup
from carebook.services.children import register_child
from carebook.services.errors import ServiceError
from carebook.storage.database import open_database
from tests.conftest import TODAY, child_facts


def _names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT name FROM children ORDER BY id")]
    finally:
        con.close()


def test_backup_is_a_consistent_copy_taken_while_open(db, tmp_path: Path) -> None:
    register_child(db, child_facts(), today=TODAY)
    path = backup.make_backup(db, tmp_path / "backups", "import")
    assert path.name.startswith("carebook-import-")
    assert _names(path) == ["张子涵"]
    assert backup.check(db).ok


def test_restore_brings_back_the_copy_and_keeps_the_current_state_aside(
    db, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    register_child(db, child_facts(), today=TODAY)
    saved = backup.make_backup(db, folder, "manual")
    register_child(db, child_facts(name="王小明", id_number=None), today=TODAY)
    aside = backup.restore_backup(db, saved, folder)
    assert _names(aside) == ["张子涵", "王小明"]
    reopened = open_database(f"sqlite:///{db_path}", backups_dir=folder)
    try:
        assert _names(db_path) == ["张子涵"]
    finally:
        reopened.close()


def test_a_damaged_backup_is_not_restored(db, tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(Exception, match=r"损坏|未通过|不是"):
        backup.restore_backup(db, bad, tmp_path / "backups")
    not_ours = tmp_path / "other.db"
    sqlite3.connect(not_ours).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ServiceError, match="不是关爱簿的备份"):
        backup.restore_backup(db, not_ours, tmp_path / "backups")


def test_rotation_keeps_a_month_of_dailies_and_the_newest_others(tmp_path: Path) -> None:
    now = datetime(2026, 11, 28, 12, 0, 0)
    for days in range(0, 40):
        stamp = (now - timedelta(days=days)).strftime("%Y%m%d-%H%M%S")
        (tmp_path / f"carebook-daily-{stamp}.db").write_bytes(b"x")
    for n in range(backup.KEEP_PER_REASON + 5):
        stamp = (now - timedelta(hours=n)).strftime("%Y%m%d-%H%M%S")
        (tmp_path / f"carebook-import-{stamp}.db").write_bytes(b"x")
    removed = backup.rotate(tmp_path, now=now)
    left = backup.list_backups(tmp_path)
    dailies = [b for b in left if b.reason == "daily"]
    imports = [b for b in left if b.reason == "import"]
    assert len(dailies) == backup.KEEP_DAILY_DAYS + 1
    assert len(imports) == backup.KEEP_PER_REASON
    assert min(b.taken_at for b in imports) == now - timedelta(hours=backup.KEEP_PER_REASON - 1)
    assert len(removed) == 40 - len(dailies) + 5


def test_daily_backup_is_taken_once_a_day(db, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    assert backup.daily_backup(db, folder) is not None
    assert backup.daily_backup(db, folder) is None
    assert len(backup.list_backups(folder)) == 1


def test_a_backup_onto_a_full_disk_says_the_disk_is_full(db, tmp_path, monkeypatch) -> None:
    # SQLite reports a full disk as its own English error ("database or disk is full"); the
    # message showed it in brackets and asked for another folder, not for room on the disk.
    from carebook.storage import maintenance
    from carebook.storage.errors import StorageError

    register_child(db, child_facts(), today=TODAY)
    real_connect = sqlite3.connect

    def tiny_disk(*args, **kwargs):
        target = real_connect(*args, **kwargs)
        target.execute("PRAGMA max_page_count = 2")  # full after two pages, as a full disk
        return target

    monkeypatch.setattr(maintenance.sqlite3, "connect", tiny_disk)
    with pytest.raises(StorageError) as refused:
        backup.make_backup(db, tmp_path / "backups", dest=tmp_path / "u盘" / "备份.db")
    assert "磁盘已满" in str(refused.value) and "disk is full" not in str(refused.value)
    assert list((tmp_path / "u盘").iterdir()) == []
