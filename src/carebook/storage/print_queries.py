"""Reads behind the prints: children for sheets and rosters, their visits, pairings, assistance."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import (
    Activity,
    ActivityChild,
    ActivityVolunteer,
    Area,
    Assistance,
    AuditEntry,
    Child,
    Pairing,
    Visit,
    Volunteer,
)

CHUNK = 900  # stay under SQLite's bound-parameter limit

# The child's columns a visit sheet, a case file and a roster print, in this order.
SHEET_COLUMNS = (
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "birth_date",
    "household_address",
    "current_address",
    "school",
    "grade",
    "boarding",
    "health",
    "disability_type",
    "disability_grade",
    "father_name",
    "father_id_number",
    "father_status",
    "father_work_place",
    "father_phone",
    "mother_name",
    "mother_id_number",
    "mother_status",
    "mother_work_place",
    "mother_phone",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "guardian_id_number",
    "guardian_health",
    "guardianship_type",
    "guardianship_assessment",
    "support",
    "help_measures",
    "care_level",
    "status",
    "status_date",
    "status_reason",
    "registered_on",
    "notes",
    "last_visit_on",
    "next_due_on",
)


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def child_id_by_uid(session: Session, uid: str) -> int | None:
    return session.scalar(select(Child.id).where(Child.uid == uid, Child.deleted_at.is_(None)))


def child_id_by_id_number(session: Session, id_number: str) -> int | None:
    return session.scalar(
        select(Child.id).where(Child.id_number == id_number, Child.deleted_at.is_(None))
    )


def children_with_uid_prefix(session: Session, prefix: str) -> list[tuple[int, str]]:
    """(id, uid) of children whose uid starts with prefix: a range on the unique uid index."""
    upper = prefix + "g"  # 'g' sorts after every hex digit
    rows = session.execute(
        select(Child.id, Child.uid).where(
            Child.uid >= prefix, Child.uid < upper, Child.deleted_at.is_(None)
        )
    )
    return [(r[0], r[1]) for r in rows]


def child_ids_in_area(
    session: Session, *, village: str | None, township: str | None, in_register: bool = True
) -> list[int]:
    """Children of a village and/or township (None: everywhere), by township, village, name."""
    town = aliased(Area)
    query: Select = (
        select(Child.id)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
        .where(Child.deleted_at.is_(None))
        .order_by(town.name, Area.name, Child.name_pinyin, Child.id)
    )
    if in_register:
        query = query.where(Child.status == "在册")
    if village:
        query = query.where(Area.name == village)
    if township:
        query = query.where(town.name == township)
    return list(session.scalars(query))


def child_rows(session: Session, ids: Sequence[int]) -> dict[int, tuple]:
    """{id: (uid, township, village, *SHEET_COLUMNS values)} for the given children."""
    town = aliased(Area)
    columns = [getattr(Child, name) for name in SHEET_COLUMNS]
    out: dict[int, tuple] = {}
    for chunk in _chunks(ids):
        rows = session.execute(
            select(Child.id, Child.uid, town.name, Area.name, *columns)
            .join(Area, Area.id == Child.village_id, isouter=True)
            .join(town, town.id == Area.parent_id, isouter=True)
            .where(Child.id.in_(chunk))
        )
        for row in rows:
            out[row[0]] = tuple(row[1:])
    return out


def active_volunteers(session: Session, ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """{child id: [(volunteer name, phone)]} of active pairings, oldest first."""
    out: dict[int, list[tuple[str, str]]] = {}
    for chunk in _chunks(ids):
        rows = session.execute(
            select(Pairing.child_id, Volunteer.name, Volunteer.phone)
            .join(Volunteer, Volunteer.id == Pairing.volunteer_id)
            .where(
                Pairing.deleted_at.is_(None),
                Pairing.ended_on.is_(None),
                Pairing.child_id.in_(chunk),
            )
            .order_by(Pairing.started_on, Pairing.id)
        )
        for child_id, name, phone in rows:
            out.setdefault(child_id, []).append((name, phone or ""))
    return out


def last_visits(session: Session, ids: Sequence[int]) -> dict[int, tuple]:
    """{child id: (date, way, visitor, follow-up, next visit on)} of each child's latest visit."""
    out: dict[int, tuple] = {}
    for chunk in _chunks(ids):
        ranked = (
            select(
                Visit.child_id,
                Visit.visited_on,
                Visit.way,
                Visit.visitor_name,
                Visit.follow_up,
                Visit.next_visit_on,
                func.row_number()
                .over(
                    partition_by=Visit.child_id, order_by=(Visit.visited_on.desc(), Visit.id.desc())
                )
                .label("rank"),
            )
            .where(Visit.deleted_at.is_(None), Visit.child_id.in_(chunk))
            .subquery()
        )
        rows = session.execute(
            select(
                ranked.c.child_id,
                ranked.c.visited_on,
                ranked.c.way,
                ranked.c.visitor_name,
                ranked.c.follow_up,
                ranked.c.next_visit_on,
            ).where(ranked.c.rank == 1)
        )
        for row in rows:
            out[row[0]] = tuple(row[1:])
    return out


