"""Turn stored rows into what the prints show: masked numbers, dates as text, joined lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from carebook.domain.dates import age_on
from carebook.domain.id_numbers import IdNumberError, mask_id, normalize_id
from carebook.domain.phones import mask_phone
from carebook.domain.records import CHILD_FIELD_LABELS
from carebook.i18n import tr
from carebook.printing.records import FilledVisit, SheetChild
from carebook.services.errors import NotFoundError
from carebook.services.sheet_codes import make_code, qr_value
from carebook.storage import print_queries as pq
from carebook.storage import schedule_queries as sq


@dataclass(frozen=True)
class Reveal:
    """Which personal numbers a print shows in full (masked unless the worker asks)."""

    ids: bool = False
    phones: bool = False

    def id_number(self, value: str | None) -> str:
        if not value:
            return ""
        return value if self.ids else mask_id(value)

    def phone(self, value: str | None) -> str:
        if not value:
            return ""
        return value if self.phones else mask_phone(value)


@dataclass(frozen=True)
class ChildRow:
    """One child's stored facts by column name, with its place, categories and pairings."""

    id: int
    uid: str
    township: str
    village: str
    values: dict[str, object]
    categories: tuple[str, ...]
    volunteers: tuple[tuple[str, str], ...]
    last_visit: tuple | None

    def __getitem__(self, name: str) -> object:
        return self.values[name]

    def text(self, name: str) -> str:
        value = self.values[name]
        return "" if value is None else str(value)


def load_children(session, ids: Sequence[int], *, with_visits: bool = True) -> list[ChildRow]:
    """The children with these ids, in the order given."""
    rows = pq.child_rows(session, ids)
    categories = sq.categories_of(session, ids)
    volunteers = pq.active_volunteers(session, ids)
    visits = pq.last_visits(session, ids) if with_visits else {}
    out = []
    for child_id in ids:
        row = rows.get(child_id)
        if row is None:
            continue
        uid, town, village, *values = row
        out.append(
            ChildRow(
                id=child_id,
                uid=uid,
                township=town or "",
                village=village or "",
                values=dict(zip(pq.SHEET_COLUMNS, values, strict=True)),
                categories=tuple(categories.get(child_id, ())),
                volunteers=tuple(volunteers.get(child_id, ())),
                last_visit=visits.get(child_id),
            )
        )
    return out


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def birth_text(birth: date | None, today: date) -> str:
    if birth is None:
        return ""
    if birth > today:
        return birth.isoformat()
    return f"{birth.isoformat()}（{age_on(birth, today)}岁）"


def age_text(birth: date | None, today: date) -> str:
    return str(age_on(birth, today)) if birth and birth <= today else ""


def file_number(row: ChildRow) -> str:
    """档案编号: the year registered and the local record number, stable for the child's life."""
    registered = row["registered_on"]
    year = registered.year if isinstance(registered, date) else 0
    return f"{year:04d}-{row.id:06d}"


def health_text(row: ChildRow) -> str:
    parts = [row.text("health")]
    if row.text("disability_type"):
        parts.append(f"{row.text('disability_type')}残疾{row.text('disability_grade')}")
    return "，".join(p for p in parts if p)


def volunteers_text(row: ChildRow, reveal: Reveal) -> str:
    return "、".join(
        f"{name}（{reveal.phone(phone)}）" if phone else name for name, phone in row.volunteers
    )


def last_visit_text(row: ChildRow) -> str:
    parts = []
    if row.last_visit:
        visited, way, visitor, _follow, _next = row.last_visit
        who = f"（走访人 {visitor}）" if visitor else ""
        parts.append(f"{day(visited)} {way}{who}")
    else:
        parts.append("尚无走访记录")
    due = row["next_due_on"]
    if isinstance(due, date):
        parts.append(f"应于 {due.isoformat()} 前走访")
    return "；".join(parts)


