"""export and merge: the county exchange workbook from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from carebook.cli.arguments import password
from carebook.cli.context import CliError
from carebook.cli.progress import drive
from carebook.domain.id_numbers import mask_id
from carebook.domain.phones import mask_phone
from carebook.i18n import tr
from carebook.services.audit import Origin
from carebook.services.county_apply import MergeResult, apply_merge
from carebook.services.county_exchange import ExportOptions, export_workbook
from carebook.services.county_merge import MergePlan, PasswordNeeded, plan_merge

EXIT_OK, EXIT_ERRORS, EXIT_CONFLICTS = 0, 1, 2


def register(sub) -> list:
    export = sub.add_parser("export", help=tr("导出给县里的数据交换工作簿（.xlsx）"))
    export.add_argument("out", help=tr("保存到的 .xlsx 文件"))
    export.add_argument("--township", help=tr("只导出这个乡镇"))
    export.add_argument("--village", help=tr("只导出这个村（社区）"))
    export.add_argument(
        "--period",
        help=tr("本期：2026-11、2026-Q4 或 2026-01-01..2026-06-30（走访和帮扶只含本期）"),
    )
    numbers = export.add_mutually_exclusive_group()
    # Masked unless asked, as the window's export is (设置 → 隐私 decides both).
    numbers.add_argument(
        "--mask-ids", action="store_true", help=tr("身份证号打码后导出（默认按设置，打码）")
    )
    numbers.add_argument(
        "--full-ids",
        action="store_true",
        help=tr("导出完整身份证号（县里需要核对身份证号时用），会记入日志"),
    )
    export.add_argument(
        "--password",
        type=password,
        help=tr("给工作簿设置打开密码（Excel/WPS 通用）；写 - 则在提示下输入，不留在命令记录里"),
    )
    export.add_argument("--recipient", default="县妇联", help=tr("接收单位（记入操作日志）"))
    export.add_argument("--json", action="store_true", help=tr("以 JSON 输出结果"))
    export.set_defaults(handler=run_export)
    merge = sub.add_parser("merge", help=tr("读回县里返回的交换工作簿并合并"))
    merge.add_argument("workbook", help=tr("交换工作簿 .xlsx"))
    _merge_options(merge)
    merge.set_defaults(handler=run_merge)
    return [export, merge]


def _merge_options(parser) -> None:
    parser.add_argument("--dry-run", action="store_true", help=tr("只检查并报告，不修改数据库"))
    parser.add_argument("--json", action="store_true", help=tr("以 JSON 输出结果"))
    parser.add_argument(
        "--prefer",
        choices=("ours", "theirs"),
        help=tr("双方都改过的字段：保留本机(ours)或采用县里(theirs)"),
    )
    parser.add_argument(
        "--accept-deletions", action="store_true", help=tr("县里删除的行在本机标记为已删除")
    )
    parser.add_argument(
        "--password", type=password, help=tr("工作簿的打开密码；写 - 则在提示下输入")
    )


def sender_name(settings) -> str:
    """Who the workbook comes from, as the cover sheet shows it: place and worker."""
    parts = (settings.county, settings.township, settings.worker_name)
    return " ".join(p for p in parts if p)


def _origin(ctx) -> Origin:
    return Origin(ctx.actor, "命令行")


def run_export(ctx, args) -> int:
    out = Path(args.out).expanduser().resolve()
    options = ExportOptions(
        township=args.township,
        village=args.village,
        period=args.period,
        mask_ids=args.mask_ids or (not args.full_ids and ctx.settings.mask_personal_numbers),
        password=args.password,
        recipient=args.recipient,
        sender=sender_name(ctx.settings),
    )
    result = drive(export_workbook(ctx.db(), out, options, origin=_origin(ctx)))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    rows = "，".join(f"{k} {v} 行" for k, v in result.to_json()["rows"].items())
    print(tr("已导出 {file}：{rows}", file=result.path, rows=rows))
    if result.masked_ids:
        print(tr("身份证号已打码。"))
    if result.encrypted:
        print(tr("工作簿已设打开密码。"))
    elif not result.masked_ids:
        print(
            tr(
                "注意：工作簿含完整身份证号，没有设打开密码；传出前建议用 --password 设一个，"
                "并打电话告诉县里。"
            ),
            file=sys.stderr,
        )
    return EXIT_OK


def import_exchange_workbook(ctx, args, path) -> tuple[dict, int]:
    """Merge a county workbook; the JSON object (kind "exchange") and the exit code."""
    password = getattr(args, "password", None)
    db = ctx.db()
    try:
        plan: MergePlan = drive(plan_merge(db, Path(path), password))
    except PasswordNeeded as exc:
        raise CliError(tr("{m}（用 --password 提供密码）", m=exc.message)) from None
    result: MergeResult = drive(
        apply_merge(
            db,
            plan,
            backups_dir=ctx.paths.backups_dir,
            prefer=getattr(args, "prefer", None),
            accept_deletions=bool(getattr(args, "accept_deletions", False)),
            dry_run=bool(getattr(args, "dry_run", False)),
            origin=_origin(ctx),
        )
    )
    report = merge_report(plan, result)
    if result.errors:
        code = EXIT_ERRORS
    elif result.open_conflicts:
        code = EXIT_CONFLICTS
    else:
        code = EXIT_OK
    return report, code


def merge_report(plan: MergePlan, result: MergeResult) -> dict[str, object]:
    return {
        "kind": "exchange",
        "file": str(plan.path),
        "workbook": {
            "uid": plan.meta.workbook_uid,
            "origin": plan.meta.origin_uid,
            "own": plan.own,
            "exported_at": plan.meta.exported_at,
            "masked_ids": plan.meta.masked_ids,
            "read_before": plan.previous_reads,
        },
        "rows": plan.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": result.skipped,
        "deleted": [d.to_json() for d in plan.deletions],
        "deletions_applied": result.deleted,
        "conflicts": [c.to_json() for c in plan.conflicts],
        "open_conflicts": result.open_conflicts,
        # Settled as ours at an earlier reading of this workbook, for the same value there.
        "settled_conflicts": [c.to_json() for c in plan.settled],
        "errors": result.errors,
        "warnings": result.warnings,
        "applied": result.applied,
        "backup": str(result.backup) if result.backup else None,
    }


def run_merge(ctx, args) -> int:
    report, code = import_exchange_workbook(ctx, args, Path(args.workbook).expanduser())
    return show_merge(args, report, code)


def _masked_pair(header: str, ours: str, theirs: str) -> tuple[str, str]:
    """Both sides of a conflict as the screen may show them: ID numbers and phones masked (the
    full numbers are in --json, asked for explicitly); a word when only hidden digits differ."""
    if "身份号码" in header:
        mask = mask_id
    elif "电话" in header or header == "手机":
        mask = mask_phone
    else:
        return ours, theirs
    shown = (mask(ours) if ours else "", mask(theirs) if theirs else "")
    if shown[0] == shown[1]:
        hint = tr("（隐藏的几位不同，用 --json 查看）")
        return shown[0] + hint, shown[1] + hint
    return shown


def show_merge(args, report: dict, code: int) -> int:
    """Print a merge's report (JSON or sentences) and hand back its exit code."""
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return code
    print(
        tr(
            "{file}：共 {rows} 行；新增 {c}，修改 {u}，未变 {n}，跳过 {s}。",
            file=Path(report["file"]).name,
            rows=report["rows"],
            c=report["created"],
            u=report["updated"],
            n=report["unchanged"],
            s=report["skipped"],
        )
    )
    for c in report["conflicts"]:
        for header, (ours, theirs) in c["fields"].items():
            ours, theirs = _masked_pair(header, ours, theirs)
            print(
                tr(
                    "冲突 {sheet} 第{row}行 {name} {h}：本机“{o}”，县里“{t}”",
                    sheet=c["sheet"],
                    row=c["row"],
                    name=c["name"],
                    h=header,
                    o=ours,
                    t=theirs,
                )
            )
    for d in report["deleted"]:
        print(tr("县里删除了 {sheet} 原第{row}行 {name}（编号 {uid}）", **d))
    # Say what was done with them: a second run with the options must not look like the first.
    if report["deleted"] and not getattr(args, "accept_deletions", False):
        print(tr("删除未执行：确认后加 --accept-deletions 再读一次。"))
    elif report["deletions_applied"]:
        verb = tr("已在本机标记删除") if report["applied"] else tr("将在本机标记删除")
        print(
            tr(
                "{verb} {n} 行（只作标记，记录没有抹去）。",
                verb=verb,
                n=report["deletions_applied"],
            )
        )
    settled = sum(len(c["fields"]) for c in report["conflicts"]) - report["open_conflicts"]
    if settled > 0 and getattr(args, "prefer", None):
        side = tr("县里") if args.prefer == "theirs" else tr("本机")
        print(tr("{n} 处冲突按{side}的内容处理。", n=settled, side=side))
    before = sum(len(c["fields"]) for c in report["settled_conflicts"])
    if before:
        print(tr("{n} 处冲突上次已选择保留本机内容，没有再问。", n=before))
    if report["open_conflicts"]:
        print(
            tr(
                "有 {n} 处冲突未处理，这些字段保持本机内容："
                "用 --prefer ours 或 --prefer theirs 再读一次。",
                n=report["open_conflicts"],
            )
        )
    for line in report["errors"]:
        print(tr("错误：{m}", m=line))
    for line in report["warnings"]:
        print(tr("提示：{m}", m=line))
    print(tr("（试运行，数据库未修改）") if not report["applied"] else tr("已合并。"))
    return code
