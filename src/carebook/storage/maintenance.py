"""SQLite upkeep: consistent copies with the backup API, integrity and foreign-key checks."""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from carebook.i18n import tr
from carebook.paths import create_private_file, probe_writable, write_refused
from carebook.storage.database import Database
from carebook.storage.errors import DatabaseDamagedError, StorageError


@dataclass(frozen=True)
class CheckResult:
    integrity: list[str]
    foreign_key_problems: list[str]
    revision: str | None

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and not self.foreign_key_problems


def _require_sqlite(db: Database) -> Path:
    if db.file is None:
        raise StorageError(tr("备份和恢复只适用于本机 SQLite 数据库；PostgreSQL 请用 pg_dump。"))
    return db.file


def backup_to(db: Database, target: Path) -> Path:
    """A consistent copy of the open database, taken while it stays in use."""
    _require_sqlite(db)
    tmp = target.with_suffix(target.suffix + ".part")
    try:  # sqlite3 says only "unable to open database file" about a folder it cannot write
        target.parent.mkdir(parents=True, exist_ok=True)
        probe_writable(tmp)
        create_private_file(tmp)  # a copy of every child's record: the owner's alone
    except OSError as exc:
        raise StorageError(write_refused(target, exc)) from None
    raw = db.engine.raw_connection()
    try:
        dest = sqlite3.connect(tmp)
        try:
            raw.driver_connection.backup(dest)
        finally:
            dest.close()
        tmp.replace(target)
    except (OSError, sqlite3.Error) as exc:  # e.g. the disk filled up: no half copy stays
        tmp.unlink(missing_ok=True)
        reason = exc if isinstance(exc, OSError) else _as_os_error(exc)
        raise StorageError(write_refused(target, reason)) from exc
    finally:
        raw.close()
    return target


def _as_os_error(exc: sqlite3.Error) -> OSError:
    """SQLite's error as the OSError write_refused explains: its "database or disk is full"
    (SQLITE_FULL) is a full disk, to be said so, not shown in English."""
    if getattr(exc, "sqlite_errorcode", None) == _SQLITE_FULL or "disk is full" in str(exc):
        return OSError(errno.ENOSPC, str(exc))
    return OSError(None, str(exc))


_SQLITE_FULL = 13


def check_file(path: Path) -> CheckResult:
    """Integrity, foreign keys and schema revision of a database file that is not open."""
    if not path.exists():
        raise StorageError(tr("文件 {path} 不存在。", path=path))
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise DatabaseDamagedError(tr("文件 {name} 不是关爱簿的数据库。", name=path.name))
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _check(con)
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(
            tr("文件 {name} 已损坏：{reason}", name=path.name, reason=exc)
        ) from exc
    finally:
        con.close()


def check_open(db: Database) -> CheckResult:
    if db.file is None:
        raise StorageError(
            tr("检查数据库只适用于本机 SQLite 数据库；PostgreSQL 请用服务器自己的检查工具。")
        )
    raw = db.engine.raw_connection()
    try:
        return _check(raw.driver_connection)
    finally:
        raw.close()


def _check(con: sqlite3.Connection) -> CheckResult:
    integrity = [row[0] for row in con.execute("PRAGMA integrity_check")]
    problems = [
        tr("{table} 第 {rowid} 行引用了不存在的 {parent}", table=table, rowid=rowid, parent=parent)
        for table, rowid, parent, _ in con.execute("PRAGMA foreign_key_check")
    ]
    try:
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        revision = None
    return CheckResult(integrity, problems, revision[0] if revision else None)
