"""Correcting or deleting a saved 活动. Its goods were one assistance record per child, so they
follow: a child taken off loses her record of these goods (marked deleted, logged), a child put
on gets the same goods only when the worker says so, and a deleted activity takes its goods
records with it. Nothing is erased: every row keeps its deleted_at and the log says who and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from carebook.domain.phones import mask_phone
from carebook.i18n import tr
from carebook.services import activity_goods as ag
from carebook.services.activities import ENTITY, ActivityInput, ChildPick, activity_problems
from carebook.services.audit import Origin, entry, field_changes
from carebook.services.errors import NotFoundError, ValidationError
from carebook.services.volunteers import VolunteerMatch
from carebook.storage import activity_queries as aq
from carebook.storage import audit as audit_store
from carebook.storage import care_queries as cq
from carebook.storage import ledger_queries as lq
from carebook.storage.database import Database
from carebook.storage.tables import Activity, ActivityChild, ActivityVolunteer, Assistance
from carebook.storage.volunteer_lookup import active_loads

GOODS_ENTITY = "assistance"
PART_FIELD = "参加活动"  # the field of a child's log entry when she is put on or taken off one
FIELD_LABELS = {
    "held_on": "活动日期",
    "title": "活动名称",
    "organiser": "主办单位",
    "partners": "协办单位",
    "place": "地点",
    "description": "活动内容",
}


@dataclass(frozen=True)
class ActivityForEdit:
    """A saved activity as its form shows it, with what its goods were."""

    uid: str
    activity: ActivityInput
    children: tuple[ChildPick, ...]
    volunteers: tuple[VolunteerMatch, ...]
    goods: str  # what each child received, e.g. "棉被 ×1，150.00 元/人"; "" when nothing
    goods_records: int  # live assistance records handed out with it
    goods_item: ag.ActivityGoods | None = None  # the same, field by field, for the form
    goods_following: int = 0  # records carrying those goods: a change reaches these
    goods_holders: tuple[str, ...] = ()  # uids of the children whose record follows
    # (child uid, "乙：羽绒服 ×1"): records corrected by hand, which a change leaves alone
    goods_apart: tuple[tuple[str, str], ...] = ()
    goods_missing: int = 0  # children on it (goods given) without a record of them


@dataclass(frozen=True)
class ActivityChanges:
    changed: bool
    children_added: int = 0
    children_removed: int = 0
    goods_removed: int = 0
    goods_added: int = 0
    goods_changed: int = 0  # records corrected to the activity's new goods
    goods_left_alone: int = 0  # records corrected by hand in 帮扶, not touched


@dataclass(frozen=True)
class ActivityDeleted:
    title: str
    children: int
    goods_removed: int


def _live(session, uid: str) -> Activity:
    row = lq.activity_by_uid(session, uid)
    if row is None:
        raise NotFoundError(tr("找不到这次活动，可能已被删除。"))
    return row


def activity_for_edit(db: Database, uid: str) -> ActivityForEdit:
    with db.reading() as session:
        row = _live(session, uid)
        kids = aq.child_picks(session, row.id)
        vols = aq.volunteer_rows(session, row.id)
        loads = active_loads(session, [v[0] for v in vols])
        goods, following, apart = ag.split(session, row)
        uids = {c.id: c.uid for c in aq.linked_children(session, row.id).values()}
        names = aq.child_names(session, {g.child_id for g in apart})
        return ActivityForEdit(
            uid=row.uid,
            activity=ActivityInput(
                row.held_on, row.title, row.organiser, row.partners, row.place, row.description
            ),
            children=tuple(ChildPick(u, n, s or "", v or "", sc or "") for u, n, s, v, sc in kids),
            volunteers=tuple(
                VolunteerMatch(
                    u, n, t, v, mask_phone(p) if p else "", loads.get(i, 0), st == "在岗"
                )
                for i, u, n, t, v, p, st in vols
            ),
            goods=goods.text() if goods else "",
            goods_records=len(following) + len(apart),
            goods_item=goods,
            goods_following=len(following),
            goods_holders=tuple(uids.get(g.child_id, "") for g in following),
            goods_apart=tuple(
                (uids.get(g.child_id, ""), f"{names.get(g.child_id, '')}：{ag.goods_of(g).text()}")
                for g in apart
            ),
            goods_missing=len(kids) - len(following) - len(apart) if goods else 0,
        )


def _names(people) -> str:
    return "、".join(p.name for p in people)


def update_activity(
    db: Database,
    uid: str,
    activity: ActivityInput,
    child_uids: Sequence[str],
    volunteer_uids: Sequence[str] = (),
    *,
    give_goods_to_added: bool = False,
    goods: ag.ActivityGoods | Literal["keep"] | None = ag.KEEP,
    origin: Origin = Origin(),
    today: date | None = None,
) -> ActivityChanges:
    """Save a corrected activity: only what changed is written and logged, in one transaction.
    Goods records of children taken off are marked deleted; children put on get the same goods
    only with give_goods_to_added; the goods records follow a corrected date and title.
    goods (unless KEEP) are the activity's goods as corrected, None to clear them: see
    activity_goods for what reaches which child's record."""
    today = today or date.today()
    problems = activity_problems(activity, child_uids, volunteer_uids, today)
    if goods is not None and goods != ag.KEEP and not child_uids:
        problems["goods"] = tr("发放物资须选择领取的儿童。")
    if problems:
        raise ValidationError(problems)
    if isinstance(goods, ag.ActivityGoods):
        goods = ag.normalized(goods, activity.held_on, today)
    now = datetime.now()
    with db.transaction() as session:
        row = _live(session, uid)
        old = {f: getattr(row, f) for f in FIELD_LABELS}
        new = {f: getattr(activity, f) for f in FIELD_LABELS}
        new = {f: v.strip() if isinstance(v, str) else v for f, v in new.items()}
        entries = [
            entry(origin, "update", ENTITY, uid, field=FIELD_LABELS[f], old=o, new=n, at=now)
            for f, o, n in field_changes(old, new)
        ]
        for field, value in new.items():
            setattr(row, field, value)
        had = aq.linked_children(session, row.id)
        wanted = list(dict.fromkeys(child_uids))
        removed = [c for u, c in had.items() if u not in set(wanted)]
        added = cq.children_by_uid(session, [u for u in wanted if u not in had])
        if len(added) != len([u for u in wanted if u not in had]):
            raise NotFoundError(tr("所选的儿童或爱心妈妈有的已被删除，请重新选择。"))
        if removed or added:
            entries.append(
                entry(
                    origin,
                    "update",
                    ENTITY,
                    uid,
                    field="参加儿童",
                    old=f"{len(had)} 名",
                    new=_people_change(len(had) - len(removed) + len(added), added, removed),
                    at=now,
                )
            )
        # Goods first looked at as they were: the model for a child put on.
        model, following, apart = ag.split(session, row)
        had_goods = following + apart
        gone = aq.goods_records(session, row.id, [c.id for c in removed])
        names = {c.id: c.name for c in removed}
        entries += ag.mark_deleted(gone, names, f"移出活动“{row.title}”", origin, now)
        # Each child's own history says it too: her file is where a worker looks first.
        taken_off = f"{old['held_on']} {old['title']}"
        gifts_gone = {item.child_id for item in gone}
        entries += [
            entry(
                origin,
                "update",
                "child",
                c.uid,
                field=PART_FIELD,
                old=taken_off,
                new="移出（所领物资记录已标为删除）" if c.id in gifts_gone else "移出",
                at=now,
            )
            for c in removed
        ]
        entries += [
            entry(
                origin,
                "update",
                "child",
                c.uid,
                field=PART_FIELD,
                new=f"{row.held_on} {row.title}",
                at=now,
            )
            for c in added
        ]
        aq.unlink_children(session, row.id, [c.id for c in removed])
        session.add_all(ActivityChild(activity_id=row.id, child_id=c.id) for c in added)
        entries += _follow(session, row, old, [g for g in had_goods if g not in gone], origin, now)
        given = 0
        outcome = ag.GoodsOutcome()
        if goods != ag.KEEP:
            # Children put on get the new goods with the others when goods are given afterwards.
            done, outcome = ag.apply_goods(session, row, goods, origin, now)
            entries += done
            model = goods if model is not None else None
        if give_goods_to_added and added and model is not None:
            gifts, made = ag.give(session, row, model, added, origin, now)
            entries += made
            given = len(gifts)
        entries += _volunteers(session, row, volunteer_uids, origin, now)
        if not entries:
            return ActivityChanges(changed=False)
        row.updated_at = now
        audit_store.add_entries(session, entries)
        return ActivityChanges(
            True,
            len(added),
            len(removed),
            len(gone) + outcome.removed,
            given + outcome.added,
            outcome.changed,
            outcome.left_alone,
        )


