"""audit: the operations log — who changed, revealed, exported or printed what, and when."""

from __future__ import annotations

import json
from pathlib import Path

from carebook.cli.arguments import positive_int
from carebook.cli.context import CliError
from carebook.cli.progress import drive
from carebook.domain.dates import parse_period
from carebook.domain.errors import DomainError
from carebook.domain.id_numbers import normalize_id
from carebook.i18n import tr
from carebook.services.audit import Origin
from carebook.services.audit_log import (
    LogFilter,
    LogLine,
    action_choices,
    change_text,
    count_entries,
    export_log,
    log_lines,
)


def register(sub) -> list:
    audit = sub.add_parser(
        "audit", help=tr("查看操作记录（谁在什么时候改了、看了、导出或打印了什么）")
    )
    audit.add_argument("--child", metavar="ID", help=tr("只看这名儿童（身份证号或儿童编号）"))
    audit.add_argument(
        "--action",
        metavar="ACTION",
        help=tr(
            "只看一种操作：{choices}",
            choices="、".join(label for label, _key in action_choices()),
        ),
    )
    audit.add_argument("--actor", metavar="NAME", help=tr("只看这个人做的操作"))
    audit.add_argument("--period", help=tr("时段：2026-11、2026-Q4 或 2026-01-01..2026-03-31"))
    audit.add_argument("--search", default="", help=tr("查找姓名、操作人、文件名等"))
    audit.add_argument(
        "--limit",
        type=positive_int,
        default=50,
        help=tr("最多显示多少条，最新的在前（默认 50）"),
    )
    audit.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    audit.add_argument(
        "--csv",
        metavar="OUT.csv",
        help=tr("把符合条件的全部记录存为 CSV 文件（不受 --limit 限制），导出本身也记入日志"),
    )
    audit.set_defaults(handler=run_audit)
    return [audit]


def _action_key(text: str | None) -> str | None:
    """The action's key from its key (reveal) or its words (查看完整号码)."""
    if not text:
        return None
    for label, key in action_choices():
        if text.strip() in (label, key):
            return key
    raise CliError(
        tr(
            "没有“{action}”这种操作，可以是：{choices}。",
            action=text,
            choices="、".join(label for label, _key in action_choices()),
        )
    )


def _child_uid(ctx, key: str) -> str:
    """The child's uid from an ID number, or the key itself taken as a child number (uid)."""
    from carebook.services.children import find_by_id_number

    try:
        number = normalize_id(key)
    except DomainError:
        number = ""
    uid = find_by_id_number(ctx.db(), number) if len(number) == 18 else None
    return uid or key.strip().lower()


def run_audit(ctx, args) -> int:
    start = end = None
    if args.period:
        start, end = parse_period(args.period)
    action = _action_key(args.action)
    db = ctx.db()
    uid = _child_uid(ctx, args.child) if args.child else None
    if uid and not count_entries(db, LogFilter(uid=uid)):
        raise CliError(tr("操作日志中没有这名儿童的记录，请核对身份证号或儿童编号。"))
    wanted = LogFilter(action, start, end, args.search, uid, args.actor)
    if args.csv:
        target = Path(args.csv).expanduser().resolve()
        n = drive(export_log(db, wanted, target, origin=Origin(ctx.actor, "命令行")))
        print(tr("已导出 {n} 条记录到 {path}", n=n, path=target))
        return 0
    total = count_entries(db, wanted)
    lines = log_lines(db, wanted, limit=args.limit)
    if args.json:
        entries = [_as_json(line) for line in lines]
        print(json.dumps({"total": total, "entries": entries}, ensure_ascii=False, indent=2))
        return 0
    for line in lines:
        print(_as_text(line))
    if total > len(lines):
        print(
            tr("共 {n} 条，只显示了最新的 {m} 条（用 --limit 显示更多）。", n=total, m=len(lines))
        )
    elif not lines:
        print(tr("没有符合条件的操作记录。"))
    return 0


def _as_text(line: LogLine) -> str:
    change = change_text(line)
    # A registration's or a print's entry repeats the name or the field as its value: once.
    if change in (line.field, line.name):
        change = ""
    what = f"{line.field}：{change}" if line.field and change else line.field or change
    parts = (
        line.at.strftime("%Y-%m-%d %H:%M"),
        line.actor or tr("（未署名）"),
        line.action,
        line.subject,
        what,
        f"[{line.source}]" if line.source else "",
    )
    return "  ".join(part for part in parts if part)


def _as_json(line: LogLine) -> dict[str, object]:
    return {
        "at": line.at.isoformat(timespec="seconds"),
        "actor": line.actor,
        "action": line.kind,
        "action_label": line.action,
        "entity": line.entity,
        "uid": line.uid,
        "name": line.name,
        "field": line.field,
        "old": line.old_value,
        "new": line.new_value,
        "source": line.source,
    }
