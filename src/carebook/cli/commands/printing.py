"""`carebook print ...`: visit sheets and records, case files, rosters, due and sign-in lists."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from carebook.cli.arguments import days
from carebook.cli.context import CliError
from carebook.cli.progress import drive
from carebook.i18n import tr
from carebook.services.audit import Origin

if TYPE_CHECKING:
    from carebook.services import printing as jobs

CLI_SOURCE = "命令行"


def register(sub) -> list:
    top = sub.add_parser("print", help=tr("打印走访表、档案、花名册等 A4 PDF"))
    kinds = top.add_subparsers(dest="print_kind", metavar="KIND", required=True)

    sheets = kinds.add_parser("visit-sheets", help=tr("空白走访记录表，每名儿童一页"))
    _out(sheets)
    sheets.add_argument(
        "--child", action="append", default=[], metavar="ID", help=tr("身份证号或儿童编号，可重复")
    )
    _place(sheets)
    sheets.add_argument("--due", action="store_true", help=tr("只打印应走访（含逾期）的儿童"))
    sheets.add_argument(
        "--within",
        type=days,
        default=None,
        metavar="DAYS",
        help=tr("与 --due 同用：几天内应访（默认 30）"),
    )
    _reveal(sheets)
    sheets.set_defaults(handler=run_visit_sheets)

    record = kinds.add_parser("visit-record", help=tr("已录入的走访记录，按走访表格式打印存档"))
    _out(record)
    record.add_argument(
        "--visit",
        required=True,
        action="append",
        metavar="UID",
        help=tr("走访记录编号，可重复（如一次家庭走访的几名儿童）"),
    )
    _reveal(record)
    record.set_defaults(handler=run_visit_record)

    case = kinds.add_parser("case-file", help=tr("儿童档案（一人一档）"))
    _out(case)
    case.add_argument("--child", required=True, metavar="ID", help=tr("身份证号或儿童编号"))
    _reveal(case)
    case.set_defaults(handler=run_case_file)

    roster = kinds.add_parser("roster", help=tr("花名册（横向）"))
    _out(roster)
    _place(roster)
    _reveal(roster)
    roster.set_defaults(handler=run_roster)

    due = kinds.add_parser("due-list", help=tr("待走访 / 逾期儿童名单"))
    _out(due)
    due.add_argument(
        "--within", type=days, default=30, metavar="DAYS", help=tr("几天内应访（默认 30，含逾期）")
    )
    due.add_argument("--overdue", action="store_true", help=tr("只列已逾期的儿童"))
    due.add_argument("--never-visited", action="store_true", help=tr("只列从未走访的儿童"))
    due.add_argument("--volunteer", metavar="NAME", help=tr("只列出与这位爱心妈妈结对的儿童"))
    _place(due)
    _reveal(due)
    due.set_defaults(handler=run_due_list)

    sign_in = kinds.add_parser("sign-in", help=tr("活动签到表"))
    _out(sign_in)
    sign_in.add_argument("--activity", required=True, metavar="UID", help=tr("活动编号"))
    sign_in.set_defaults(handler=run_sign_in, full_ids=False, full_phones=False)
    return [top, sheets, record, case, roster, due, sign_in]


def _out(parser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT.pdf", help=tr("要写入的 PDF 文件"))


def _place(parser) -> None:
    parser.add_argument("--village", metavar="V", help=tr("只打印这个村（社区）"))
    parser.add_argument("--township", metavar="T", help=tr("只打印这个乡镇"))


def _reveal(parser) -> None:
    parser.add_argument(
        "--full-ids", action="store_true", help=tr("打印完整身份证号（默认隐藏中间位），会记入日志")
    )
    parser.add_argument(
        "--full-phones",
        action="store_true",
        help=tr("打印完整电话号码（默认隐藏中间位），会记入日志"),
    )


def _jobs():
    """The print services, imported on use: other commands start without loading reportlab."""
    from carebook.services import printing

    return printing


def _options(ctx, args) -> jobs.PrintOptions:
    if args.out.suffix.lower() != ".pdf":
        raise CliError(tr("输出文件应以 .pdf 结尾：{path}", path=args.out))
    origin = Origin(ctx.actor, CLI_SOURCE)
    return _jobs().PrintOptions.from_settings(
        ctx.settings, origin, full_ids=args.full_ids, full_phones=args.full_phones
    )


def _report(result: jobs.PrintResult) -> int:
    if result.font_note:
        print(tr("注意：{note}", note=result.font_note), file=sys.stderr)
    print(tr("已生成 {path}：共 {pages} 页。", path=result.path, pages=result.pages))
    return 0


def run_visit_sheets(ctx, args) -> int:
    jobs = _jobs()
    options = _options(ctx, args)
    if args.within is not None and not args.due:
        raise CliError(tr("--within 只能与 --due 一起使用。"))
    if args.child and (args.village or args.township or args.due):
        raise CliError(tr("--child 不能与 --village、--township、--due 同时使用。"))
    db = ctx.db()
    ids = jobs.select_children(
        db,
        keys=args.child,
        village=args.village,
        township=args.township,
        due=args.due,
        within_days=30 if args.within is None else args.within,
        today=options.today,
    )
    if not ids:
        raise CliError(tr("没有符合条件的儿童，未生成文件。"))
    return _report(drive(jobs.visit_sheets(db, args.out, ids, options)))


def run_visit_record(ctx, args) -> int:
    jobs = _jobs()
    options = _options(ctx, args)
    return _report(drive(jobs.visit_record(ctx.db(), args.out, args.visit, options)))


def run_case_file(ctx, args) -> int:
    jobs = _jobs()
    options = _options(ctx, args)
    return _report(drive(jobs.case_file(ctx.db(), args.out, args.child, options)))


def run_roster(ctx, args) -> int:
    jobs = _jobs()
    options = _options(ctx, args)
    job = jobs.roster(ctx.db(), args.out, options, village=args.village, township=args.township)
    return _report(drive(job))


def run_due_list(ctx, args) -> int:
    from carebook.services.schedule import DueQuery

    jobs = _jobs()
    options = _options(ctx, args)
    query = DueQuery(
        options.day,
        within_days=None if args.never_visited else args.within,
        overdue_only=args.overdue,
        never_visited=args.never_visited,
        village=args.village,
        township=args.township,
        volunteer=args.volunteer,
    )
    return _report(drive(jobs.due_list(ctx.db(), args.out, options, query)))


def run_sign_in(ctx, args) -> int:
    jobs = _jobs()
    options = _options(ctx, args)
    return _report(drive(jobs.sign_in(ctx.db(), args.out, args.activity, options)))
