"""due and reschedule: the children who need a visit, for the headless side and scripts."""

from __future__ import annotations

import json

from carebook.cli.arguments import days
from carebook.cli.progress import drive
from carebook.domain.schedule import DEFAULT_RULES, rules_from_json
from carebook.i18n import tr
from carebook.services.places import township_of_village
from carebook.services.rescheduling import reschedule_register
from carebook.services.schedule import due_children


def register(sub) -> list:
    due = sub.add_parser("due", help=tr("列出待走访和逾期未走访的儿童"))
    due.add_argument(
        "--within", type=days, default=30, metavar="DAYS", help=tr("今后多少天内到期（默认 30）")
    )
    due.add_argument("--overdue", action="store_true", help=tr("只列出已逾期的儿童"))
    due.add_argument("--never-visited", action="store_true", help=tr("只列出从未走访的儿童"))
    due.add_argument("--village", metavar="V", help=tr("只列出这个村（社区）的儿童"))
    due.add_argument("--township", metavar="T", help=tr("只列出这个乡镇的儿童"))
    due.add_argument("--volunteer", metavar="NAME", help=tr("只列出与这位爱心妈妈结对的儿童"))
    due.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    due.set_defaults(handler=run_due)
    again = sub.add_parser("reschedule", help=tr("按当前走访规则重新计算每名儿童的下次走访日期"))
    again.add_argument(
        "--from-visits", action="store_true", help=tr("同时按走访记录重新核对上次走访日期")
    )
    again.set_defaults(handler=run_reschedule)
    return [due, again]


def run_reschedule(ctx, args) -> int:
    rules = rules_from_json(ctx.settings.visit_rules) if ctx.settings.visit_rules else DEFAULT_RULES
    moved = drive(reschedule_register(ctx.db(), rules, from_visits=args.from_visits))
    print(tr("已重新计算，{n} 名儿童的走访日期有变化。", n=moved))
    return 0


def run_due(ctx, args) -> int:
    # A mistyped village must not read as "nobody is due there"; nor may two 新庄村 read as one.
    township = township_of_village(ctx.db(), args.village, args.township)
    rows = due_children(
        ctx.db(),
        within_days=None if args.overdue else args.within,
        overdue_only=args.overdue,
        never_visited=args.never_visited,
        village=args.village,
        volunteer=args.volunteer,
        township=township,
    )
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(tr("没有需要走访的儿童。"))
        return 0
    for r in rows:
        state = tr("逾期 {n} 天", n=r.days_overdue) if r.days_overdue else tr("{d} 到期", d=r.due)
        last = r.last_visit.isoformat() if r.last_visit else tr("从未走访")
        print(f"{r.village}\t{r.name}\t{state}\t{tr('上次')} {last}\t{r.volunteer}")
    print(tr("共 {n} 名", n=len(rows)))
    return 0
