"""demo and stats: build a synthetic county, print the register's counts."""

from __future__ import annotations

import json

from carebook.cli.arguments import positive_int
from carebook.cli.context import CliError
from carebook.cli.progress import drive
from carebook.domain.dates import parse_period
from carebook.i18n import tr
from carebook.services.demo import build_demo
from carebook.services.statistics import PeriodFigures, period_figures
from carebook.services.stats import register_stats


def register(sub) -> list:
    demo = sub.add_parser("demo", help=tr("生成一个示例县（合成数据）"))
    demo.add_argument("--children", type=positive_int, default=300, help=tr("儿童人数（默认 300）"))
    demo.add_argument("--seed", type=int, default=1, help=tr("随机种子，相同种子生成相同数据"))
    demo.set_defaults(handler=run_demo)
    stats = sub.add_parser("stats", help=tr("显示台账统计"))
    stats.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    stats.add_argument("--period", help=tr("统计时段：2026-11、2026-Q4 或 2026-01-01..2026-03-31"))
    stats.set_defaults(handler=run_stats)
    return [demo, stats]


def run_demo(ctx, args) -> int:
    db = ctx.db()
    # Made-up children mixed into a real register (on a county's server, every computer's)
    # could never be told apart from the real ones again.
    held = register_stats(db).total
    if held:
        raise CliError(
            tr(
                "这个数据库里已经有 {n} 名儿童，示例县的虚构儿童不能混进真实台账。"
                "请用 --db 指定一个新的文件，或服务器上新建的空库。",
                n=held,
            )
        )
    summary = drive(build_demo(db, children=args.children, seed=args.seed))
    print(
        tr(
            "示例县已生成：儿童 {c} 名，爱心妈妈 {v} 名，结对 {p} 对，"
            "走访 {w} 次，帮扶 {a} 条，活动 {t} 场。",
            c=summary.children,
            v=summary.volunteers,
            p=summary.pairings,
            w=summary.visits,
            a=summary.assistance,
            t=summary.activities,
        )
    )
    return 0


def run_stats(ctx, args) -> int:
    stats = register_stats(ctx.db())
    figures = None
    if args.period:
        figures = period_figures(ctx.db(), *parse_period(args.period))
    if args.json:
        extra = figures.to_json() if figures else {}
        print(json.dumps(stats.to_json() | extra, ensure_ascii=False, indent=2))
        return 0
    print(
        tr(
            "儿童：共 {t} 名，在册 {i} 名，退出 {e} 名",
            t=stats.total,
            i=stats.in_register,
            e=stats.exited,
        )
    )
    for label, n in stats.by_category.items():
        print(f"  {label}: {n}")
    print(
        tr(
            "爱心妈妈 {v} 名，在结对 {p} 对，走访记录 {w} 次",
            v=stats.volunteers,
            p=stats.pairings_active,
            w=stats.visits,
        )
    )
    if figures:
        print_period(figures)
    return 0


def print_period(figures: PeriodFigures) -> None:
    # From the figures themselves: the JSON's four-place shares, rounded again to one place,
    # could differ from the statistics page and its exported table (239/281: 85.0% vs 85.1%).
    start, end = figures.start.isoformat(), figures.end.isoformat()
    print(tr("统计时段 {a} 至 {b}", a=start, b=end))
    print(tr("  结对覆盖率 {p:.1%}", p=figures.pairing_coverage))
    for label, share in figures.coverage_by_category.items():
        print(f"    {label}: {share:.1%}")
    print(
        tr(
            "  走访 {v} 次，应走访 {d} 名，已走访 {c} 名，逾期 {o} 名；"
            "新增 {j} 名，退出 {l} 名；帮扶 {a:.2f} 元",
            v=figures.visits_in_period,
            d=figures.due_in_period,
            c=figures.visited_children,
            o=figures.overdue,
            j=figures.joined,
            l=figures.left,
            a=figures.assistance_value,
        )
    )