def sheet_child(row: ChildRow, reveal: Reveal, today: date, printed_on: date) -> SheetChild:
    code = make_code(row.uid, printed_on)
    v = row.text
    return SheetChild(
        uid=row.uid,
        file_number=file_number(row),
        code=code,
        qr_value=qr_value(row.uid, code),
        name=v("name"),
        sex=v("sex"),
        ethnicity=v("ethnicity"),
        birth=birth_text(row["birth_date"], today),  # type: ignore[arg-type]
        id_number=reveal.id_number(row["id_number"]),  # type: ignore[arg-type]
        township=row.township,
        village=row.village,
        address=v("current_address") or v("household_address"),
        school=v("school"),
        grade=v("grade"),
        boarding="是" if row["boarding"] else "否",
        health=health_text(row),
        categories="、".join(row.categories),
        care_level=v("care_level"),
        guardian=v("guardian_name"),
        guardian_relation=v("guardian_relation"),
        guardian_phone=reveal.phone(v("guardian_phone")),
        guardianship=v("guardianship_type"),
        father=v("father_name"),
        father_status=v("father_status"),
        father_work_place=v("father_work_place"),
        father_phone=reveal.phone(v("father_phone")),
        mother=v("mother_name"),
        mother_status=v("mother_status"),
        mother_work_place=v("mother_work_place"),
        mother_phone=reveal.phone(v("mother_phone")),
        volunteers=volunteers_text(row, reveal),
        last_visit=last_visit_text(row),
        follow_up=(row.last_visit[3] if row.last_visit else "") or "",
    )


def filled_visit(uid: str, values: tuple) -> FilledVisit:
    v = dict(zip(pq.VISIT_COLUMNS, values, strict=True))
    text = {k: ("" if val is None else str(val)) for k, val in v.items()}
    return FilledVisit(
        uid=uid,
        visited_on=day(v["visited_on"]),
        way=text["way"],
        visitor=text["visitor_name"],
        people_met=text["people_met"],
        life=text["life"],
        study=text["study"],
        health=text["health"],
        safety=text["safety"],
        mental=text["mental"],
        guardianship_problems=text["guardianship_problems"],
        problems=text["problems"],
        help_given=text["help_given"],
        follow_up=text["follow_up"],
        next_visit_on=day(v["next_visit_on"]),
        notes=text["notes"],
    )


def child_fact_pairs(row: ChildRow, reveal: Reveal, today: date) -> tuple[tuple[str, str], ...]:
    """Every recorded fact of a child as (label, text), numbers masked as asked."""
    label = CHILD_FIELD_LABELS
    out: list[tuple[str, str]] = []
    for name in CHILD_FIELD_LABELS:
        if name == "township":
            value = row.township
        elif name == "village":
            value = row.village
        elif name == "categories":
            value = "、".join(row.categories)
        elif name in ("id_number", "father_id_number", "mother_id_number", "guardian_id_number"):
            value = reveal.id_number(row.text(name))
        elif name in ("father_phone", "mother_phone", "guardian_phone"):
            value = reveal.phone(row.text(name))
        elif name == "birth_date":
            value = birth_text(row["birth_date"], today)  # type: ignore[arg-type]
        elif name == "boarding":
            value = "是" if row["boarding"] else "否"
        else:
            value = row.text(name)
        out.append((label[name], value))
    out += [
        ("状态", row.text("status")),
        (
            "状态变更",
            " ".join(p for p in (day(row["status_date"]), row.text("status_reason")) if p),
        ),  # type: ignore[arg-type]
        ("登记日期", day(row["registered_on"])),  # type: ignore[arg-type]
        ("下次应访", day(row["next_due_on"])),  # type: ignore[arg-type]
    ]
    return tuple(out)


def money(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def child_id_for_key(session, key: str) -> int:
    """A child by uid or by ID number (as typed: spaces, full-width digits and x are forgiven)."""
    text = key.strip()
    child_id = pq.child_id_by_uid(session, text) or pq.child_id_by_uid(session, text.lower())
    if child_id is None:
        try:
            number = normalize_id(text)
        except IdNumberError:
            number = text
        child_id = pq.child_id_by_id_number(session, number)
    if child_id is None:
        raise NotFoundError(tr("找不到儿童“{key}”：请填身份证号或儿童编号（uid）。", key=key))
    return child_id
