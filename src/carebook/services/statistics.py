"""The figures the federation and the county ask for, per village and for a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from carebook.domain.categories import all_categories
from carebook.storage import schedule_queries as q
from carebook.storage.areas import village_lookup
from carebook.storage.database import Database


@dataclass(frozen=True)
class VillageFigures:
    township: str
    village: str
    in_register: int
    by_category: dict[str, int]
    paired: int
    visits_in_period: int
    overdue: int
    # In the register, due and never visited: the 走访 page's 从未走访 list for the village.
    never_visited: int = 0

    @property
    def pairing_rate(self) -> float:
        return self.paired / self.in_register if self.in_register else 0.0


@dataclass(frozen=True)
class PeriodFigures:
    start: date
    end: date
    in_register: int
    paired: int
    coverage_by_category: dict[str, float]
    visits_in_period: int
    due_in_period: int
    overdue: int
    joined: int
    left: int
    assistance_value: Decimal
    # Children in the register visited in the period: the "done" beside due_in_period (visits
    # count a child visited twice twice, and a visit to a child since exited).
    visited_children: int = 0

    @property
    def pairing_coverage(self) -> float:
        return self.paired / self.in_register if self.in_register else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "pairing_coverage": {
                "total": round(self.pairing_coverage, 4),
                "by_category": {k: round(v, 4) for k, v in self.coverage_by_category.items()},
            },
            "visits_in_period": self.visits_in_period,
            "due_in_period": self.due_in_period,
            "visited_children": self.visited_children,
            "overdue": self.overdue,
            "joined": self.joined,
            "left": self.left,
            "assistance_value": float(self.assistance_value),
        }


def category_order(item: tuple[str, object]) -> tuple[int, str]:
    """The canonical categories in their official order, any other label after, by name: the
    rows came grouped in the database's order (SQLite sorted them, PostgreSQL does not)."""
    official = all_categories()
    label = item[0]
    return (official.index(label) if label in official else len(official), label)


def village_figures(
    db: Database, start: date, end: date, *, today: date | None = None
) -> list[VillageFigures]:
    """One row per village with children in the register, ordered by township and village."""
    today = today or date.today()
    with db.reading() as session:
        names = village_lookup(session)
        counts = {
            key: q.per_village_counts(session, key, start, end, today)
            for key in ("in_register", "paired", "visits", "overdue", "never_visited")
        }
        categories = q.per_village_categories(session)
    rows = []
    for vid, n in counts["in_register"].items():
        town, village = names.get(vid, ("", "（未填村）"))
        rows.append(
            VillageFigures(
                township=town,
                village=village,
                in_register=n,
                by_category={label: c for (v, label), c in categories.items() if v == vid},
                paired=counts["paired"].get(vid, 0),
                visits_in_period=counts["visits"].get(vid, 0),
                overdue=counts["overdue"].get(vid, 0),
                never_visited=counts["never_visited"].get(vid, 0),
            )
        )
    return sorted(rows, key=lambda r: (r.township, r.village))


def period_figures(
    db: Database, start: date, end: date, *, today: date | None = None
) -> PeriodFigures:
    today = today or date.today()
    with db.reading() as session:
        c = q.period_counts(session, start, end, today)
        coverage = q.coverage_by_category(session)
    return PeriodFigures(
        start=start,
        end=end,
        in_register=c["in_register"],
        paired=c["paired"],
        # In the 统计 page's order, so `carebook stats` lists them as the screen and table do.
        coverage_by_category={
            k: (p / t if t else 0.0) for k, (t, p) in sorted(coverage.items(), key=category_order)
        },
        visits_in_period=c["visits"],
        due_in_period=c["due"],
        visited_children=c["visited_children"],
        overdue=c["overdue"],
        joined=c["joined"],
        left=c["left"],
        assistance_value=Decimal(str(c["assistance_value"])),
    )
