"""Keep children's last_visit_on and next_due_on right after visits change or the rules change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from carebook.domain.dates import add_months, add_working_days
from carebook.domain.schedule import (
    DEFAULT_RULES,
    FIRST_VISIT_WORKING_DAYS,
    VisitRule,
    interval_for,
    next_due,
)
from carebook.i18n import tr
from carebook.services.progress import Job, Progress
from carebook.storage import visit_queries as vq
from carebook.storage.database import Database
from carebook.storage.tables import Child


def due_for(
    registered_on: date,
    last_visit: date | None,
    asked_next: date | None,
    categories: Iterable[str],
    care_level: str | None,
    rules: tuple[VisitRule, ...],
) -> date:
    """The schedule's date, or the earlier follow-up date a visitor asked for on the last visit."""
    due = next_due(
        registered_on=registered_on,
        last_visit=last_visit,
        categories=categories,
        care_level=care_level,
        rules=rules,
    )
    # A visitor may ask to come back sooner than the rules say, never later.
    return min(due, asked_next) if asked_next and last_visit else due


def refresh_children(session, children: Iterable[Child], rules: tuple[VisitRule, ...]) -> None:
    """Recompute last_visit_on and next_due_on of these children from their remaining visits."""
    children = list(children)
    vq.lock_children(session, [c.id for c in children])
    latest = vq.latest_visits(session, [c.id for c in children])
    for child in children:
        last, asked = latest.get(child.id, (None, None))
        child.last_visit_on = last
        if child.status != "在册":
            child.next_due_on = None
            continue
        child.next_due_on = due_for(
            child.registered_on,
            last,
            asked,
            [c.category for c in child.categories],
            child.care_level,
            rules,
        )


def reschedule_register(
    db: Database, rules: tuple[VisitRule, ...] = DEFAULT_RULES, *, from_visits: bool = False
) -> Job[int]:
    """After the rules change: recompute next_due_on of every child in the register.

    from_visits also rebuilds last_visit_on from the visits themselves (after an import or a
    merge wrote visits in bulk). Returns how many children's dates moved. Intervals are cached
    per (categories, level), so 100,000 children cost one read, a dictionary walk and one
    executemany.
    """
    yield Progress(0, 3, tr("读取儿童名单"))
    with db.transaction() as session:
        categories = vq.all_categories(session)
        latest = vq.last_visit_dates(session) if from_visits else None
        rows = list(vq.schedule_inputs(session))
        lasts: list[tuple[int, date | None]] = []
        if latest is not None:
            lasts = [(r[0], latest.get(r[0])) for r in rows if latest.get(r[0]) != r[2]]
            vq.set_last_visits(session, lasts)
            fresh = dict(lasts)
            rows = [(*r[:2], fresh.get(r[0], r[2]), *r[3:]) for r in rows]
        asked = vq.asked_next_dates(session)
        yield Progress(1, 3, tr("计算下次走访日期"))
        intervals: dict[tuple[tuple[str, ...], str], int] = {}
        changes: list[tuple[int, date | None]] = []
        for cid, registered, last, level, current, status in rows:
            if status != "在册":
                due = None
            elif last is None:
                due = add_working_days(registered, FIRST_VISIT_WORKING_DAYS)
            else:
                key = (categories.get(cid, ()), level or "")
                months = intervals.get(key)
                if months is None:
                    months = intervals[key] = interval_for(key[0], level, rules)
                due = add_months(last, months)
                if cid in asked and asked[cid] < due:
                    due = asked[cid]
            if due != current:
                changes.append((cid, due))
        yield Progress(2, 3, tr("更新 {count} 名儿童的下次走访日期", count=len(changes)))
        vq.set_due_dates(session, changes)
    yield Progress(3, 3, tr("完成"))
    return len({cid for cid, _ in changes} | {cid for cid, _ in lasts})
