"""Queries behind the county workbook: streamed rows per sheet, lookups by uid, the exchange log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from carebook.storage.tables import (
    Area,
    Assistance,
    Child,
    ChildCategory,
    ExchangeExport,
    ExchangeImport,
    Meta,
    Pairing,
    Visit,
    Volunteer,
)

STREAM_CHUNK = 5000
IN_CHUNK = 500
MODELS = {
    "child": Child,
    "volunteer": Volunteer,
    "pairing": Pairing,
    "visit": Visit,
    "assistance": Assistance,
}


def get_meta(session: Session, key: str) -> str | None:
    return session.scalar(select(Meta.value).where(Meta.key == key))


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value
    session.flush()


def area_places(session: Session) -> dict[int, tuple[str, str]]:
    """Every area id -> (township, village); a township's own id gives (township, "")."""
    parent = aliased(Area)
    rows = session.execute(
        select(Area.id, Area.level, Area.name, parent.name).join(
            parent, Area.parent_id == parent.id, isouter=True
        )
    )
    places = {}
    for area_id, level, name, parent_name in rows:
        if level == "village":
            places[area_id] = (parent_name or "", name)
        elif level == "township":
            places[area_id] = (name, "")
        else:
            places[area_id] = ("", "")
    return places


def scope_area_ids(
    session: Session, township: str | None, village: str | None
) -> tuple[list[int], list[int]] | None:
    """(village ids, township ids) matching the names; None means everything."""
    if not township and not village:
        return None
    town = aliased(Area)
    query = (
        select(Area.id, town.id)
        .join(town, Area.parent_id == town.id, isouter=True)
        .where(Area.level == "village")
    )
    if township:
        query = query.where(town.name == township)
    if village:
        query = query.where(Area.name == village)
    rows = session.execute(query).all()
    return [r[0] for r in rows], sorted({r[1] for r in rows if r[1] is not None})


def child_categories(session: Session, village_ids: list[int] | None) -> dict[int, str]:
    query = (
        select(ChildCategory.child_id, ChildCategory.category)
        .join(Child, Child.id == ChildCategory.child_id)
        .where(Child.deleted_at.is_(None))
        .order_by(ChildCategory.child_id, ChildCategory.position)
    )
    if village_ids is not None:
        query = query.where(Child.village_id.in_(village_ids))
    out: dict[int, list[str]] = {}
    for child_id, label in session.execute(query):
        out.setdefault(child_id, []).append(label)
    return {k: "、".join(v) for k, v in out.items()}


CHILD_COLUMNS = (
    Child.id,
    Child.village_id,
    Child.uid,
    Child.name,
    Child.sex,
    Child.ethnicity,
    Child.id_number,
    Child.birth_date,
    Child.care_level,
    Child.status,
    Child.status_reason,
    Child.status_date,
    Child.registered_on,
    Child.school,
    Child.grade,
    Child.health,
    Child.disability_type,
    Child.disability_grade,
    Child.father_name,
    Child.father_work_place,
    Child.father_phone,
    Child.mother_name,
    Child.mother_work_place,
    Child.mother_phone,
    Child.guardian_name,
    Child.guardian_relation,
    Child.guardian_phone,
    Child.current_address,
    Child.notes,
    Child.last_visit_on,
    Child.updated_at,
)
CHILD_FIELDS = tuple(c.key for c in CHILD_COLUMNS)

VOLUNTEER_COLUMNS = (
    Volunteer.id,
    Volunteer.area_id,
    Volunteer.uid,
    Volunteer.name,
    Volunteer.sex,
    Volunteer.phone,
    Volunteer.identities,
    Volunteer.work_unit,
    Volunteer.status,
    Volunteer.notes,
    Volunteer.updated_at,
)
VOLUNTEER_FIELDS = tuple(c.key for c in VOLUNTEER_COLUMNS)


