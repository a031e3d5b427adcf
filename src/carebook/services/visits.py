"""走访: log a visit (one child or several of a family), edit, delete, list; schedule kept right."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from carebook.domain.people import VISIT_WAYS
from carebook.domain.schedule import DEFAULT_RULES, VisitRule
from carebook.i18n import tr
from carebook.services.audit import Origin, entry, field_changes
from carebook.services.errors import NotFoundError, ValidationError
from carebook.services.rescheduling import due_for, refresh_children
from carebook.storage import audit as audit_store
from carebook.storage import care_queries as cq
from carebook.storage import visit_queries as vq
from carebook.storage.database import Database
from carebook.storage.tables import Child, Visit, Volunteer, new_uid

ENTITY = "visit"
ASPECTS = {"life": "生活", "study": "学习", "health": "健康", "safety": "安全", "mental": "心理"}
# Quick choices per aspect: one click for a routine visit, free text for the rest.
ASPECT_CHOICES = {
    "life": ("生活正常", "衣食有保障", "生活较困难"),
    "study": ("学习正常", "成绩有进步", "学习困难", "有厌学情绪"),
    "health": ("身体健康", "有小病已就医", "需要关注"),
    "safety": ("已进行防溺水教育", "已进行用电安全教育", "已进行交通安全教育", "存在安全隐患"),
    "mental": ("情绪稳定", "性格开朗", "较为内向", "需要心理疏导"),
}
PEOPLE_MET = ("儿童", "监护人", "老师", "父母")
VISIT_FIELD_LABELS = {
    "visited_on": "走访日期",
    "way": "走访方式",
    "visitor_name": "走访人",
    "volunteer_uid": "爱心妈妈",
    "people_met": "见到的人",
    **{k: f"{v}情况" for k, v in ASPECTS.items()},
    "guardianship_problems": "监护问题",
    "problems": "发现的问题",
    "help_given": "帮扶措施",
    "follow_up": "需跟进事项",
    "next_visit_on": "下次走访日期",
    "notes": "备注",
}


@dataclass(frozen=True)
class VisitInput:
    visited_on: date
    way: str = "入户走访"
    visitor_name: str = ""
    volunteer_uid: str | None = None
    people_met: str = ""
    life: str = ""
    study: str = ""
    health: str = ""
    safety: str = ""
    mental: str = ""
    guardianship_problems: str = ""
    problems: str = ""
    help_given: str = ""
    follow_up: str = ""
    next_visit_on: date | None = None  # None: the schedule decides
    notes: str = ""

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class VisitRow:
    uid: str
    child_uid: str
    child_name: str
    village: str
    visited_on: date
    way: str
    visitor: str
    volunteer_name: str
    people_met: str
    problems: str
    follow_up: str
    family_visit_uid: str


@dataclass(frozen=True)
class VisitRecord:
    uid: str
    child_uid: str
    child_name: str
    family_child_names: tuple[str, ...]
    visit: VisitInput


def _checked(visit: VisitInput, today: date) -> VisitInput:
    problems: dict[str, str] = {}
    if visit.visited_on > today:
        problems["visited_on"] = tr("走访日期不能晚于今天。")
    if visit.way not in VISIT_WAYS:
        problems["way"] = tr("走访方式应为：{ways}。", ways="、".join(VISIT_WAYS))
    if not visit.visitor_name.strip() and not visit.volunteer_uid:
        problems["visitor_name"] = tr("请填写走访人。")
    if visit.next_visit_on is not None and visit.next_visit_on <= visit.visited_on:
        problems["next_visit_on"] = tr("下次走访日期应晚于本次走访日期。")
    if problems:
        raise ValidationError(problems)
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in visit.as_dict().items()}
    return VisitInput(**cleaned)  # type: ignore[arg-type]


def propose_next_visit(
    db: Database,
    child_uids: Sequence[str],
    visited_on: date,
    rules: tuple[VisitRule, ...] = DEFAULT_RULES,
) -> date | None:
    """The next visit date the schedule gives after a visit on `visited_on` (earliest child)."""
    with db.reading() as session:
        children = cq.children_by_uid(session, child_uids)
        dates = [
            due_for(
                c.registered_on,
                visited_on,
                None,
                [x.category for x in c.categories],
                c.care_level,
                rules,
            )
            for c in children
        ]
    return min(dates) if dates else None


def _volunteer_id(session, uid: str | None) -> int | None:
    if not uid:
        return None
    volunteer = cq.volunteer_by_uid(session, uid)
    if volunteer is None:
        raise NotFoundError(tr("找不到所选的爱心妈妈，可能已被删除。"))
    return volunteer.id


def _fill(row: Visit, visit: VisitInput, volunteer_id: int | None) -> None:
    for name, value in visit.as_dict().items():
        if name != "volunteer_uid":
            setattr(row, name, value)
    row.volunteer_id = volunteer_id


def log_visit(
    db: Database,
    child_uids: Sequence[str],
    visit: VisitInput,
    *,
    rules: tuple[VisitRule, ...] = DEFAULT_RULES,
    origin: Origin = Origin(),
    today: date | None = None,
) -> list[str]:
    """Record one visit to one child, or to several children of a family (one shared family uid)."""
    if not child_uids:
        raise ValidationError({"children": tr("请至少选择一名儿童。")})
    clean = _checked(visit, today or date.today())
    # The visitor's chosen date equal to the schedule's proposal is not a request; store only a
    # real request, so later rule changes still move the child's due date.
    proposed = propose_next_visit(db, child_uids, clean.visited_on, rules)
    if clean.next_visit_on == proposed:
        clean = replace(clean, next_visit_on=None)
    now = datetime.now()
    with db.transaction() as session:
        children = cq.children_by_uid(session, child_uids)
        if len(children) != len(set(child_uids)):
            raise NotFoundError(tr("所选儿童有的已被删除，请重新选择。"))
        for child in children:
            if child.birth_date and clean.visited_on < child.birth_date:
                raise ValidationError(
                    {"visited_on": tr("走访日期早于{name}的出生日期。", name=child.name)}
                )
        volunteer_id = _volunteer_id(session, clean.volunteer_uid)
        family = new_uid() if len(children) > 1 else ""
        rows = []
        for child in children:
            row = Visit(child_id=child.id, family_visit_uid=family, created_at=now, updated_at=now)
            _fill(row, clean, volunteer_id)
            rows.append(row)
        session.add_all(rows)
        session.flush()
        refresh_children(session, children, rules)
        audit_store.add_entries(
            session,
            [
                entry(
                    origin,
                    "create",
                    ENTITY,
                    r.uid,
                    new=f"{c.name} {clean.visited_on} {clean.way}",
                    at=now,
                )
                for r, c in zip(rows, children, strict=True)
            ],
        )
        return [r.uid for r in rows]


def _get(session, uid: str) -> Visit:
    visit = vq.visit_by_uid(session, uid)
    if visit is None:
        raise NotFoundError(tr("找不到这条走访记录，可能已被删除。"))
    return visit


def _input_of(session, row: Visit) -> VisitInput:
    values = {f.name: getattr(row, f.name) for f in fields(VisitInput) if f.name != "volunteer_uid"}
    volunteer_uid = None
    if row.volunteer_id is not None:
        v = session.get(Volunteer, row.volunteer_id)
        volunteer_uid = v.uid if v else None
    return VisitInput(volunteer_uid=volunteer_uid, **values)


def get_visit(db: Database, uid: str) -> VisitRecord:
    with db.reading() as session:
        row = _get(session, uid)
        child = session.get(Child, row.child_id)
        family = vq.visits_of_family(session, row.family_visit_uid)
        names = tuple(session.get(Child, v.child_id).name for v in family)
        return VisitRecord(uid, child.uid, child.name, names, _input_of(session, row))


def update_visit(
    db: Database,
    uid: str,
    visit: VisitInput,
    *,
    rules: tuple[VisitRule, ...] = DEFAULT_RULES,
    origin: Origin = Origin(),
    today: date | None = None,
) -> None:
    """Save an edited visit; each changed field goes to the audit log; the schedule follows."""
    clean = _checked(visit, today or date.today())
    now = datetime.now()
    with db.reading() as session:
        child_uid = session.get(Child, _get(session, uid).child_id).uid
    if clean.next_visit_on == propose_next_visit(db, [child_uid], clean.visited_on, rules):
        clean = replace(clean, next_visit_on=None)
    with db.transaction() as session:
        row = _get(session, uid)
        child = session.get(Child, row.child_id)
        if child.birth_date and clean.visited_on < child.birth_date:
            # As when it was logged: a corrected date is checked the same way.
            raise ValidationError(
                {"visited_on": tr("走访日期早于{name}的出生日期。", name=child.name)}
            )
        before = _input_of(session, row)
        changes = list(field_changes(before.as_dict(), clean.as_dict()))
        if not changes:
            return
        _fill(row, clean, _volunteer_id(session, clean.volunteer_uid))
        row.updated_at = now
        session.flush()
        refresh_children(session, [session.get(Child, row.child_id)], rules)
        audit_store.add_entries(
            session,
            [
                entry(origin, "update", ENTITY, uid, field=VISIT_FIELD_LABELS[f], old=o, new=n)
                for f, o, n in changes
            ],
        )


def delete_visit(
    db: Database,
    uid: str,
    *,
    reason: str = "",
    rules: tuple[VisitRule, ...] = DEFAULT_RULES,
    origin: Origin = Origin(),
) -> None:
    """Delete a visit (kept as deleted for the audit); the child's due date rolls back."""
    now = datetime.now()
    with db.transaction() as session:
        row = _get(session, uid)
        row.deleted_at = row.updated_at = now
        session.flush()
        child = session.get(Child, row.child_id)
        refresh_children(session, [child], rules)
        audit_store.add_entries(
            session,
            [
                entry(
                    origin,
                    "delete",
                    ENTITY,
                    uid,
                    old=f"{child.name} {row.visited_on} {row.way}",
                    new=reason.strip(),
                    at=now,
                )
            ],
        )


