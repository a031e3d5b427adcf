"""Due and overdue lists: who needs a visit, by when, and who is paired with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from carebook.domain.phones import mask_phone
from carebook.storage import schedule_queries as q
from carebook.storage.database import Database


class DueChild(NamedTuple):
    """One child on a full due list (50,000 of them this month at 100,000 children: a tuple
    builds five times faster than a frozen dataclass)."""

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
    township: str | None = None,
    volunteer_uid: str | None = None,
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
            township=township,
            volunteer_uid=volunteer_uid,
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


@dataclass(frozen=True)
class DueQuery:
    """Which due list the 走访 page shows; the same arguments as due_children."""

    today: date
    within_days: int | None = 30
    overdue_only: bool = False
    never_visited: bool = False
    village: str | None = None
    volunteer: str | None = None
    township: str | None = None  # with village: which of the villages of that name
    volunteer_uid: str | None = None  # one volunteer, not every namesake of hers

    def arguments(self) -> dict[str, object]:
        return {
            "due_by": None
            if self.within_days is None
            else self.today + timedelta(days=self.within_days),
            "due_before": self.today if self.overdue_only else None,
            "never_visited": self.never_visited,
            "village": self.village,
            "volunteer": self.volunteer,
            "township": self.township,
            "volunteer_uid": self.volunteer_uid,
        }


class DueRow(NamedTuple):
    """One child on a page of a due list: a plain tuple, cheap to build by the thousand."""

    uid: str
    name: str
    village: str
    categories: str  # joined by 、
    care_level: str
    due: date
    days_overdue: int
    last_visit: date | None
    volunteer: str  # joined by 、
    guardian_name: str
    guardian_phone: str


# DueRow field -> column of schedule_queries.due_rows, for sorting a page list in SQL.
SORT_COLUMNS = {
    "name": 2,
    "village": 4,
    "due": 5,
    "days_overdue": 5,
    "last_visit": 6,
    "care_level": 7,
    "guardian_name": 8,
    "guardian_phone": 9,
    "categories": 10,
    "volunteer": 11,
}


class PairedVolunteer(NamedTuple):
    """A volunteer the 走访 page can narrow its lists to: phones masked, to tell namesakes."""

    uid: str
    name: str
    masked_phone: str


def paired_volunteers(
    db: Database, *, township: str | None = None, village: str | None = None, most: int = 300
) -> list[PairedVolunteer] | None:
    """Volunteers paired with the place's children, by name; None when more than most (a
    county's 30,000 make no list to choose from: a village is chosen first)."""
    with db.reading() as session:
        rows = q.paired_volunteers(session, township=township, village=village, limit=most)
    if len(rows) > most:
        return None
    return [PairedVolunteer(uid, name, mask_phone(phone or "")) for uid, name, phone in rows]


def count_due(db: Database, query: DueQuery) -> tuple[int, int]:
    """(children on the list, of them overdue) without fetching the list."""
    with db.reading() as session:
        return q.due_counts(session, today=query.today, **query.arguments())


def due_page(
    db: Database,
    query: DueQuery,
    *,
    offset: int = 0,
    limit: int = 500,
    sort: tuple[str, bool] | None = None,
) -> list[DueRow]:
    """One page of the list, in due order or sorted by a DueRow field (descending or not)."""
    order = None
    if sort is not None:
        field, descending = sort
        # Most overdue = earliest due: the day count sorts the other way round.
        order = (SORT_COLUMNS[field], descending != (field == "days_overdue"))
    with db.reading() as session:
        rows = q.due_rows(session, offset=offset, limit=limit, sort=order, **query.arguments())
    today = query.today
    return [
        DueRow(
            uid,
            name,
            vill or "",
            cats or "",
            care,
            due,
            max(0, (today - due).days),
            last,
            volunteers or "",
            guardian,
            phone,
        )
        for _id, uid, name, _town, vill, due, last, care, guardian, phone, cats, volunteers in rows
    ]