def _record_query(key: str) -> tuple[Select, tuple[str, ...]]:
    """The select for one sheet and the field name of each selected column."""
    if key == "child":
        return select(*CHILD_COLUMNS).where(Child.deleted_at.is_(None)), CHILD_FIELDS
    if key == "volunteer":
        return select(*VOLUNTEER_COLUMNS).where(Volunteer.deleted_at.is_(None)), VOLUNTEER_FIELDS
    if key == "pairing":
        query = (
            select(
                Pairing.uid,
                Child.uid,
                Child.name,
                Child.id_number,
                Volunteer.uid,
                Volunteer.name,
                Pairing.started_on,
                Pairing.ended_on,
                Pairing.end_reason,
                Pairing.updated_at,
            )
            .join(Child, Child.id == Pairing.child_id)
            .join(Volunteer, Volunteer.id == Pairing.volunteer_id)
            .where(Pairing.deleted_at.is_(None))
        )
        fields = [
            "uid",
            "child_uid",
            "child_name",
            "child_id_number",
            "volunteer_uid",
            "volunteer_name",
            "started_on",
            "ended_on",
            "end_reason",
            "updated_at",
        ]
        return query, tuple(fields)
    if key == "visit":
        query = (
            select(
                Visit.uid,
                Child.uid,
                Child.name,
                Visit.visited_on,
                Visit.way,
                Visit.visitor_name,
                Visit.life,
                Visit.study,
                Visit.health,
                Visit.safety,
                Visit.mental,
                Visit.problems,
                Visit.help_given,
                Visit.follow_up,
                Visit.next_visit_on,
                Visit.updated_at,
            )
            .join(Child, Child.id == Visit.child_id)
            .where(Visit.deleted_at.is_(None))
        )
        fields = [
            "uid",
            "child_uid",
            "child_name",
            "visited_on",
            "way",
            "visitor_name",
            "life",
            "study",
            "health",
            "safety",
            "mental",
            "problems",
            "help_given",
            "follow_up",
            "next_visit_on",
            "updated_at",
        ]
        return query, tuple(fields)
    query = (
        select(
            Assistance.uid,
            Child.uid,
            Child.name,
            Assistance.given_on,
            Assistance.project,
            Assistance.content,
            Assistance.quantity,
            Assistance.value_yuan,
            Assistance.provider,
            Assistance.updated_at,
        )
        .join(Child, Child.id == Assistance.child_id)
        .where(Assistance.deleted_at.is_(None))
    )
    fields = "uid child_uid child_name given_on project content quantity value_yuan provider"
    return query, (*fields.split(), "updated_at")


def record_fields(key: str) -> tuple[str, ...]:
    return _record_query(key)[1]


def _scoped(key: str, query: Select, villages: list[int], towns: list[int]) -> Select:
    if key == "child":
        return query.where(Child.village_id.in_(villages))
    if key == "volunteer":
        paired = (
            select(Pairing.volunteer_id)
            .join(Child, Child.id == Pairing.child_id)
            .where(Child.village_id.in_(villages), Pairing.deleted_at.is_(None))
        )
        return query.where(
            or_(Volunteer.area_id.in_([*villages, *towns]), Volunteer.id.in_(paired))
        )
    return query.where(Child.village_id.in_(villages))


def stream_records(
    session: Session,
    key: str,
    scope: tuple[list[int], list[int]] | None,
    *,
    period: tuple | None = None,
) -> Iterator[tuple]:
    """Every live row of one sheet in scope, as tuples in record_fields(key) order, streamed."""
    query, _ = _record_query(key)
    if scope is not None:
        query = _scoped(key, query, *scope)
    if period is not None and key in ("visit", "assistance"):
        column = Visit.visited_on if key == "visit" else Assistance.given_on
        query = query.where(column.between(*period))
    model = MODELS[key]
    order = Child.id if key == "child" else model.id
    result = session.execute(query.order_by(order).execution_options(yield_per=STREAM_CHUNK))
    yield from result


def count_records(session: Session, key: str, scope, *, period=None) -> int:
    query, _ = _record_query(key)
    if scope is not None:
        query = _scoped(key, query, *scope)
    if period is not None and key in ("visit", "assistance"):
        column = Visit.visited_on if key == "visit" else Assistance.given_on
        query = query.where(column.between(*period))
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def records_by_uid(session: Session, key: str, uids: Iterable[str]) -> dict[str, tuple]:
    """Live rows with these uids, as in stream_records."""
    query, fields = _record_query(key)
    at = fields.index("uid")
    model = MODELS[key]
    wanted = list(uids)
    out: dict[str, tuple] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        for row in session.execute(query.where(model.uid.in_(chunk))):
            out[row[at]] = row
    return out


def categories_of(session: Session, child_ids: Iterable[int]) -> dict[int, str]:
    ids = list(child_ids)
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), IN_CHUNK):
        query = (
            select(ChildCategory.child_id, ChildCategory.category)
            .where(ChildCategory.child_id.in_(ids[start : start + IN_CHUNK]))
            .order_by(ChildCategory.child_id, ChildCategory.position)
        )
        for child_id, label in session.execute(query):
            out.setdefault(child_id, []).append(label)
    return {k: "、".join(v) for k, v in out.items()}


def uid_states(session: Session, key: str, uids: Iterable[str]) -> dict[str, bool]:
    """uid -> deleted? for the uids this database knows (live or soft-deleted)."""
    model = MODELS[key]
    wanted = list(uids)
    out: dict[str, bool] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        for uid, deleted in session.execute(
            select(model.uid, model.deleted_at).where(model.uid.in_(chunk))
        ):
            out[uid] = deleted is not None
    return out


def row_by_uid(session: Session, key: str, uid: str, *, with_deleted: bool = False):
    model = MODELS[key]
    query = select(model).where(model.uid == uid)
    if not with_deleted:
        query = query.where(model.deleted_at.is_(None))
    return session.scalars(query).first()


