"""backup, restore and check: keeping the database file safe."""

from __future__ import annotations

from pathlib import Path

from carebook.cli.context import CliError
from carebook.i18n import tr
from carebook.services.audit import Origin
from carebook.services.backup import check, make_backup, restore_and_record


def register(sub) -> list:
    backup = sub.add_parser("backup", help=tr("备份数据库"))
    backup.add_argument("dest", nargs="?", help=tr("备份文件路径（默认放在备份文件夹）"))
    backup.set_defaults(handler=run_backup)
    restore = sub.add_parser("restore", help=tr("从备份恢复数据库"))
    restore.add_argument("file", help=tr("备份文件"))
    restore.set_defaults(handler=run_restore)
    chk = sub.add_parser("check", help=tr("检查数据库完整性和外键"))
    chk.set_defaults(handler=run_check)
    return [backup, restore, chk]


def run_backup(ctx, args) -> int:
    dest = Path(args.dest).expanduser().resolve() if args.dest else None
    if dest is not None and dest.is_dir():
        dest = dest / "carebook-backup.db"
    origin = Origin(ctx.actor, "命令行")
    path = make_backup(ctx.db(), ctx.paths.backups_dir, "manual", dest=dest, origin=origin)
    print(tr("已备份到 {path}", path=path))
    return 0


def run_restore(ctx, args) -> int:
    source = Path(args.file).expanduser().resolve()
    if not source.exists():
        raise CliError(tr("备份文件 {f} 不存在。", f=source))
    db = ctx.db()
    origin = Origin(ctx.actor, "命令行")
    aside = restore_and_record(db, source, ctx.paths.backups_dir, origin)
    ctx.forget_db()
    print(tr("已从 {src} 恢复；恢复前的数据库已另存为 {aside}", src=source.name, aside=aside))
    return 0


def run_check(ctx, args) -> int:
    result = check(ctx.db())
    if result.ok:
        print(tr("数据库完好：完整性检查通过，外键无问题（版本 {rev}）。", rev=result.revision))
        return 0
    for line in result.integrity if result.integrity != ["ok"] else []:
        print(tr("完整性问题：{p}", p=line))
    for line in result.foreign_key_problems:
        print(tr("外键问题：{p}", p=line))
    return 1
