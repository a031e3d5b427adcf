"""The goods of a saved 活动, corrected from the activity: one change reaches every child's
record of them, goods added later give one record per participating child, and cleared goods
mark those records deleted. A child's record corrected by hand in 帮扶 is left as it is.

What the activity handed out is the content saved on the activity (Activity.goods) with the
quantity, value, provider and project most of its records carry. A live record that differs
from that was corrected on its own (帮扶 page, another machine's merge) and is never rewritten
by a change made from the activity; a child whose record of it was deleted by hand gets none."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from carebook.i18n import tr
from carebook.services.assistance import AssistanceInput, check_assistance, new_assistance_rows
from carebook.services.audit import Origin, entry
from carebook.storage import activity_queries as aq
from carebook.storage.tables import Activity, Assistance

GOODS_ENTITY = "assistance"
GOODS_FIELD = "活动物资"  # the field of a child's (and the activity's) log entry about its goods
KEEP: Literal["keep"] = "keep"  # update_activity(goods=KEEP): the goods are not touched
# Assistance column -> the label its change is logged under (the 帮扶 page's own words).
RECORD_LABELS = {
    "content": "帮扶内容",
    "project": "帮扶项目",
    "quantity": "数量",
    "value_yuan": "价值（元/人）",
    "provider": "提供者",
}


@dataclass(frozen=True)
class ActivityGoods:
    """What each participating child received at the activity."""

    content: str
    project: str = "其他"
    quantity: Decimal | None = Decimal(1)
    value_yuan: Decimal | None = None  # per child
    provider: str = ""

    def text(self) -> str:
        """e.g. 棉被 ×1，150.00 元/人 (how questions, the form and the log name them)."""
        shown = self.content
        if self.quantity is not None:
            shown += f" ×{self.quantity.normalize():f}"
        if self.value_yuan is not None:
            shown += tr("，{v} 元/人", v=f"{self.value_yuan:.2f}")
        return shown


@dataclass(frozen=True)
class GoodsOutcome:
    changed: int = 0  # records corrected to the new goods
    added: int = 0  # records created
    removed: int = 0  # records marked deleted
    left_alone: int = 0  # records corrected by hand, not touched


def goods_of(item: Assistance) -> ActivityGoods:
    return ActivityGoods(
        item.content, item.project, item.quantity, item.value_yuan, item.provider or ""
    )


def normalized(goods: ActivityGoods, held_on: date, today: date) -> ActivityGoods:
    """Goods as they would be saved (trimmed, checked, amounts in cents), to compare with the
    saved ones. Raises ValidationError with a worker's message."""
    clean = check_assistance(
        AssistanceInput(
            held_on,
            goods.project,
            goods.content,
            goods.quantity,
            goods.value_yuan,
            goods.provider,
        ),
        max(today, held_on),  # the activity's own date is checked apart, with its own message
    )
    return ActivityGoods(
        clean.content,
        clean.project,
        _cents(clean.quantity),
        _cents(clean.value_yuan),
        clean.provider,
    )


def _cents(value) -> Decimal | None:
    # Stored as Numeric(12, 2): the form's 150 and the record's 150.00 are the same goods.
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def split(
    session, row: Activity
) -> tuple[ActivityGoods | None, list[Assistance], list[Assistance]]:
    """(the activity's goods, the live records carrying them, the records corrected apart)."""
    live = aq.goods_records(session, row.id)
    if not row.goods:
        return None, [], live
    same_content = [g for g in live if g.content == row.goods]
    if not same_content:
        return None, [], live
    # Most records carry what was handed out; on a tie, the record touched least recently.
    counts = Counter(goods_of(g) for g in same_content)
    order = {goods_of(g): (g.updated_at, g.id) for g in reversed(same_content)}
    model = min(counts, key=lambda k: (-counts[k], order[k]))
    return (
        model,
        [g for g in live if goods_of(g) == model],
        [g for g in live if goods_of(g) != model],
    )


