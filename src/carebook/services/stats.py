"""The register's figures: counts by status, category and village, volunteers, pairings, visits."""

from __future__ import annotations

from dataclasses import dataclass

from carebook.storage import stats as stats_store
from carebook.storage.database import Database


@dataclass(frozen=True)
class RegisterStats:
    total: int
    in_register: int
    exited: int
    by_category: dict[str, int]
    by_village: dict[tuple[str, str], int]
    volunteers: int
    pairings_active: int
    visits: int

    def to_json(self) -> dict[str, object]:
        """The shape `carebook stats --json` prints: keys in English, labels as data."""
        by_village: dict[str, int] = {}
        for (_township, village), n in self.by_village.items():
            by_village[village] = by_village.get(village, 0) + n
        return {
            "children": {
                "total": self.total,
                "in_register": self.in_register,
                "exited": self.exited,
                "by_category": dict(self.by_category),
                "by_village": by_village,
            },
            "volunteers": self.volunteers,
            "pairings_active": self.pairings_active,
            "visits": self.visits,
        }


def register_stats(db: Database) -> RegisterStats:
    with db.reading() as session:
        by_status = stats_store.children_by_status(session)
        return RegisterStats(
            total=sum(by_status.values()),
            in_register=by_status.get("在册", 0),
            exited=by_status.get("退出", 0),
            by_category=stats_store.children_by_category(session),
            by_village=stats_store.children_by_village(session),
            volunteers=stats_store.active_volunteers(session),
            pairings_active=stats_store.active_pairings(session),
            visits=stats_store.visit_count(session),
        )
