"""import: read civil-affairs ledgers (xlsx, xls, ods, csv) into the register, with a dry run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from carebook.cli.arguments import password
from carebook.cli.context import CliError
from carebook.cli.progress import drive
from carebook.i18n import tr
from carebook.paths import probe_writable, write_refused


def register(sub) -> list:
    parser = sub.add_parser(
        "import",
        help=tr("导入民政、乡镇发来的台账（xlsx、xls、ods、csv）"),
        description=tr(
            "先检查每一行并列出计划；不加 --dry-run 时备份数据库后一次写入。有错误的行不导入。"
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help=tr("要导入的表格文件"))
    parser.add_argument("--dry-run", action="store_true", help=tr("只检查并显示计划，不写入"))
    parser.add_argument("--json", action="store_true", help=tr("每个文件输出一个 JSON 对象"))
    parser.add_argument("--sheet", metavar="NAME", help=tr("只导入这个工作表"))
    parser.add_argument("--category", metavar="LABEL", help=tr("表中没有类别列时使用的儿童类别"))
    parser.add_argument("--township", metavar="NAME", help=tr("表中没有乡镇列时使用的乡镇"))
    parser.add_argument("--village", metavar="NAME", help=tr("表中没有村列时使用的村（社区）"))
    parser.add_argument(
        "--report", metavar="OUT.xlsx", help=tr("把有问题的行连同问题说明写入这个工作簿")
    )
    parser.add_argument(
        "--password",
        metavar="PW",
        type=password,
        help=tr("加密工作簿的打开密码；写 - 则在提示下输入"),
    )
    parser.add_argument("--strict", action="store_true", help=tr("任何一行有错误就整个文件不导入"))
    # Used by the county-workbook merge (exchange workbooks carry a _carebook sheet).
    parser.add_argument(
        "--prefer", choices=("ours", "theirs"), help=tr("合并县工作簿时，冲突以哪一方为准")
    )
    parser.add_argument(
        "--accept-deletions", action="store_true", help=tr("合并县工作簿时接受对方的删除")
    )
    parser.set_defaults(handler=run_import)
    return [parser]


def run_import(ctx, args) -> int:
    reports = [_report_path(args.report, n, i, len(args.files)) for i, n in enumerate(args.files)]
    for report in reports:
        _check_report_path(report)
    status = 0
    for name, report in zip(args.files, reports, strict=True):
        status = max(status, _import_one(ctx, args, Path(name), report))
    return status


def _check_report_path(report: Path | None) -> None:
    """A report that cannot be written is refused before any file is imported: found only
    afterwards, the import would have gone in with its summary never shown."""
    if report is None:
        return
    if report.is_dir():
        raise CliError(tr("{path} 是文件夹，请给出报告的 .xlsx 文件名。", path=report))
    try:
        report.parent.mkdir(parents=True, exist_ok=True)
        probe_writable(report)
    except OSError as exc:
        raise CliError(write_refused(report, exc)) from None


def _report_path(report: str | None, name: str, index: int, count: int) -> Path | None:
    if not report:
        return None
    path = Path(report)
    if count == 1:
        return path
    # Several files: one report each, named after the file it describes.
    return path.with_name(f"{path.stem}-{Path(name).stem}{path.suffix or '.xlsx'}")


def _import_one(ctx, args, path: Path, report: Path | None = None) -> int:
    """Plan (and unless --dry-run apply) one file; 0 all rows in or unchanged, 1 otherwise."""
    # Imported here: every other command starts without the spreadsheet libraries.
    from carebook.services.audit import Origin
    from carebook.services.county_exchange import is_exchange_workbook
    from carebook.services.ledger_import import ImportOptions, apply_import, build_plan
    from carebook.services.ledger_plan import ImportRefused
    from carebook.services.ledger_report import write_error_report

    if is_exchange_workbook(path, args.password):
        # A workbook carebook wrote (it has the _carebook sheet) is merged, not imported.
        from carebook.cli.commands.exchange import (
            EXIT_CONFLICTS,
            import_exchange_workbook,
            show_merge,
        )

        code = show_merge(args, *import_exchange_workbook(ctx, args, path))
        # For `import`, 2 means a usage error: rows left in conflict did not go in, which is 1.
        return 1 if code == EXIT_CONFLICTS else code
    options = ImportOptions(
        sheet=args.sheet,
        category=args.category,
        township=args.township,
        village=args.village,
        password=args.password,
        strict=args.strict,
    )
    db = ctx.db()
    try:
        plan = drive(build_plan(db, path, options))
        if not args.dry_run:
            origin = Origin(ctx.actor, "")
            drive(
                apply_import(
                    db, plan, backups_dir=ctx.paths.backups_dir, origin=origin, strict=args.strict
                )
            )
    except ImportRefused as exc:
        if args.json:
            print(json.dumps({"file": path.name, "refused": exc.message}, ensure_ascii=False))
        else:
            print(
                tr("carebook: {file}：{message}", file=path.name, message=exc.message),
                file=sys.stderr,
            )
        return 1
    if report is not None:
        write_error_report(
            plan, report, password=args.password, db=db, origin=Origin(ctx.actor, "命令行")
        )
    if args.json:
        print(json.dumps(plan.to_json(), ensure_ascii=False))
    else:
        _print_plan(plan, args.dry_run, report)
    return 1 if plan.errors else 0


def _print_plan(plan, dry_run: bool, report: Path | None) -> None:
    from carebook.services.ledger_plan import ACTION_LABELS

    counts = plan.counts
    print(tr("文件：{file}", file=plan.file))
    for sheet in plan.sheets:
        if sheet.skipped:
            print(tr("  工作表“{name}”：跳过（{reason}）", name=sheet.name, reason=sheet.reason))
            continue
        kind = tr("爱心妈妈名单") if sheet.kind == "volunteer" else tr("儿童名单")
        rows = "、".join(str(n) for n in sheet.header_rows)
        print(
            tr(
                "  工作表“{name}”：{kind}，表头在第 {rows} 行，数据 {n} 行",
                name=sheet.name,
                kind=kind,
                rows=rows,
                n=sheet.rows,
            )
        )
        for note in sheet.notes:
            print(f"    {note}")
    summary = "，".join(f"{tr(ACTION_LABELS[k])} {counts[k]}" for k in ACTION_LABELS)
    print(tr("  共 {n} 行：{summary}", n=len(plan.rows), summary=summary))
    for row in plan.rows:
        if row.action == "update":
            changed = "；".join(f"{c.field} {c.old or '（空）'} → {c.new}" for c in row.changes)
            print(
                tr("  第 {row} 行 {name}：{changed}", row=row.row, name=row.name, changed=changed)
            )
    for label, issues in ((tr("错误"), plan.errors), (tr("提醒"), plan.warnings)):
        for issue in issues:
            column = f"[{issue.column}] " if issue.column else ""
            print(f"  {label} {issue.sheet} 第 {issue.row} 行 {column}{issue.message}")
    if dry_run:
        print(tr("  这是试运行，数据库没有改动。"))
    elif plan.applied and plan.errors:
        print(tr("  已导入。有错误的行没有导入，改正后可以再次导入同一文件。"))
    elif plan.applied:
        print(tr("  已导入。"))
    if report is not None and (plan.errors or plan.warnings):
        print(tr("  问题行已写入 {path}", path=report))
    elif report is not None:
        print(tr("  没有发现问题，报告 {path} 中只有表头和这句说明。", path=report))