def _people_change(total: int, added, removed) -> str:
    # The log keeps what happened in the book's own words, as every other entry does.
    parts = [f"{total} 名"]
    if added:
        parts.append(f"加入：{_names(added)}")
    if removed:
        parts.append(f"移出：{_names(removed)}")
    return "；".join(parts)


def _follow(session, row: Activity, old: dict, goods: list[Assistance], origin, now) -> list:
    """Goods handed out at the activity carry its date and its title (in 备注): a corrected
    date or title is corrected on them too, each logged."""
    entries = []
    old_note = f"活动：{old['title']}"
    for item in goods:
        changes = []
        if row.held_on != old["held_on"] and item.given_on == old["held_on"]:
            changes.append(("发放日期", item.given_on, row.held_on))
            item.given_on = row.held_on
        if row.title != old["title"] and item.notes == old_note:
            changes.append(("备注", item.notes, f"活动：{row.title}"))
            item.notes = f"活动：{row.title}"
        if changes:
            item.updated_at = now
            entries += [
                entry(origin, "update", GOODS_ENTITY, item.uid, field=f, old=o, new=n, at=now)
                for f, o, n in changes
            ]
    return entries


def _volunteers(session, row: Activity, volunteer_uids, origin, now) -> list:
    had = aq.linked_volunteers(session, row.id)
    wanted = list(dict.fromkeys(volunteer_uids))
    removed = [v for u, v in had.items() if u not in set(wanted)]
    added = cq.volunteers_by_uid(session, [u for u in wanted if u not in had])
    if len(added) != len([u for u in wanted if u not in had]):
        raise NotFoundError(tr("所选的儿童或爱心妈妈有的已被删除，请重新选择。"))
    if not removed and not added:
        return []
    aq.unlink_volunteers(session, row.id, [v.id for v in removed])
    session.add_all(ActivityVolunteer(activity_id=row.id, volunteer_id=v.id) for v in added)
    change = _people_change(len(had) - len(removed) + len(added), added, removed)
    return [
        entry(
            origin,
            "update",
            ENTITY,
            row.uid,
            field="参加的爱心妈妈",
            old=f"{len(had)} 名",
            new=change,
            at=now,
        )
    ]