VISIT_COLUMNS = (
    "visited_on",
    "way",
    "visitor_name",
    "people_met",
    "life",
    "study",
    "health",
    "safety",
    "mental",
    "guardianship_problems",
    "problems",
    "help_given",
    "follow_up",
    "next_visit_on",
    "notes",
)


def visit_by_uid(session: Session, uid: str) -> tuple[int, tuple] | None:
    """(child id, VISIT_COLUMNS values) of one visit, None when there is none."""
    row = session.execute(
        select(Visit.child_id, *[getattr(Visit, c) for c in VISIT_COLUMNS]).where(
            Visit.uid == uid, Visit.deleted_at.is_(None)
        )
    ).first()
    return None if row is None else (row[0], tuple(row[1:]))


def visits_of(session: Session, child_id: int) -> list[tuple]:
    """(uid, VISIT_COLUMNS values...) of every visit to one child, oldest first."""
    rows = session.execute(
        select(Visit.uid, *[getattr(Visit, c) for c in VISIT_COLUMNS])
        .where(Visit.child_id == child_id, Visit.deleted_at.is_(None))
        .order_by(Visit.visited_on, Visit.id)
    )
    return [tuple(r) for r in rows]


def pairings_of(session: Session, child_id: int) -> list[tuple]:
    """(volunteer, phone, identities, mode, started, ended, end reason) of every pairing."""
    rows = session.execute(
        select(
            Volunteer.name,
            Volunteer.phone,
            Volunteer.identities,
            Pairing.mode,
            Pairing.started_on,
            Pairing.ended_on,
            Pairing.end_reason,
        )
        .join(Volunteer, Volunteer.id == Pairing.volunteer_id)
        .where(Pairing.child_id == child_id, Pairing.deleted_at.is_(None))
        .order_by(Pairing.started_on, Pairing.id)
    )
    return [tuple(r) for r in rows]


def assistance_of(session: Session, child_id: int) -> list[tuple]:
    """(given on, project, content, quantity, value, provider, activity title) of all help given."""
    rows = session.execute(
        select(
            Assistance.given_on,
            Assistance.project,
            Assistance.content,
            Assistance.quantity,
            Assistance.value_yuan,
            Assistance.provider,
            Activity.title,
        )
        .join(Activity, Activity.id == Assistance.activity_id, isouter=True)
        .where(Assistance.child_id == child_id, Assistance.deleted_at.is_(None))
        .order_by(Assistance.given_on, Assistance.id)
    )
    return [tuple(r) for r in rows]


def activities_of(session: Session, child_id: int) -> list[tuple]:
    """(held on, title, place, organiser) of the activities the child took part in, oldest first."""
    rows = session.execute(
        select(Activity.held_on, Activity.title, Activity.place, Activity.organiser)
        .join(ActivityChild, ActivityChild.activity_id == Activity.id)
        .where(ActivityChild.child_id == child_id, Activity.deleted_at.is_(None))
        .order_by(Activity.held_on, Activity.id)
    )
    return [tuple(r) for r in rows]


def activity_by_uid(session: Session, uid: str) -> tuple | None:
    """(id, held on, title, organiser, partners, place, description, goods) of one activity."""
    row = session.execute(
        select(
            Activity.id,
            Activity.held_on,
            Activity.title,
            Activity.organiser,
            Activity.partners,
            Activity.place,
            Activity.description,
            Activity.goods,
        ).where(Activity.uid == uid, Activity.deleted_at.is_(None))
    ).first()
    return None if row is None else tuple(row)


def activity_child_ids(session: Session, activity_id: int) -> list[int]:
    town = aliased(Area)
    query = (
        select(Child.id)
        .join(ActivityChild, ActivityChild.child_id == Child.id)
        .join(Area, Area.id == Child.village_id, isouter=True)
        .join(town, town.id == Area.parent_id, isouter=True)
        .where(ActivityChild.activity_id == activity_id, Child.deleted_at.is_(None))
        .order_by(town.name, Area.name, Child.name_pinyin, Child.id)
    )
    return list(session.scalars(query))


def activity_volunteers(session: Session, activity_id: int) -> list[tuple[str, str, str]]:
    """(name, phone, work unit) of the volunteers who took part."""
    rows = session.execute(
        select(Volunteer.name, Volunteer.phone, Volunteer.work_unit)
        .join(ActivityVolunteer, ActivityVolunteer.volunteer_id == Volunteer.id)
        .where(ActivityVolunteer.activity_id == activity_id, Volunteer.deleted_at.is_(None))
        .order_by(Volunteer.name_pinyin)
    )
    return [tuple(r) for r in rows]


def county_name(session: Session) -> str:
    return session.scalar(select(Area.name).where(Area.level == "county").limit(1)) or ""


def uids_printed_with(session: Session, text: str) -> list[str]:
    """Children whose print log entries mention text (a sheet code), newest first."""
    rows = session.execute(
        select(AuditEntry.entity_uid)
        .where(
            AuditEntry.action == "print",
            AuditEntry.entity == "child",
            AuditEntry.new_value.contains(text, autoescape=True),
        )
        .order_by(AuditEntry.id.desc())
        .limit(20)
    )
    return list(dict.fromkeys(r[0] for r in rows))
