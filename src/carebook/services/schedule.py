"""Due and overdue lists: who needs a visit, by when, and who is paired with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from carebook.storage import schedule_queries as q
from carebook.storage.database import Database


@dataclass(frozen=True)
class DueChild:
    uid: str
    name: str
    township: str
    village: str
    due: date
    days_overdue: int
    last_visit: date | None
    volunteers: tuple[str, ...]
    categories: tuple[str, ...]
    care_level: str
    guardian_name: str
    guardian_phone: str

    @property
    def volunteer(self) -> str:
        return "、".join(self.volunteers)

    def to_json(self) -> dict[str, object]:
        return {
            "uid": self.uid,
            "name": self.name,
            "village": self.village,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue,
            "last_visit": self.last_visit.isoformat() if self.last_visit else None,
            "volunteer": self.volunteer,
        }


def due_children(
    db: Database,
    *,
    today: date | None = None,
    within_days: int | None = 30,
    overdue_only: bool = False,
    never_visited: bool = False,
    village: str | None = None,
    volunteer: str | None = None,
) -> list[DueChild]:
    """Children in the register due within within_days (None: all), overdue first by date."""
    today = today or date.today()
    due_by = None if within_days is None else today + timedelta(days=within_days)
    with db.reading() as session:
        rows = q.due_rows(
            session,
            due_by=due_by,
            due_before=today if overdue_only else None,
            never_visited=never_visited,
            village=village,
            volunteer=volunteer,
        )
    return [
        DueChild(
            uid=uid,
            name=name,
            township=town or "",
            village=vill or "",
            due=due,
            days_overdue=max(0, (today - due).days),
            last_visit=last,
            volunteers=tuple(volunteers.split("、")) if volunteers else (),
            categories=tuple(cats.split("、")) if cats else (),
            care_level=care,
            guardian_name=guardian,
            guardian_phone=phone,
        )
        for _id, uid, name, town, vill, due, last, care, guardian, phone, cats, volunteers in rows
    ]
