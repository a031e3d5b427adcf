"""结对: pair volunteers with children, end with a reason, renew; the history stays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from carebook.domain.people import PAIRING_MODES
from carebook.domain.phones import mask_phone
from carebook.i18n import tr
from carebook.services.audit import Origin, entry
from carebook.services.errors import NotFoundError, ServiceError, ValidationError
from carebook.storage import audit as audit_store
from carebook.storage import care_queries as q
from carebook.storage.database import Database
from carebook.storage.tables import Child, Pairing

ENTITY = "pairing"
RENEWED = "续签"


@dataclass(frozen=True)
class PairingRow:
    uid: str
    child_uid: str
    child_name: str
    village: str
    volunteer_uid: str
    volunteer_name: str
    mode: str
    started_on: date
    ended_on: date | None
    end_reason: str
    renewed_from_uid: str | None
    renewed_from_started: date | None = None  # when the pairing it renews began

    @property
    def active(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True)
class PairingCounts:
    listed: int  # pairings the list holds
    active: int
    children: int  # in the active ones
    volunteers: int


@dataclass(frozen=True)
class VolunteerChoice:
    uid: str
    name: str
    township: str
    village: str
    load: int  # children she is actively paired with
    nearness: int  # 0 same village, 1 same township, 2 elsewhere
    team_name: str
    masked_phone: str = ""  # tells namesakes apart


@dataclass(frozen=True)
class ChildChoice:
    uid: str
    name: str
    township: str
    village: str
    school: str
    volunteers: int  # active pairings the child already has
    nearness: int


def mode_for(volunteers: int, children: int) -> str:
    """The pairing mode a group of this shape is: 一对一, 多对一, 一对多 or 团队."""
    if volunteers <= 1 and children <= 1:
        return "一对一"
    if children == 1:
        return "多对一"
    if volunteers == 1:
        return "一对多"
    return "团队"


def pair(
    db: Database,
    volunteer_uids: Sequence[str],
    child_uids: Sequence[str],
    *,
    started_on: date,
    mode: str | None = None,
    notes: str = "",
    origin: Origin = Origin(),
    today: date | None = None,
) -> list[str]:
    """Pair every given volunteer with every given child; returns the new pairing uids."""
    today = today or date.today()
    if not volunteer_uids:
        raise ValidationError({"volunteers": tr("请至少选择一位爱心妈妈。")})
    if not child_uids:
        raise ValidationError({"children": tr("请至少选择一名儿童。")})
    if started_on > today:
        raise ValidationError({"started_on": tr("结对开始日期不能晚于今天。")})
    chosen = mode or mode_for(len(set(volunteer_uids)), len(set(child_uids)))
    if chosen not in PAIRING_MODES:
        raise ValidationError(
            {"mode": tr("结对方式应为：{modes}。", modes="、".join(PAIRING_MODES))}
        )
    now = datetime.now()
    with db.transaction() as session:
        volunteers = q.volunteers_by_uid(session, volunteer_uids)
        children = q.children_by_uid(session, child_uids)
        if len(volunteers) != len(set(volunteer_uids)) or len(children) != len(set(child_uids)):
            raise NotFoundError(tr("所选的爱心妈妈或儿童有的已被删除，请重新选择。"))
        for volunteer in volunteers:
            if volunteer.status != "在岗":
                raise ServiceError(tr("{name} 已停用，不能新建结对。", name=volunteer.name))
        for child in children:
            if child.status != "在册":
                raise ServiceError(tr("{name} 已退出台账，不能新建结对。", name=child.name))
        made: list[Pairing] = []
        for volunteer in volunteers:
            for child in children:
                if q.active_pair_exists(session, child.id, volunteer.id):
                    raise ServiceError(
                        tr(
                            "{volunteer} 与 {child} 已在结对中。",
                            volunteer=volunteer.name,
                            child=child.name,
                        )
                    )
                made.append(
                    Pairing(
                        child_id=child.id,
                        volunteer_id=volunteer.id,
                        mode=chosen,
                        started_on=started_on,
                        notes=notes.strip(),
                        created_at=now,
                        updated_at=now,
                    )
                )
        session.add_all(made)
        session.flush()
        names = {v.id: v.name for v in volunteers} | {-c.id: c.name for c in children}
        audit_store.add_entries(
            session,
            [
                entry(
                    origin,
                    "create",
                    ENTITY,
                    p.uid,
                    new=f"{names[p.volunteer_id]} ↔ {names[-p.child_id]}"
                    f"（{chosen}，{started_on}起）",
                    at=now,
                )
                for p in made
            ],
        )
        return [p.uid for p in made]


def _get(session, uid: str) -> Pairing:
    pairing = q.pairing_by_uid(session, uid)
    if pairing is None:
        raise NotFoundError(tr("找不到这条结对记录。"))
    return pairing


def _check_end(pairing: Pairing, on: date, reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"end_reason": tr("结束结对须填写原因。")})
    if pairing.ended_on is not None:
        raise ServiceError(tr("这条结对已经结束。"))
    if on < pairing.started_on:
        raise ValidationError({"ended_on": tr("结束日期不能早于结对开始日期。")})
    return reason.strip()


def end_pairing(
    db: Database, uid: str, *, on: date, reason: str, origin: Origin = Origin()
) -> None:
    """End an active pairing with a date and reason; the record stays in the history."""
    with db.transaction() as session:
        pairing = _get(session, uid)
        reason = _check_end(pairing, on, reason)
        q.end_pairing_rows(session, [pairing], on, reason, datetime.now())
        audit_store.add_entries(
            session, [entry(origin, "end", ENTITY, uid, field="结束", new=f"{on} {reason}")]
        )


def renew_pairing(db: Database, uid: str, *, on: date, origin: Origin = Origin()) -> str:
    """Continue a pairing as a new term from `on`: the old one ends (续签) if still active."""
    now = datetime.now()
    with db.transaction() as session:
        old = _get(session, uid)
        child = session.get(Child, old.child_id)
        if child is None or child.status != "在册":
            raise ServiceError(tr("儿童已退出台账，不能续签结对。"))
        if old.ended_on is None:
            if on < old.started_on:
                raise ValidationError({"started_on": tr("续签日期不能早于原结对开始日期。")})
            q.end_pairing_rows(session, [old], on, RENEWED, now)
        elif q.active_pair_exists(session, old.child_id, old.volunteer_id):
            raise ServiceError(tr("这对爱心妈妈和儿童已有进行中的结对。"))
        new = Pairing(
            child_id=old.child_id,
            volunteer_id=old.volunteer_id,
            mode=old.mode,
            started_on=on,
            renewed_from_id=old.id,
            notes=old.notes,
            created_at=now,
            updated_at=now,
        )
        session.add(new)
        session.flush()
        audit_store.add_entries(
            session,
            [
                entry(origin, "renew", ENTITY, old.uid, field="续签", new=new.uid, at=now),
                entry(origin, "create", ENTITY, new.uid, new=f"续签自 {old.uid}（{on}起）", at=now),
            ],
        )
        return new.uid


def end_pairings_in(session, child: Child, on: date, reason: str, origin: Origin) -> int:
    """End every active pairing of a child in the caller's transaction (leaving the register)."""
    active = q.active_pairings_of_child(session, child.id)
    now = datetime.now()
    q.end_pairing_rows(session, active, on, reason, now)
    audit_store.add_entries(
        session,
        [
            entry(origin, "end", ENTITY, p.uid, field="结束", new=f"{on} {reason}", at=now)
            for p in active
        ],
    )
    return len(active)


