"""audit: the operations log — who changed, revealed, exported or printed what, and when."""

from __future__ import annotations

import json

from carebook.cli.context import CliError
from carebook.domain.dates import parse_period
from carebook.i18n import tr
from carebook.services.audit_log import (
    LogFilter,
    action_choices,
    change_text,
    count_entries,
    log_lines,
)


def register(sub) -> list:
    audit = sub.add_parser(
        "audit", help=tr("查看操作记录（谁在什么时候改了、看了、导出或打印了什么）")
    )
    audit.add_argument(
        "--action",
        metavar="ACTION",
        help=tr(
            "只看一种操作：{choices}", choices="、".join(label for label, _k in action_choices())
        ),
    )
    audit.add_argument("--period", help=tr("时段：2026-11、2026-Q4 或 2026-01-01..2026-03-31"))
    audit.add_argument("--search", default="", help=tr("查找姓名、操作人、文件名等"))
    audit.add_argument(
        "--limit", type=int, default=50, help=tr("最多显示多少条，最新的在前（默认 50）")
    )
    audit.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
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


def run_audit(ctx, args) -> int:
    if args.limit < 1:
        raise CliError(tr("--limit 须为正整数。"))
    start = end = None
    if args.period:
        start, end = parse_period(args.period)
    wanted = LogFilter(_action_key(args.action), start, end, args.search)
    db = ctx.db()
    total = count_entries(db, wanted)
    lines = log_lines(db, wanted, limit=args.limit)
    if args.json:
        entries = [
            {
                "at": line.at.isoformat(timespec="seconds"),
                "actor": line.actor,
                "action": line.action,
                "subject": line.subject,
                "field": line.field,
                "old": line.old_value,
                "new": line.new_value,
                "source": line.source,
            }
            for line in lines
        ]
        print(json.dumps({"total": total, "entries": entries}, ensure_ascii=False, indent=2))
        return 0
    for line in lines:
        change = change_text(line)
        what = f"{line.field}：{change}" if line.field else change
        print(
            "  ".join(
                part
                for part in (
                    line.at.strftime("%Y-%m-%d %H:%M"),
                    line.actor or "-",
                    line.action,
                    line.subject,
                    what,
                    f"（{line.source}）" if line.source else "",
                )
                if part
            )
        )
    if total > len(lines):
        print(
            tr("共 {n} 条，只显示了最新的 {m} 条（用 --limit 显示更多）。", n=total, m=len(lines))
        )
    elif not lines:
        print(tr("没有符合条件的操作记录。"))
    return 0
