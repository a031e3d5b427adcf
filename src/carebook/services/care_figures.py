"""The statistics page's figures in one call, children near an age limit, and exporting figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from carebook.domain.categories import leaving_categories
from carebook.domain.dates import COUNTY_AGE_BANDS
from carebook.domain.errors import DomainError
from carebook.exchange.figures_csv import write_tables
from carebook.i18n import tr
from carebook.services.audit import Origin, record
from carebook.services.figure_pass import NO_BIRTH, register_pass
from carebook.services.progress import Job, Progress
from carebook.services.statistics import PeriodFigures, VillageFigures
from carebook.storage import figure_queries as fq
from carebook.storage import ledger_queries as lq
from carebook.storage import visit_queries as vq
from carebook.storage.database import Database

AGE_LIMIT_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Overview:
    """Everything the 统计 page shows for one period."""

    period: PeriodFigures
    villages: list[VillageFigures]
    categories: list[str]  # column order of the category × village table
    age_sex: dict[tuple[str, str], int]  # (age band, sex) -> children
    age_bands: tuple[str, ...]
    monthly_visits: list[tuple[str, int]]  # (YYYY-MM, visits), the 12 months up to the period end
    assistance_by_project: list[tuple[str, int, float]]


@dataclass(frozen=True)
class AgeLimitChild:
    uid: str
    name: str
    sex: str
    birth_date: date
    township: str
    village: str
    school: str
    guardian: str
    leaving: tuple[tuple[str, date], ...]  # (category, the birthday it ends on)
    leaves_register: bool  # every category ends: the child would leave the register

    @property
    def first_limit(self) -> date:
        return self.leaving[0][1]


def _months_back(end: date, count: int) -> list[tuple[date, date]]:
    spans = []
    year, month = end.year, end.month
    for _ in range(count):
        first = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        spans.append((first, nxt - timedelta(days=1)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(spans))


def _age_sex(db: Database, today: date) -> dict[tuple[str, str], int]:
    """Children in the register by county age band and sex (the period does not matter)."""
    return register_pass(db, today, today, today).age_sex


def overview(db: Database, start: date, end: date, *, today: date | None = None) -> Overview:
    """The figures of the 统计 page for the period start..end (inclusive)."""
    today = today or date.today()
    if start > end:
        raise DomainError(tr("统计时段的开始日期晚于结束日期。"))
    counted = register_pass(db, start, end, today)
    period, villages, age_sex = counted.period, counted.villages, counted.age_sex
    months = _months_back(min(end, today), 12)  # a month still to come would read as a drop
    with db.reading() as session:
        per_day = vq.visits_by_day(session, months[0][0], months[-1][1])
        projects = lq.assistance_totals(session, "project", start, end)
    monthly = [
        (f.strftime("%Y-%m"), sum(n for d, n in per_day.items() if f <= d <= last))
        for f, last in months
    ]
    totals: dict[str, int] = {}
    for v in villages:
        for label, n in v.by_category.items():
            totals[label] = totals.get(label, 0) + n
    labels = tuple(b.label for b in COUNTY_AGE_BANDS)
    if any(k[0] == NO_BIRTH for k in age_sex):
        labels += (NO_BIRTH,)
    return Overview(
        period=period,
        villages=villages,
        categories=sorted(
            totals, key=lambda k: (-totals[k], k)
        ),  # ties: same order on any database
        age_sex=age_sex,
        age_bands=labels,
        monthly_visits=monthly,
        assistance_by_project=projects,
    )


def overview_job(
    db: Database, start: date, end: date, *, today: date | None = None
) -> Job[Overview]:
    """overview() as a job, so the 统计 page counts off the GUI thread (about a second on a
    100,000-child register) and the window stays responsive."""
    yield Progress(0, 1, "")
    view = overview(db, start, end, today=today)
    yield Progress(1, 1, "")
    return view


def near_age_limit(
    db: Database,
    *,
    today: date | None = None,
    within_days: int = AGE_LIMIT_WINDOW_DAYS,
    township: str | None = None,
    village: str | None = None,
) -> list[AgeLimitChild]:
    """Children reaching 16 (留守) or 18 (the others) within the window, soonest first; in
    one township, or one village of it, when given."""
    today = today or date.today()
    horizon = today + timedelta(days=within_days)
    youngest_limit = 16
    try:
        latest_birth = horizon.replace(year=horizon.year - youngest_limit)
    except ValueError:  # 29 February
        latest_birth = date(horizon.year - youngest_limit, 3, 1)
    with db.reading() as session:
        rows = fq.born_on_or_before(session, latest_birth, township=township, village=village)
        categories = fq.categories_for(session, [r[0] for r in rows])
    out = []
    for cid, uid, name, sex, birth, town, village, school, guardian in rows:
        held = categories.get(cid, [])
        if not held:
            continue
        leaving = leaving_categories(birth, held, today, within_days)
        if not leaving:
            continue
        out.append(
            AgeLimitChild(
                uid,
                name,
                sex or "",
                birth,
                town or "",
                village or "",
                school or "",
                guardian or "",
                tuple(leaving),
                leaves_register=len(leaving) == len(set(held)),
            )
        )
    return sorted(out, key=lambda c: (c.first_limit, c.name))


def figure_tables(view: Overview) -> list[tuple[str, list[str], list[list[object]]]]:
    """The overview as titled tables (title, header, rows) for export and printing."""
    p = view.period
    summary = [
        ["统计时段", f"{p.start.isoformat()} 至 {p.end.isoformat()}"],
        ["在册儿童", p.in_register],
        ["已结对儿童", p.paired],
        ["结对覆盖率", f"{p.pairing_coverage:.1%}"],
        ["时段内走访次数", p.visits_in_period],
        ["时段内应走访儿童", p.due_in_period],
        ["时段内已走访儿童", p.visited_children],
        ["当前逾期未走访", p.overdue],
        ["时段内新增", p.joined],
        ["时段内退出", p.left],
        ["时段内帮扶金额（元）", f"{p.assistance_value:.2f}"],
    ]
    village_rows = [
        [
            v.township,
            v.village,
            v.in_register,
            *(v.by_category.get(c, 0) for c in view.categories),
            v.paired,
            f"{v.pairing_rate:.1%}",
            v.visits_in_period,
            v.overdue,
            v.never_visited,
        ]
        for v in view.villages
    ]
    if view.villages:  # the county adds the villages up: the sums, as on the workbook's 统计
        width, rate_at = len(village_rows[0]), len(village_rows[0]) - 4
        paired = sum(v.paired for v in view.villages)
        in_register = sum(v.in_register for v in view.villages)
        rate = f"{paired / in_register if in_register else 0.0:.1%}"
        total = [rate if n == rate_at else sum(r[n] for r in village_rows) for n in range(2, width)]
        village_rows.append(["合计", "", *total])
    sexes = ("男", "女")
    age_rows = [
        [
            band,
            *(view.age_sex.get((band, s), 0) for s in sexes),
            sum(view.age_sex.get((band, s), 0) for s in sexes),
        ]
        for band in view.age_bands
    ]
    coverage = [[k, f"{v:.1%}"] for k, v in p.coverage_by_category.items()]
    return [
        ("概况", ["项目", "数值"], summary),
        (
            "分村统计",
            [
                "乡镇",
                "村（社区）",
                "在册",
                *view.categories,
                "已结对",
                "覆盖率",
                "走访",
                "逾期",
                "从未走访",
            ],
            village_rows,
        ),
        ("年龄段×性别", ["年龄段", "男", "女", "合计"], age_rows),
        ("分类别结对覆盖率", ["类别", "覆盖率"], coverage),
        ("每月走访次数", ["月份", "走访次数"], [list(m) for m in view.monthly_visits]),
        (
            "帮扶分项目",
            ["项目", "记录数", "金额（元）"],
            [[k, n, f"{v:.2f}"] for k, n, v in view.assistance_by_project],
        ),
    ]


def export_figures(db: Database, view: Overview, path: Path, *, origin: Origin = Origin()) -> Path:
    """Write the figures as a CSV workbook-friendly file (UTF-8 with BOM for Excel and WPS)."""
    written = write_tables(path, figure_tables(view))
    record(db, origin, "export", "statistics", "", new=f"统计表 {written.name}")
    return written
