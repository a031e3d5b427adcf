"""活动: a group event with its children and volunteers; goods handed out become assistance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from carebook.i18n import tr
from carebook.services.assistance import AssistanceInput, check_assistance, new_assistance_rows
from carebook.services.audit import Origin, entry
from carebook.services.errors import NotFoundError, ValidationError
from carebook.storage import activity_queries
from carebook.storage import audit as audit_store
from carebook.storage import care_queries as cq
from carebook.storage import ledger_queries as lq
from carebook.storage.areas import all_villages
from carebook.storage.database import Database
from carebook.storage.tables import Activity, ActivityChild, ActivityVolunteer

ENTITY = "activity"


@dataclass(frozen=True)
class ActivityInput:
    held_on: date
    title: str
    organiser: str = ""
    partners: str = ""
    place: str = ""
    description: str = ""


@dataclass(frozen=True)
class Goods:
    """What each participating child received: becomes one assistance record per child."""

    content: str
    project: str = "其他"
    quantity_each: Decimal | None = Decimal(1)
    value_each: Decimal | None = None
    provider: str = ""


@dataclass(frozen=True)
class ActivityRow:
    uid: str
    held_on: date
    title: str
    organiser: str
    partners: str
    place: str
    goods: str
    children: int
    volunteers: int
    value: Decimal


@dataclass(frozen=True)
class ActivityDetail:
    row: ActivityRow
    description: str
    children: list[tuple[str, str, str]]  # (uid, name, village)
    volunteers: list[tuple[str, str, str]]  # (uid, name, village)
    goods_records: int = 0  # live assistance records handed out with it


@dataclass(frozen=True)
class ChildPick:
    uid: str
    name: str
    sex: str
    village: str
    school: str


def activity_problems(
    activity: ActivityInput,
    child_uids: Sequence[str],
    volunteer_uids: Sequence[str],
    today: date,
) -> dict[str, str]:
    """What keeps an activity, new or corrected, from being saved (field -> message)."""
    problems: dict[str, str] = {}
    if not activity.title.strip():
        problems["title"] = tr("请填写活动名称。")
    if activity.held_on > today:
        problems["held_on"] = tr("活动日期不能晚于今天（还没办的活动请办完后再登记）。")
    if not child_uids and not volunteer_uids:
        problems["children"] = tr("请选择参加活动的儿童或爱心妈妈。")
    return problems


def record_activity(
    db: Database,
    activity: ActivityInput,
    child_uids: Sequence[str],
    volunteer_uids: Sequence[str] = (),
    goods: Goods | None = None,
    *,
    origin: Origin = Origin(),
    today: date | None = None,
) -> str:
    """Save the activity, who took part and, with goods, one assistance record per child."""
    today = today or date.today()
    problems = activity_problems(activity, child_uids, volunteer_uids, today)
    if goods is not None and not child_uids:
        problems["goods"] = tr("发放物资须选择领取的儿童。")
    if problems:
        raise ValidationError(problems)
    item = None
    if goods is not None:
        item = check_assistance(
            AssistanceInput(
                activity.held_on,
                goods.project,
                goods.content,
                goods.quantity_each,
                goods.value_each,
                goods.provider or activity.organiser,
                f"活动：{activity.title.strip()}",
            ),
            today,
        )
    now = datetime.now()
    with db.transaction() as session:
        children = cq.children_by_uid(session, child_uids)
        volunteers = cq.volunteers_by_uid(session, volunteer_uids)
        if len(children) != len(set(child_uids)) or len(volunteers) != len(set(volunteer_uids)):
            raise NotFoundError(tr("所选的儿童或爱心妈妈有的已被删除，请重新选择。"))
        row = Activity(
            held_on=activity.held_on,
            title=activity.title.strip(),
            organiser=activity.organiser.strip(),
            partners=activity.partners.strip(),
            place=activity.place.strip(),
            description=activity.description.strip(),
            goods=item.content if item else "",
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        session.add_all(ActivityChild(activity_id=row.id, child_id=c.id) for c in children)
        session.add_all(
            ActivityVolunteer(activity_id=row.id, volunteer_id=v.id) for v in volunteers
        )
        entries = [
            entry(
                origin,
                "create",
                ENTITY,
                row.uid,
                new=f"{row.held_on} {row.title}（儿童 {len(children)} 名）",
                at=now,
            )
        ]
        if item is not None:
            gifts = new_assistance_rows(session, [c.id for c in children], item, row.id, now)
            entries += [
                entry(origin, "create", "assistance", g.uid, new=f"{c.name} {item.content}", at=now)
                for g, c in zip(gifts, children, strict=True)
            ]
        audit_store.add_entries(session, entries)
        return row.uid


def _row(r: tuple) -> ActivityRow:
    uid, held, title, org, partners, place, goods, kids, vols, value = r
    return ActivityRow(
        uid,
        held,
        title,
        org or "",
        partners or "",
        place or "",
        goods or "",
        kids,
        vols,
        Decimal(str(value or 0)).quantize(Decimal("0.01")),
    )


def list_activities(
    db: Database, *, start: date | None = None, end: date | None = None
) -> list[ActivityRow]:
    with db.reading() as session:
        return [_row(r) for r in lq.activity_rows(session, start, end)]


def get_activity(db: Database, uid: str) -> ActivityDetail:
    with db.reading() as session:
        activity = lq.activity_by_uid(session, uid)
        if activity is None:
            raise NotFoundError(tr("找不到这次活动，可能已被删除。"))
        (row,) = lq.activity_rows(session, None, None, activity_id=activity.id)
        kids, vols = lq.activity_people(session, activity.id)
        goods = activity_queries.goods_count(session, activity.id)
    return ActivityDetail(
        _row(row),
        activity.description,
        [(u, n, v or "") for u, n, v in kids],
        [(u, n, v or "") for u, n, v in vols],
        goods,
    )


def activities_of_volunteer(db: Database, volunteer_uid: str) -> list[tuple[str, date, str, str]]:
    with db.reading() as session:
        volunteer = cq.volunteer_by_uid(session, volunteer_uid)
        if volunteer is None:
            raise NotFoundError(tr("找不到这位爱心妈妈，可能已被删除。"))
        return lq.activities_of(session, volunteer_id=volunteer.id)


def pick_children(
    db: Database,
    *,
    search: str = "",
    village: str = "",
    school: str = "",
    category: str = "",
    unpaired_only: bool = False,
    limit: int = 5000,
) -> list[ChildPick]:
    """Children in the register matching a filter, e.g. all children of one school (the
    first `limit`, by township, village and name)."""
    with db.reading() as session:
        rows = lq.pick_children(
            session,
            search=search,
            village=village,
            school=school,
            category=category,
            unpaired_only=unpaired_only,
            limit=limit,
        )
    return [ChildPick(u, n, s or "", v or "", sc or "") for u, n, s, v, sc in rows]


def children_in_register(db: Database) -> int:
    with db.reading() as session:
        return lq.children_to_pick(session)


def school_names(db: Database) -> list[str]:
    with db.reading() as session:
        return lq.schools(session)


def village_choices(db: Database) -> list[str]:
    """Village names for filters, ordered by township then village, each once."""
    with db.reading() as session:
        return list(dict.fromkeys(name for _id, _town, name in all_villages(session)))
