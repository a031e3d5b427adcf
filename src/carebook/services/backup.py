"""Backups: a consistent copy on demand and before risky work, a rotating set, checked restores."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from carebook.i18n import tr
from carebook.services.audit import Origin, record
from carebook.services.errors import ServiceError
from carebook.services.progress import Job, Progress
from carebook.storage.database import Database, open_database
from carebook.storage.maintenance import CheckResult, backup_to, check_file, check_open
from carebook.storage.migrate import is_known_revision
from carebook.storage.server_snapshot import snapshot_to_file


# Replacing a county's shared data from one laptop would wipe every other computer's work since.
def server_restore_refused() -> str:
    return tr(
        "数据保存在县里的数据库服务器上，不能从本机恢复：那会抹掉其他电脑之后的全部工作。"
        "服务器的恢复请县里管理数据库的人员用服务器工具完成；本机的备份文件可以用关爱簿直接打开查看。"
    )


KEEP_DAILY_DAYS = 31
KEEP_PER_REASON = 20  # copies kept before imports, merges, restores, and by hand
# The copy open_database takes before upgrading a file's schema is wanted until the new version
# has proved itself; every child's record in each one kept for ever is not.
KEEP_MIGRATION = 3
_NAME = re.compile(r"^carebook-(?P<reason>[a-z]+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.db$")
# storage.database.backup_before_migration: <database>-before-migration-<revision>-<stamp>.db
_MIGRATION = re.compile(r"^.+-before-migration-[^-]+-(?P<stamp>\d{8}-\d{6})\.db$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    reason: str
    taken_at: datetime
    size: int


def make_backup(
    db: Database,
    backups_dir: Path,
    reason: str = "manual",
    *,
    dest: Path | None = None,
    origin: Origin | None = None,
) -> Path:
    """Copy the database to dest, or into backups_dir named by reason and time, then rotate.

    A copy onto a file the worker chose (a USB stick, another folder) is every child's record
    leaving carebook's own folder: with an origin, the log says who made it and where."""
    dest = dest or _named(backups_dir, reason)
    path = backup_to(db, dest)
    if dest.parent == backups_dir:
        rotate(backups_dir)
    elif origin is not None:
        record(db, origin, "export", "database", "", field="备份", new=str(path))
    return path


def _named(backups_dir: Path, reason: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = backups_dir / f"carebook-{reason}-{stamp}.db"
    n = 1
    while dest.exists():
        dest = backups_dir / f"carebook-{reason}-{stamp}-{n}.db"
        n += 1
    return dest


def backup_job(
    db: Database,
    backups_dir: Path,
    *,
    dest: Path | None = None,
    origin: Origin = Origin(),
) -> Job[Path]:
    """The 备份 a worker asks for, as a job: a file's copy is quick; a county server's data
    is copied table by table into a carebook file on this computer (no pg_dump needed)."""
    if db.file is not None:
        yield Progress(0, 1, tr("正在备份……"))
        return make_backup(db, backups_dir, "manual", dest=dest, origin=origin)
    dest = dest or _named(backups_dir, "manual")
    message = tr("正在把服务器上的数据复制到本机文件……")
    for done, total in snapshot_to_file(db, dest):
        yield Progress(done, total, message)
    if dest.parent == backups_dir:
        rotate(backups_dir)
    # The whole county's register now sits in a file on this computer: the log says who took it.
    record(db, origin, "backup", "database", "", new=str(dest))
    return dest


def daily_backup(db: Database, backups_dir: Path, *, today: datetime | None = None) -> Path | None:
    """At most one daily copy a day: taken when the app opens and none exists for today."""
    today = today or datetime.now()
    if any(
        b.reason == "daily" and b.taken_at.date() == today.date() for b in list_backups(backups_dir)
    ):
        return None
    return make_backup(db, backups_dir, "daily")


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    found = []
    for path in backups_dir.glob("*.db") if backups_dir.exists() else []:
        match = _NAME.match(path.name)
        migration = None if match else _MIGRATION.match(path.name)
        if match or migration:
            stamp = (match or migration)["stamp"]
            reason = match["reason"] if match else "migration"
            taken = datetime.strptime(stamp, "%Y%m%d-%H%M%S")
            found.append(BackupInfo(path, reason, taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def rotate(backups_dir: Path, *, now: datetime | None = None) -> list[Path]:
    """Keep daily copies for a month and the newest few of every other reason; delete the rest."""
    now = now or datetime.now()
    removed: list[Path] = []
    kept_per_reason: dict[str, int] = {}
    for info in list_backups(backups_dir):
        if info.reason == "daily":
            drop = now - info.taken_at > timedelta(days=KEEP_DAILY_DAYS)
        else:
            kept_per_reason[info.reason] = kept_per_reason.get(info.reason, 0) + 1
            keep = KEEP_MIGRATION if info.reason == "migration" else KEEP_PER_REASON
            drop = kept_per_reason[info.reason] > keep
        if drop:
            info.path.unlink(missing_ok=True)
            removed.append(info.path)
    return removed


def check(db: Database) -> CheckResult:
    return check_open(db)


def restore_backup(db: Database, backup: Path, backups_dir: Path) -> Path:
    """Replace the database with a checked backup; the current state is copied aside first.

    The database is closed by this call: open it again afterwards.
    """
    if db.file is None:
        raise ServiceError(server_restore_refused())
    if backup.is_dir():
        raise ServiceError(tr("{name} 是文件夹，请选择一个备份文件（.db）。", name=backup))
    result = check_file(backup)
    if not result.ok:
        raise ServiceError(
            tr(
                "备份文件 {name} 未通过检查，不能恢复：{problems}",
                name=backup.name,
                problems=tr("；").join(result.integrity),
            )
        )
    if result.revision is None:
        raise ServiceError(tr("文件 {name} 不是关爱簿的备份。", name=backup.name))
    if not is_known_revision(result.revision):
        raise ServiceError(tr("备份 {name} 来自更新版本的关爱簿，请先升级程序。", name=backup.name))
    database_file = db.file
    aside = make_backup(db, backups_dir, "beforerestore")
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(str(database_file) + suffix).unlink(missing_ok=True)
    shutil.copy2(backup, database_file)
    return aside


def audit_restore(db: Database, backup: Path, origin: Origin = Origin()) -> None:
    record(db, origin, "restore", "database", "", new=backup.name)


def restore_and_record(
    db: Database, backup: Path, backups_dir: Path, origin: Origin = Origin()
) -> Path:
    """restore_backup, then the restore written into the restored database's own log (it would
    be lost with the replaced one). db is closed afterwards; returns where the old data went."""
    database_file = db.file
    aside = restore_backup(db, backup, backups_dir)
    with open_database(f"sqlite:///{database_file}", backups_dir=backups_dir) as reopened:
        audit_restore(reopened, backup, origin)
    return aside
