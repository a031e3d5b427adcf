"""Copies of the register taken before schema upgrades are pruned like every other backup."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from carebook.services import backup
from carebook.storage.database import backup_before_migration


def test_copies_before_migrations_are_listed_and_only_the_newest_few_kept(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    database = tmp_path / "carebook.db"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    made = backup_before_migration(database, folder, "0008")  # the name open_database gives
    now = datetime.now()
    for n in range(1, 6):
        stamp = (now - timedelta(days=30 * n)).strftime("%Y%m%d-%H%M%S")
        (folder / f"carebook-before-migration-000{n}-{stamp}.db").write_bytes(b"x")
    (folder / f"demo-before-migration-none-{now:%Y%m%d-%H%M%S}.db").write_bytes(b"x")
    (folder / "notes.db").write_bytes(b"not a backup")

    listed = backup.list_backups(folder)
    assert {b.reason for b in listed} == {"migration"} and len(listed) == 7
    assert made in [b.path for b in listed]

    removed = backup.rotate(folder, now=now)
    left = sorted(b.path.name for b in backup.list_backups(folder))
    assert len(left) == backup.KEEP_MIGRATION and len(removed) == 7 - backup.KEEP_MIGRATION
    assert made.name in left
    assert (folder / "notes.db").exists()  # not carebook's: never touched


def test_a_backup_onto_a_chosen_file_is_logged_with_who_and_where(tmp_path: Path, capsys) -> None:
    import json

    from carebook.cli import main

    db = str(tmp_path / "t.db")
    assert main(["--db", db, "demo", "--children", "5"]) == 0
    stick = tmp_path / "U盘"
    stick.mkdir()
    assert main(["--db", db, "backup", str(stick)]) == 0
    assert main(["--db", db, "backup"]) == 0  # into carebook's own folder: not an export
    capsys.readouterr()
    assert main(["--db", db, "audit", "--action", "export", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["entries"]
    assert entry["field"] == "备份" and entry["new"] == str(stick / "carebook-backup.db")
    assert entry["actor"] and entry["source"] == "命令行"
