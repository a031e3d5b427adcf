"""The statistics page's counts in one pass over the register, fast on 100,000 children.

Gives the same PeriodFigures and VillageFigures as services.statistics (a test holds them equal),
but reads each table once and counts in Python instead of running a dozen grouped scans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from carebook.services.statistics import PeriodFigures, VillageFigures
from carebook.storage import figure_queries as fq
from carebook.storage import visit_queries as vq
from carebook.storage.areas import village_lookup
from carebook.storage.database import Database

IN_REGISTER = "在册"
LEFT = "退出"


@dataclass(frozen=True)
class RegisterPass:
    period: PeriodFigures
    villages: list[VillageFigures]
    births: list[tuple[date | None, str]]  # (birth date, sex) of each child in the register


def register_pass(db: Database, start: date, end: date, today: date) -> RegisterPass:
    with db.reading() as session:
        rows = fq.register_rows(session)
        categories = vq.all_categories(session)
        paired = fq.paired_child_ids(session)
        visits = fq.visits_per_child(session, start, end)
        value = fq.assistance_value(session, start, end)
        names = village_lookup(session)
    per_village: dict[int | None, dict] = {}
    coverage: dict[str, list[int]] = {}
    totals = dict.fromkeys(("in_register", "paired", "visits", "due", "overdue"), 0)
    joined = left = 0
    births: list[tuple[date | None, str]] = []
    for cid, vid, status, sex, birth, registered, status_date, due in rows:
        v = per_village.get(vid)
        if v is None:
            v = per_village[vid] = {"n": 0, "paired": 0, "visits": 0, "overdue": 0, "cats": {}}
        seen = visits.get(cid, 0)
        v["visits"] += seen
        totals["visits"] += seen
        if start <= registered <= end:
            joined += 1
        if status == LEFT and status_date is not None and start <= status_date <= end:
            left += 1
        if status != IN_REGISTER:
            continue
        births.append((birth, sex or ""))
        is_paired = cid in paired
        v["n"] += 1
        totals["in_register"] += 1
        if is_paired:
            v["paired"] += 1
            totals["paired"] += 1
        if due is not None and due < today:
            v["overdue"] += 1
            totals["overdue"] += 1
        if (due is not None and due <= end) or seen:
            totals["due"] += 1
        for label in dict.fromkeys(categories.get(cid, ())):
            v["cats"][label] = v["cats"].get(label, 0) + 1
            slot = coverage.setdefault(label, [0, 0])
            slot[0] += 1
            slot[1] += is_paired
    villages = []
    for vid, v in per_village.items():
        if not v["n"]:
            continue
        town, village = (
            names.get(vid, ("", "（未填村）")) if vid is not None else ("", "（未填村）")
        )
        villages.append(
            VillageFigures(town, village, v["n"], v["cats"], v["paired"], v["visits"], v["overdue"])
        )
    villages.sort(key=lambda r: (r.township, r.village))
    period = PeriodFigures(
        start=start,
        end=end,
        in_register=totals["in_register"],
        paired=totals["paired"],
        coverage_by_category={k: (p / t if t else 0.0) for k, (t, p) in coverage.items()},
        visits_in_period=totals["visits"],
        due_in_period=totals["due"],
        overdue=totals["overdue"],
        joined=joined,
        left=left,
        assistance_value=Decimal(str(value)),
    )
    return RegisterPass(period, villages, births)