def delete_activity(
    db: Database, uid: str, *, reason: str = "", origin: Origin = Origin()
) -> ActivityDeleted:
    """Mark the activity deleted with the goods records handed out with it, each logged; who took
    part stays linked, so the deleted activity can still be read whole in the database."""
    now = datetime.now()
    with db.transaction() as session:
        row = _live(session, uid)
        linked = aq.linked_children(session, row.id)
        children = len(linked)
        goods = aq.goods_records(session, row.id)
        names = aq.child_names(session, {g.child_id for g in goods})
        entries = [
            entry(
                origin,
                "delete",
                ENTITY,
                uid,
                old=f"{row.held_on} {row.title}（儿童 {children} 名，物资记录 {len(goods)} 条）",
                new=reason.strip(),
                at=now,
            )
        ]
        entries += ag.mark_deleted(goods, names, f"随活动“{row.title}”删除", origin, now)
        entries += [
            entry(
                origin,
                "update",
                "child",
                c.uid,
                field=PART_FIELD,
                old=f"{row.held_on} {row.title}",
                new="活动已删除",
                at=now,
            )
            for c in linked.values()
        ]
        row.deleted_at = row.updated_at = now
        audit_store.add_entries(session, entries)
        return ActivityDeleted(row.title, children, len(goods))
