"""User actions on 爱心妈妈: register, edit, deactivate and reactivate, list and search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebook.domain.errors import DomainError
from carebook.domain.people import VOLUNTEER_IDENTITIES, canonical_sex
from carebook.domain.phones import mask_phone, normalize_phone
from carebook.domain.records import VOLUNTEER_FIELD_LABELS, VolunteerFacts
from carebook.i18n import tr
from carebook.services.audit import Origin, entry, field_changes
from carebook.services.errors import NotFoundError, ServiceError, ValidationError
from carebook.services.name_keys import pinyin_keys
from carebook.storage import audit as audit_store
from carebook.storage import care_queries as q
from carebook.storage import volunteer_lookup as lookup
from carebook.storage.areas import ensure_village, village_names
from carebook.storage.database import Database
from carebook.storage.tables import Volunteer

ENTITY = "volunteer"
ACTIVE, INACTIVE = "在岗", "停用"


@dataclass(frozen=True)
class VolunteerRow:
    uid: str
    name: str
    sex: str
    phone: str
    identities: tuple[str, ...]
    work_unit: str
    township: str
    village: str
    skills: str
    team_name: str
    status: str
    notes: str
    active_children: int

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def facts(self) -> VolunteerFacts:
        return VolunteerFacts(
            name=self.name,
            sex=self.sex,
            phone=self.phone,
            identities=self.identities,
            work_unit=self.work_unit,
            township=self.township,
            village=self.village,
            skills=self.skills,
            team_name=self.team_name,
            notes=self.notes,
        )


def _row(r: tuple) -> VolunteerRow:
    _id, uid, name, sex, phone, ident, unit, town, vill, skills, team, status, notes, load = r
    return VolunteerRow(
        uid=uid,
        name=name,
        sex=sex or "",
        phone=phone or "",
        identities=tuple(i for i in (ident or "").split("、") if i),
        work_unit=unit or "",
        township=town or "",
        village=vill or "",
        skills=skills or "",
        team_name=team or "",
        status=status,
        notes=notes or "",
        active_children=int(load),
    )


def check_volunteer(facts: VolunteerFacts) -> VolunteerFacts:
    """Cleaned facts, or ValidationError naming each field that is wrong."""
    problems: dict[str, str] = {}
    name = facts.name.strip()
    if not name:
        problems["name"] = tr("请填写姓名。")
    sex = facts.sex
    try:
        sex = canonical_sex(facts.sex) if facts.sex else "女"
    except DomainError as error:
        problems["sex"] = error.message
    phone = facts.phone.strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except DomainError as error:
            problems["phone"] = error.message
    unknown = [i for i in facts.identities if i not in VOLUNTEER_IDENTITIES]
    if unknown:
        problems["identities"] = tr(
            "身份“{unknown}”不在可选范围内：{choices}。",
            unknown="、".join(unknown),
            choices="、".join(VOLUNTEER_IDENTITIES),
        )
    if problems:
        raise ValidationError(problems)
    return VolunteerFacts(
        name=name,
        sex=sex,
        phone=phone,
        identities=tuple(dict.fromkeys(facts.identities)),
        work_unit=facts.work_unit.strip(),
        township=facts.township.strip(),
        village=facts.village.strip(),
        skills=facts.skills.strip(),
        team_name=facts.team_name.strip(),
        notes=facts.notes.strip(),
    )


def _apply(session, volunteer: Volunteer, facts: VolunteerFacts) -> None:
    volunteer.name, volunteer.sex, volunteer.phone = facts.name, facts.sex, facts.phone
    volunteer.identities = "、".join(facts.identities)
    volunteer.work_unit, volunteer.skills = facts.work_unit, facts.skills
    volunteer.team_name, volunteer.notes = facts.team_name, facts.notes
    volunteer.area_id = ensure_village(session, facts.township, facts.village)
    volunteer.name_pinyin, volunteer.name_initials = pinyin_keys(facts.name)


def _get(session, uid: str) -> Volunteer:
    volunteer = q.volunteer_by_uid(session, uid)
    if volunteer is None:
        raise NotFoundError(tr("找不到这位爱心妈妈，可能已被删除。"))
    return volunteer


def _facts_of(session, v: Volunteer) -> VolunteerFacts:
    township, village = village_names(session, v.area_id)
    return VolunteerFacts(
        name=v.name,
        sex=v.sex,
        phone=v.phone,
        identities=tuple(i for i in v.identities.split("、") if i),
        work_unit=v.work_unit,
        township=township,
        village=village,
        skills=v.skills,
        team_name=v.team_name,
        notes=v.notes,
    )


def register_volunteer(db: Database, facts: VolunteerFacts, *, origin: Origin = Origin()) -> str:
    """Add a volunteer; returns her uid."""
    clean = check_volunteer(facts)
    now = datetime.now()
    with db.transaction() as session:
        volunteer = Volunteer(created_at=now, updated_at=now, status=ACTIVE)
        _apply(session, volunteer, clean)
        session.add(volunteer)
        session.flush()
        audit_store.add_entries(
            session, [entry(origin, "create", ENTITY, volunteer.uid, new=clean.name, at=now)]
        )
        return volunteer.uid


def update_volunteer(
    db: Database, uid: str, facts: VolunteerFacts, *, origin: Origin = Origin()
) -> None:
    """Save an edited volunteer; each changed field goes to the audit log."""
    clean = check_volunteer(facts)
    now = datetime.now()
    with db.transaction() as session:
        volunteer = _get(session, uid)
        changes = list(field_changes(_facts_of(session, volunteer).as_dict(), clean.as_dict()))
        if not changes:
            return
        _apply(session, volunteer, clean)
        volunteer.updated_at = now
        audit_store.add_entries(
            session,
            [
                entry(origin, "update", ENTITY, uid, field=VOLUNTEER_FIELD_LABELS[f], old=o, new=n)
                for f, o, n in changes
            ],
        )


def set_volunteer_active(
    db: Database, uid: str, active: bool, *, origin: Origin = Origin()
) -> None:
    """Deactivate (停用) or reactivate; her pairings and history stay as they are."""
    status = ACTIVE if active else INACTIVE
    with db.transaction() as session:
        volunteer = _get(session, uid)
        if volunteer.status == status:
            raise ServiceError(
                tr("{name} 的状态已经是“{status}”。", name=volunteer.name, status=status)
            )
        old, volunteer.status, volunteer.updated_at = volunteer.status, status, datetime.now()
        action = "reactivate" if active else "deactivate"
        audit_store.add_entries(
            session, [entry(origin, action, ENTITY, uid, field="状态", old=old, new=status)]
        )


def reveal_phone(db: Database, uid: str, *, origin: Origin = Origin()) -> str:
    """Her full mobile number: showing it is deliberate and goes to the audit log."""
    with db.transaction() as session:
        volunteer = _get(session, uid)
        audit_store.add_entries(
            session,
            [entry(origin, "reveal", ENTITY, uid, field=VOLUNTEER_FIELD_LABELS["phone"])],
        )
        return volunteer.phone or ""


def list_volunteers(
    db: Database,
    *,
    search: str = "",
    township: str = "",
    include_inactive: bool = False,
) -> list[VolunteerRow]:
    """Volunteers matching name, pinyin, initials, phone digits, work unit or team."""
    with db.reading() as session:
        rows = q.volunteer_rows(
            session, search=search, township=township, include_inactive=include_inactive
        )
    return [_row(r) for r in rows]


def get_volunteer(db: Database, uid: str) -> VolunteerRow:
    with db.reading() as session:
        volunteer = _get(session, uid)
        (row,) = q.volunteer_rows(session, include_inactive=True, volunteer_id=volunteer.id)
    return _row(row)


@dataclass(frozen=True)
class VolunteerMatch:
    """One volunteer in a short pick list: enough to tell namesakes apart, phone masked."""

    uid: str
    name: str
    township: str
    village: str
    masked_phone: str
    load: int  # children she is actively paired with
    active: bool


@dataclass(frozen=True)
class VolunteerMatches:
    rows: tuple[VolunteerMatch, ...]
    total: int  # how many the text finds; rows holds the first few


PICK_LIMIT = 50


def find_volunteers(
    db: Database, text: str, *, limit: int = PICK_LIMIT, include_inactive: bool = False
) -> VolunteerMatches:
    """Volunteers whose name, pinyin, initials, village, township, team or phone digits hold
    the text: the name itself first, then names starting with it, then by pinyin."""
    with db.reading() as session:
        rows, total = lookup.find_volunteers(
            session, text, limit=limit, include_inactive=include_inactive
        )
        loads = lookup.active_loads(session, [r[0] for r in rows])
    return VolunteerMatches(
        rows=tuple(
            VolunteerMatch(
                uid=uid,
                name=name,
                township=town,
                village=village,
                masked_phone=mask_phone(phone) if phone else "",
                load=loads.get(vid, 0),
                active=status == ACTIVE,
            )
            for vid, uid, name, town, village, phone, status in rows
        ),
        total=total,
    )