def _rows(rows: list[tuple]) -> list[VisitRow]:
    return [
        VisitRow(u, cu, cn, v or "", d, w, vis or "", vn or "", pm or "", pr or "", fu or "", fam)
        for u, cu, cn, v, d, w, vis, vn, pm, pr, fu, fam in rows
    ]


def list_visits(
    db: Database,
    *,
    start: date | None = None,
    end: date | None = None,
    village: str | None = None,
    limit: int | None = 2000,
    township: str | None = None,
    search: str = "",
) -> list[VisitRow]:
    """Visits newest first; a village is named with its township (新庄村 is in two); search
    finds a child as the register does, or the one who visited."""
    with db.reading() as session:
        rows = vq.visit_rows(
            session,
            start=start,
            end=end,
            village=village,
            township=township,
            limit=limit,
            search=search,
        )
        return _rows(rows)


def visits_of_child(db: Database, child_uid: str) -> list[VisitRow]:
    with db.reading() as session:
        child = cq.children_by_uid(session, [child_uid])
        if not child:
            raise NotFoundError(tr("找不到这名儿童，可能已被删除。"))
        return _rows(vq.visit_rows(session, child_id=child[0].id))


def visits_on_day(
    db: Database, child_uids: Sequence[str], day: date, *, except_uid: str | None = None
) -> list[VisitRow]:
    """The children's visits already logged on that day: the same paper sheet entered twice
    shows up here before it is saved twice."""
    found: list[VisitRow] = []
    with db.reading() as session:
        for child in cq.children_by_uid(session, child_uids):
            rows = _rows(vq.visit_rows(session, child_id=child.id, start=day, end=day))
            found.extend(r for r in rows if r.visited_on == day and r.uid != except_uid)
    return found


