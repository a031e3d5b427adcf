"""Children's data at rest: owner-only files and folders, and no old values left in free pages."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from carebook.domain.id_numbers import make_id
from carebook.paths import app_paths
from carebook.services.backup import make_backup
from carebook.services.children import register_child, update_child
from carebook.settings import Settings, save_settings
from carebook.storage.database import open_database
from tests.conftest import child_facts

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_data_folders_database_backups_and_settings_are_the_owners_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAREBOOK_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir(mode=0o755)
    (tmp_path / "home" / "logs").mkdir(mode=0o755)  # an older version's folder, open to all
    os.umask(old := os.umask(0o022))
    try:
        paths = app_paths().ensure()
        for folder in (paths.data_dir, paths.log_dir, paths.backups_dir):
            assert _mode(folder) == 0o700, folder
        db = open_database(f"sqlite:///{paths.default_database}", backups_dir=paths.backups_dir)
        try:
            register_child(db, child_facts())
            assert _mode(paths.default_database) == 0o600
            wal = Path(str(paths.default_database) + "-wal")
            assert wal.exists() and _mode(wal) == 0o600  # SQLite gives it the database's mode
            backup = make_backup(db, paths.backups_dir, "manual")
            assert _mode(backup) == 0o600
            elsewhere = make_backup(db, paths.backups_dir, dest=tmp_path / "U盘" / "copy.db")
            assert _mode(elsewhere) == 0o600
        finally:
            db.close()
        save_settings(Settings(worker_name="李红"), paths.settings_file)
        assert _mode(paths.settings_file) == 0o600
    finally:
        os.umask(old)


def _file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = Path(str(path) + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_a_corrected_id_number_and_phone_leave_no_trace_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    wrong = make_id("140725", date(2015, 3, 12), 24)
    right = make_id("140725", date(2015, 3, 12), 26)
    db = open_database(f"sqlite:///{path}", backups_dir=tmp_path / "backups")
    try:
        record = register_child(db, child_facts(id_number=wrong, guardian_phone="13912340001"))
        with db.reading() as session:  # the old page must be on disk before the change
            session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert wrong.encode() in _file_bytes(path)
        update_child(db, record.uid, child_facts(id_number=right, guardian_phone="13912340002"))
    finally:
        db.close()
    data = _file_bytes(path)
    assert right.encode() in data
    assert wrong.encode() not in data
    assert b"13912340001" not in data


def test_every_connection_asks_for_secure_delete() -> None:
    """Debian's SQLite zeroes freed space by default, the sqlite3 of Python for Windows does
    not: the pragma must be asked for on each connection, whatever the build's default."""
    from carebook.storage.database import _sqlite_pragmas

    said: list[str] = []

    class Cursor:
        def execute(self, sql: str) -> None:
            said.append(sql.replace(" ", "").lower())

        def close(self) -> None:
            pass

    class Connection:
        def cursor(self) -> Cursor:
            return Cursor()

    _sqlite_pragmas(Connection(), None)
    assert "pragmasecure_delete=on" in said