def _rows(rows: list[tuple]) -> list[PairingRow]:
    return [
        PairingRow(u, cu, cn, v or "", vu, vn, m, s, e, r or "", ru, rs)
        for u, cu, cn, v, vu, vn, m, s, e, r, ru, rs in rows
    ]


def list_pairings(
    db: Database,
    *,
    active_only: bool = False,
    search: str = "",
    offset: int = 0,
    limit: int | None = None,
    sort: tuple[str, bool] | None = None,
) -> list[PairingRow]:
    """Pairings, active first and newest first, or by sort = (PairingRow field, descending);
    offset/limit give one page of the list."""
    order = None if sort is None else (_SORT_COLUMNS[sort[0]], sort[1])
    with db.reading() as session:
        rows = q.pairing_rows(
            session,
            active_only=active_only,
            search=search,
            offset=offset,
            limit=limit,
            sort=order,
        )
    return _rows(rows)


# PairingRow field -> column of care_queries.pairing_rows, for sorting a paged list in SQL.
_SORT_COLUMNS = {
    "child_name": 2,
    "village": 3,
    "volunteer_name": 5,
    "mode": 6,
    "started_on": 7,
    "ended_on": 8,
    "end_reason": 9,
    "renewed_from_started": 11,
}


def count_pairings(db: Database, *, active_only: bool = False, search: str = "") -> PairingCounts:
    with db.reading() as session:
        return PairingCounts(*q.pairing_counts(session, active_only=active_only, search=search))


def pairings_of_child(db: Database, child_uid: str) -> list[PairingRow]:
    """A child's pairings, active first, with the whole history."""
    with db.reading() as session:
        child = q.children_by_uid(session, [child_uid])
        if not child:
            raise NotFoundError(tr("找不到这名儿童，可能已被删除。"))
        return _rows(q.pairing_rows(session, child_id=child[0].id))


def pairings_of_volunteer(db: Database, volunteer_uid: str) -> list[PairingRow]:
    with db.reading() as session:
        volunteer = q.volunteer_by_uid(session, volunteer_uid)
        if volunteer is None:
            raise NotFoundError(tr("找不到这位爱心妈妈，可能已被删除。"))
        return _rows(q.pairing_rows(session, volunteer_id=volunteer.id))


def volunteer_choices_for_child(
    db: Database, child_uid: str, *, search: str = "", limit: int | None = None
) -> list[VolunteerChoice]:
    """Volunteers to pair with this child: same village, then township, least loaded first;
    narrowed by a typed name, phone digits or place (the first `limit`)."""
    with db.reading() as session:
        child = q.children_by_uid(session, [child_uid])
        if not child:
            raise NotFoundError(tr("找不到这名儿童，可能已被删除。"))
        rows = q.volunteer_choices(session, child[0], search, limit)
    return [VolunteerChoice(*r[:7], masked_phone=mask_phone(r[7]) if r[7] else "") for r in rows]


def child_choices_for_volunteer(
    db: Database, volunteer_uid: str, *, search: str = "", limit: int | None = None
) -> list[ChildChoice]:
    """Children to pair with this volunteer: unpaired first, then nearest (the first `limit`)."""
    with db.reading() as session:
        volunteer = q.volunteer_by_uid(session, volunteer_uid)
        if volunteer is None:
            raise NotFoundError(tr("找不到这位爱心妈妈，可能已被删除。"))
        return [ChildChoice(*r) for r in q.child_choices(session, volunteer, search, limit)]
