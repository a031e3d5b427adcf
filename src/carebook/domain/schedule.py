"""Visit schedule: configurable intervals by category and care level, next due date, due state."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from carebook.domain.categories import canonical_care_level, canonical_category, category_parent
from carebook.domain.dates import add_months, add_working_days
from carebook.domain.errors import CategoryError, DomainError
from carebook.i18n import tr

FIRST_VISIT_WORKING_DAYS = 5
DEFAULT_INTERVAL_MONTHS = 3
MAX_INTERVAL_MONTHS = 12
SOON_DAYS = 7

DUE_STATUSES = ("ok", "due_soon", "due", "overdue")
DUE_STATUS_LABELS = {"ok": "正常", "due_soon": "即将到期", "due": "今天到期", "overdue": "已逾期"}


@dataclass(frozen=True)
class VisitRule:
    """Children matching both fields are visited every `interval_months`; None matches any."""

    category: str | None
    care_level: str | None
    interval_months: int

    def __post_init__(self) -> None:
        # A zero or negative interval would make every child due forever.
        if isinstance(self.interval_months, bool) or not isinstance(self.interval_months, int):
            raise DomainError(tr("走访间隔月数必须是整数。"))
        if not 1 <= self.interval_months <= MAX_INTERVAL_MONTHS:
            raise DomainError(tr("走访间隔月数应在 1 到 {most} 之间。", most=MAX_INTERVAL_MONTHS))

    def matches(self, categories: Collection[str], care_level: str | None) -> bool:
        """Expects canonical labels with their parents added, as interval_for prepares them."""
        if self.care_level is not None and self.care_level != care_level:
            return False
        return self.category is None or self.category in categories

    def describe(self) -> str:
        return tr(
            "{category} · {level}：每 {n} 个月走访一次",
            category=self.category or tr("所有类别"),
            level=self.care_level or tr("所有关爱等级"),
            n=self.interval_months,
        )


# Counties set their own; this follows the common practice named in domain.md.
DEFAULT_RULES: tuple[VisitRule, ...] = (
    VisitRule(None, "重点", 1),
    VisitRule("事实无人抚养儿童", None, 1),
    VisitRule("孤儿", None, 1),
    VisitRule("散居孤儿", None, 1),
)


def _expand(categories: Iterable[str]) -> set[str]:
    # A rule for 孤儿 also covers 散居孤儿, and one for 困境儿童 covers its subtypes.
    expanded: set[str] = set()
    for label in categories:
        try:
            canonical = canonical_category(label)
        except CategoryError:
            expanded.add(label)
            continue
        expanded.add(canonical)
        parent = category_parent(canonical)
        if parent:
            expanded.add(parent)
    return expanded


def _care(care_level: str | None) -> str | None:
    if not care_level:
        return None
    try:
        return canonical_care_level(care_level)
    except CategoryError:
        return care_level


def interval_for(
    categories: Iterable[str],
    care_level: str | None,
    rules: Iterable[VisitRule] = DEFAULT_RULES,
    *,
    default: int = DEFAULT_INTERVAL_MONTHS,
) -> int:
    """Months between visits: the shortest interval of any matching rule, else `default`."""
    held = _expand(categories)
    level = _care(care_level)
    intervals = [rule.interval_months for rule in rules if rule.matches(held, level)]
    return min(intervals, default=default)


def next_due(
    *,
    registered_on: date,
    last_visit: date | None,
    categories: Iterable[str],
    care_level: str | None,
    rules: Iterable[VisitRule] = DEFAULT_RULES,
    holidays: Collection[date] | None = None,
) -> date:
    """When the next visit is due: 5 working days after registering, then rolling from the last."""
    if last_visit is None:
        return add_working_days(registered_on, FIRST_VISIT_WORKING_DAYS, holidays)
    return add_months(last_visit, interval_for(categories, care_level, rules))


@dataclass(frozen=True)
class DueState:
    due: date
    days_overdue: int  # 0 unless overdue
    status: str  # one of DUE_STATUSES

    @property
    def label(self) -> str:
        return DUE_STATUS_LABELS[self.status]


def due_state(due: date, today: date, soon_days: int = SOON_DAYS) -> DueState:
    """Whether a visit due on `due` is ok, due soon, due today or overdue as of `today`."""
    if today > due:
        return DueState(due, (today - due).days, "overdue")
    if today == due:
        return DueState(due, 0, "due")
    if (due - today).days <= soon_days:
        return DueState(due, 0, "due_soon")
    return DueState(due, 0, "ok")


def rules_to_json(rules: Iterable[VisitRule]) -> list[dict[str, object]]:
    """Rules as plain JSON-ready data for the settings store."""
    return [
        {
            "category": rule.category,
            "care_level": rule.care_level,
            "interval_months": rule.interval_months,
        }
        for rule in rules
    ]


def _rule_from_item(item: object, number: int) -> VisitRule:
    if not isinstance(item, dict):
        raise DomainError(
            tr("走访规则第 {number} 条格式不对，应包含类别、关爱等级和间隔月数。", number=number)
        )
    unknown = set(item) - {"category", "care_level", "interval_months"}
    if unknown:
        raise DomainError(
            tr(
                "走访规则第 {number} 条含有无法识别的项目：{items}。",
                number=number,
                items="、".join(sorted(map(str, unknown))),
            )
        )
    interval = item.get("interval_months")
    # bool passes isinstance(int); true/false in a settings file is a mistake, not 1 or 0.
    if not isinstance(interval, int) or isinstance(interval, bool):
        raise DomainError(tr("走访规则第 {number} 条的间隔月数必须是整数。", number=number))
    if not 1 <= interval <= MAX_INTERVAL_MONTHS:
        raise DomainError(
            tr(
                "走访规则第 {number} 条的间隔月数应在 1 到 {most} 之间。",
                number=number,
                most=MAX_INTERVAL_MONTHS,
            )
        )
    category = item.get("category")
    care_level = item.get("care_level")
    for value in (category, care_level):
        if value is not None and not isinstance(value, str):
            raise DomainError(
                tr("走访规则第 {number} 条的类别和关爱等级必须是文字或留空。", number=number)
            )
    try:
        return VisitRule(
            canonical_category(category) if category else None,
            canonical_care_level(care_level) if care_level else None,
            interval,
        )
    except CategoryError as error:
        message = tr("走访规则第 {number} 条：{problem}", number=number, problem=error.message)
        raise DomainError(message) from None


def rules_from_json(data: object) -> tuple[VisitRule, ...]:
    """Rules back from settings data (a list, or its JSON text); DomainError on anything odd."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError:
            raise DomainError(tr("走访规则设置已损坏，无法读取。")) from None
    if not isinstance(data, list):
        raise DomainError(tr("走访规则设置格式不对，应为规则列表。"))
    return tuple(_rule_from_item(item, number) for number, item in enumerate(data, start=1))