def apply_goods(
    session,
    row: Activity,
    target: ActivityGoods | None,
    origin: Origin,
    now,
) -> tuple[list, GoodsOutcome]:
    """Bring the activity's goods records to target (None clears them); entries to log."""
    model, following, apart = split(session, row)
    if target == model:
        return [], GoodsOutcome(left_alone=len(apart) if model else 0)
    names = aq.child_names(session, {g.child_id for g in following + apart})
    kids = aq.linked_children(session, row.id)
    uids = {c.id: c.uid for c in kids.values()}
    old_text = model.text() if model else ""
    new_text = target.text() if target else ""
    entries = [
        entry(
            origin,
            "update",
            "activity",
            row.uid,
            field=GOODS_FIELD,
            old=old_text,
            new=new_text,
            at=now,
        )
    ]
    row.goods = target.content if target else ""
    if target is None:
        entries += mark_deleted(following, names, f"活动“{row.title}”的物资已清除", origin, now)
        entries += _child_lines(origin, following, uids, old_text, "已清除（记录标为删除）", now)
        return entries, GoodsOutcome(removed=len(following), left_alone=len(apart))
    if model is None:
        # Goods given afterwards: every child on the activity without a record of it gets one.
        has = {g.child_id for g in apart}
        given = [c for c in kids.values() if c.id not in has]
        # No provider typed: the organiser gave them, as when the activity is first recorded.
        target = replace(target, provider=target.provider or row.organiser)
        new_text = target.text()
        gifts, made = give(session, row, target, given, origin, now)
        entries += made
        entries += _child_lines(origin, gifts, uids, "", f"{row.title}：{new_text}", now)
        return entries, GoodsOutcome(added=len(gifts), left_alone=len(apart))
    for item in following:
        for column, label in RECORD_LABELS.items():
            old, new = getattr(item, column), getattr(target, column)
            if old != new:
                setattr(item, column, new)
                entries.append(
                    entry(
                        origin,
                        "update",
                        GOODS_ENTITY,
                        item.uid,
                        field=label,
                        old=_shown(old),
                        new=_shown(new),
                        at=now,
                    )
                )
        item.updated_at = now
    entries += _child_lines(
        origin, following, uids, f"{row.title}：{old_text}", f"{row.title}：{new_text}", now
    )
    return entries, GoodsOutcome(changed=len(following), left_alone=len(apart))


def mark_deleted(items: list[Assistance], names: dict[int, str], why: str, origin, now) -> list:
    """Goods records marked deleted (never erased), one log entry each naming the child."""
    entries = []
    for item in items:
        item.deleted_at = item.updated_at = now
        entries.append(
            entry(
                origin,
                "delete",
                GOODS_ENTITY,
                item.uid,
                old=f"{names.get(item.child_id, '')} {item.given_on} {item.content}",
                new=why,
                at=now,
            )
        )
    return entries


def give(session, row: Activity, goods, children, origin, now) -> tuple[list[Assistance], list]:
    """One record of the activity's goods for each child (rows with id and name), logged."""
    item = AssistanceInput(
        row.held_on,
        goods.project,
        goods.content,
        goods.quantity,
        goods.value_yuan,
        goods.provider,
        f"活动：{row.title}",
    )
    gifts = new_assistance_rows(session, [c.id for c in children], item, row.id, now)
    made = [
        entry(origin, "create", GOODS_ENTITY, g.uid, new=f"{c.name} {item.content}", at=now)
        for g, c in zip(gifts, children, strict=True)
    ]
    return gifts, made


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _child_lines(origin, items: list[Assistance], uids: dict[int, str], old, new, now) -> list:
    # Each child's own history says it too: her file is where a worker looks first.
    return [
        entry(
            origin, "update", "child", uids[g.child_id], field=GOODS_FIELD, old=old, new=new, at=now
        )
        for g in items
        if g.child_id in uids
    ]
