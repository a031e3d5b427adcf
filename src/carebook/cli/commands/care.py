"""due: the children who need a visit, for the headless side and scripts."""

from __future__ import annotations

import json

from carebook.cli.context import CliError
from carebook.i18n import tr
from carebook.services.schedule import due_children


def register(sub) -> list:
    due = sub.add_parser("due", help=tr("列出待走访和逾期未走访的儿童"))
    due.add_argument(
        "--within", type=int, default=30, metavar="DAYS", help=tr("今后多少天内到期（默认 30）")
    )
    due.add_argument("--overdue", action="store_true", help=tr("只列出已逾期的儿童"))
    due.add_argument("--never-visited", action="store_true", help=tr("只列出从未走访的儿童"))
    due.add_argument("--village", metavar="V", help=tr("只列出这个村（社区）的儿童"))
    due.add_argument("--volunteer", metavar="NAME", help=tr("只列出与这位爱心妈妈结对的儿童"))
    due.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    due.set_defaults(handler=run_due)
    return [due]


def run_due(ctx, args) -> int:
    if args.within < 0:
        raise CliError(tr("--within 须为不小于 0 的天数。"))
    rows = due_children(
        ctx.db(),
        within_days=None if args.overdue else args.within,
        overdue_only=args.overdue,
        never_visited=args.never_visited,
        village=args.village,
        volunteer=args.volunteer,
    )
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(tr("没有需要走访的儿童。"))
        return 0
    for r in rows:
        state = (
            tr("逾期 {n} 天", n=r.days_overdue) if r.days_overdue else tr("{d} 到期", d=r.due)
        )
        last = r.last_visit.isoformat() if r.last_visit else tr("从未走访")
        print(f"{r.village}\t{r.name}\t{state}\t{tr('上次')} {last}\t{r.volunteer}")
    print(tr("共 {n} 名", n=len(rows)))
    return 0