def visits_by_volunteer(db: Database, volunteer_uid: str) -> list[VisitRow]:
    with db.reading() as session:
        volunteer = cq.volunteer_by_uid(session, volunteer_uid)
        if volunteer is None:
            raise NotFoundError(tr("找不到这位爱心妈妈，可能已被删除。"))
        return _rows(vq.visit_rows(session, volunteer_id=volunteer.id))


@dataclass(frozen=True)
class VisitContext:
    """What the visit form shows about its children: names and their paired volunteers."""

    children: tuple[tuple[str, str, str], ...]  # (uid, name, village)
    volunteers: tuple[tuple[str, str], ...]  # (uid, name) actively paired with any of them
    left: tuple[str, ...] = ()  # a sentence for each child no longer on the register


def visit_context(db: Database, child_uids: Sequence[str]) -> VisitContext:
    with db.reading() as session:
        children = cq.children_by_uid(session, child_uids)
        if len(children) != len(set(child_uids)):
            raise NotFoundError(tr("所选儿童有的已被删除，请重新选择。"))
        volunteers: dict[str, str] = {}
        kids, left = [], []
        for child in children:
            for row in cq.pairing_rows(session, child_id=child.id, active_only=True):
                volunteers[row[4]] = row[5]
            kids.append((child.uid, child.name, cq.village_name(session, child.village_id)))
            if child.status != "在册":
                # A visit may still be logged (one made before the exit, entered late), but
                # the worker should know she is no longer due.
                left.append(
                    tr(
                        "{name}已于 {date} 退出台账（{reason}）。",
                        name=child.name,
                        date=child.status_date.isoformat() if child.status_date else "",
                        reason=child.status_reason or tr("未写原因"),
                    )
                )
    return VisitContext(tuple(kids), tuple(volunteers.items()), tuple(left))