def active_pairings_of(session: Session, key: str, row_id: int) -> list[Pairing]:
    """The live, not ended pairings of one child (key "child") or volunteer (key "volunteer")."""
    column = Pairing.child_id if key == "child" else Pairing.volunteer_id
    query = select(Pairing).where(
        column == row_id, Pairing.deleted_at.is_(None), Pairing.ended_on.is_(None)
    )
    return list(session.scalars(query.order_by(Pairing.id)))


def ids_by_uid(session: Session, key: str, uids: Iterable[str]) -> dict[str, int]:
    model = MODELS[key]
    wanted = list(uids)
    out: dict[str, int] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        query = select(model.uid, model.id).where(
            model.uid.in_(wanted[start : start + IN_CHUNK]), model.deleted_at.is_(None)
        )
        out.update({r[0]: r[1] for r in session.execute(query)})
    return out


def child_uid_by_id_number(session: Session, id_number: str) -> str | None:
    return session.scalar(
        select(Child.uid).where(Child.id_number == id_number, Child.deleted_at.is_(None))
    )


def volunteer_uid_by_name_phone(session: Session, name: str, phone: str) -> str | None:
    query = select(Volunteer.uid).where(Volunteer.name == name, Volunteer.deleted_at.is_(None))
    if phone:
        query = query.where(Volunteer.phone == phone)
    return session.scalars(query).first()


def child_uid_by_name(session: Session, name: str) -> list[str]:
    query = select(Child.uid).where(Child.name == name, Child.deleted_at.is_(None)).limit(2)
    return list(session.scalars(query))


def soft_delete(session: Session, key: str, uid: str, at: datetime) -> bool:
    model = MODELS[key]
    result = session.execute(
        update(model)
        .where(model.uid == uid, model.deleted_at.is_(None))
        .values(deleted_at=at, updated_at=at)
    )
    return bool(result.rowcount)


def last_visits(session: Session, child_ids: Iterable[int]) -> dict[int, object]:
    ids = list(child_ids)
    out: dict[int, object] = {}
    for start in range(0, len(ids), IN_CHUNK):
        query = (
            select(Visit.child_id, func.max(Visit.visited_on))
            .where(Visit.child_id.in_(ids[start : start + IN_CHUNK]), Visit.deleted_at.is_(None))
            .group_by(Visit.child_id)
        )
        out.update({r[0]: r[1] for r in session.execute(query)})
    return out


def add_export(session: Session, **values: object) -> ExchangeExport:
    row = ExchangeExport(**values)
    session.add(row)
    session.flush()
    return row


def add_import(session: Session, **values: object) -> ExchangeImport:
    row = ExchangeImport(**values)
    session.add(row)
    session.flush()
    return row


def imports_of(session: Session, workbook_uid: str) -> list[ExchangeImport]:
    query = select(ExchangeImport).where(ExchangeImport.workbook_uid == workbook_uid)
    return list(session.scalars(query.order_by(ExchangeImport.id)))


def last_exchange_with(
    session: Session, origin_uid: str, *, besides: str | None = None
) -> datetime | None:
    """When this database last sent a workbook out, or last read one from that installation
    other than the workbook `besides`: reading a workbook again must not count its own first
    reading, or a conflict it left open would look settled by it."""
    sent = session.scalar(select(func.max(ExchangeExport.exported_at)))
    reads = select(func.max(ExchangeImport.imported_at)).where(
        ExchangeImport.origin_uid == origin_uid
    )
    if besides is not None:
        reads = reads.where(ExchangeImport.workbook_uid != besides)
    read = session.scalar(reads)
    times = [t for t in (sent, read) if t is not None]
    return max(times) if times else None


def latest_reads(session: Session) -> dict[str, str]:
    """origin uid -> the uid of the last workbook read from that installation."""
    rows = session.execute(
        select(ExchangeImport.origin_uid, ExchangeImport.workbook_uid)
        .where(ExchangeImport.origin_uid != "")
        .order_by(ExchangeImport.imported_at, ExchangeImport.id)
    )
    return {origin: workbook for origin, workbook in rows}


def exported_at(session: Session, workbook_uid: str) -> datetime | None:
    """When this installation wrote the workbook (None: not one of ours)."""
    return session.scalar(
        select(ExchangeExport.exported_at).where(ExchangeExport.uid == workbook_uid)
    )


def last_read_from(session: Session, origin_uid: str, *, besides: str) -> datetime | None:
    """When a workbook from that installation, other than `besides`, was last read here."""
    return session.scalar(
        select(func.max(ExchangeImport.imported_at)).where(
            ExchangeImport.origin_uid == origin_uid, ExchangeImport.workbook_uid != besides
        )
    )
