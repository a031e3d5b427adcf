"""audit: who revealed, exported, printed, imported or changed what, newest first."""

from __future__ import annotations

import json

from carebook.cli.arguments import positive_int
from carebook.cli.context import CliError
from carebook.domain.errors import DomainError
from carebook.domain.id_numbers import normalize_id
from carebook.i18n import tr

# The log's action words as a worker reads them (the child's file shows the same ones).
_MORE_ACTIONS = {"end": "结束结对", "renew": "续签结对", "restore": "恢复数据库"}
_ENTITIES = {
    "child": "儿童",
    "volunteer": "爱心妈妈",
    "pairing": "结对",
    "visit": "走访",
    "assistance": "帮扶",
    "activity": "活动",
    "workbook": "交换工作簿",
    "database": "数据库",
    "statistics": "统计",
}


def register(sub) -> list:
    parser = sub.add_parser("audit", help=tr("查看操作日志：谁在何时查看、导出、打印、修改了什么"))
    parser.add_argument("--child", metavar="ID", help=tr("只看这名儿童（身份证号或儿童编号）"))
    parser.add_argument(
        "--action",
        choices=sorted(_action_labels()),
        help=tr("只看这一种操作（reveal 查看完整号码、export 导出、print 打印……）"),
    )
    parser.add_argument("--actor", metavar="NAME", help=tr("只看这个人做的操作"))
    parser.add_argument(
        "--limit", type=positive_int, default=50, help=tr("最多列出几条（默认 50）")
    )
    parser.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    parser.set_defaults(handler=run_audit)
    return [parser]


def _action_labels() -> dict[str, str]:
    from carebook.services.child_file import ACTION_LABELS

    return {**ACTION_LABELS, **_MORE_ACTIONS}


def _child_uid(ctx, key: str) -> str:
    from carebook.services.children import find_by_id_number

    try:
        number = normalize_id(key)
    except DomainError:
        number = ""
    uid = find_by_id_number(ctx.db(), number) if len(number) == 18 else None
    return uid or key.strip().lower()


def run_audit(ctx, args) -> int:
    from carebook.services.audit import recent

    uid = _child_uid(ctx, args.child) if args.child else None
    lines = recent(ctx.db(), uid=uid, action=args.action, actor=args.actor, limit=args.limit)
    if args.child and not lines:
        raise CliError(tr("操作日志中没有这名儿童的记录，请核对身份证号或儿童编号。"))
    if args.json:
        print(json.dumps([_as_json(line) for line in lines], ensure_ascii=False, indent=2))
        return 0
    if not lines:
        print(tr("操作日志中没有符合条件的记录。"))
        return 0
    labels = _action_labels()
    for line in lines:
        e = line.view
        what = _ENTITIES.get(e.entity, e.entity)
        change = e.field
        # A creation's or a print's entry repeats the name or the field as its value: once.
        if e.old_value or e.new_value not in ("", e.field, line.name):
            arrow = f"{e.old_value} → {e.new_value}" if e.old_value else e.new_value
            change = f"{e.field}：{arrow}" if e.field else arrow
        print(
            "  ".join(
                part
                for part in (
                    e.at.strftime("%Y-%m-%d %H:%M"),
                    e.actor or tr("（未署名）"),
                    tr(labels.get(e.action, e.action)),
                    f"{what} {line.name}".strip(),
                    change,
                    f"[{e.source}]" if e.source else "",
                )
                if part
            )
        )
    return 0


def _as_json(line) -> dict[str, object]:
    e = line.view
    return {
        "at": e.at.isoformat(timespec="seconds"),
        "actor": e.actor,
        "action": e.action,
        "entity": e.entity,
        "uid": e.entity_uid,
        "name": line.name,
        "field": e.field,
        "old": e.old_value,
        "new": e.new_value,
        "source": e.source,
    }
