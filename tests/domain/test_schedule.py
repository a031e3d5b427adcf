"""Tests for visit schedule rules, next due dates and due states."""

from __future__ import annotations

import json
from datetime import date

import pytest

from carebook.domain.errors import DomainError
from carebook.domain.schedule import (
    DEFAULT_INTERVAL_MONTHS,
    DEFAULT_RULES,
    DUE_STATUS_LABELS,
    DUE_STATUSES,
    FIRST_VISIT_WORKING_DAYS,
    DueState,
    VisitRule,
    due_state,
    interval_for,
    next_due,
    rules_from_json,
    rules_to_json,
)


def test_constants() -> None:
    assert FIRST_VISIT_WORKING_DAYS == 5
    assert DEFAULT_INTERVAL_MONTHS == 3
    assert set(DUE_STATUS_LABELS) == set(DUE_STATUSES)


@pytest.mark.parametrize(
    ("categories", "care_level", "months"),
    [
        (["农村留守儿童"], "一般", 3),
        (["农村留守儿童"], "重点", 1),
        (["留守"], "红色", 1),
        (["事实无人抚养儿童"], "一般", 1),
        (["事实孤儿"], None, 1),
        (["孤儿"], "一般", 1),
        (["散居孤儿"], "一般", 1),
        (["困境儿童（重病重残）"], "一般", 3),
        (["留守", "散居孤儿"], "一般", 1),
        ([], None, 3),
        ([], "重点", 1),
        (["某地自定类别"], "某地自定等级", 3),
    ],
)
def test_interval_for_default_rules(
    categories: list[str], care_level: str | None, months: int
) -> None:
    assert interval_for(categories, care_level) == months


def test_interval_for_custom_rules() -> None:
    rules = (
        VisitRule(None, None, 6),
        VisitRule("困境儿童", None, 2),
        VisitRule("农村留守儿童", "重点", 1),
    )
    assert interval_for(["留守"], "一般", rules) == 6
    assert interval_for(["留守"], "重点", rules) == 1
    # A rule for the family covers its provincial subtypes.
    assert interval_for(["低保"], "一般", rules) == 2
    assert interval_for(["监护缺失"], "一般", ()) == 3
    assert interval_for(["监护缺失"], "一般", (), default=4) == 4


def test_next_due_first_visit_within_five_working_days() -> None:
    friday = date(2026, 5, 15)
    due = next_due(registered_on=friday, last_visit=None, categories=["留守"], care_level="一般")
    assert due == date(2026, 5, 22)
    holiday = {date(2026, 5, 18)}
    due = next_due(
        registered_on=friday,
        last_visit=None,
        categories=["留守"],
        care_level="一般",
        holidays=holiday,
    )
    assert due == date(2026, 5, 25)


def test_next_due_rolls_from_the_last_visit() -> None:
    common = {"registered_on": date(2025, 1, 6), "categories": ["留守"]}
    assert next_due(last_visit=date(2026, 1, 31), care_level="一般", **common) == date(2026, 4, 30)
    assert next_due(last_visit=date(2026, 1, 31), care_level="重点", **common) == date(2026, 2, 28)
    rules = (VisitRule(None, None, 2),)
    assert next_due(last_visit=date(2026, 3, 10), care_level="一般", rules=rules, **common) == date(
        2026, 5, 10
    )


@pytest.mark.parametrize(
    ("today", "status", "overdue"),
    [
        (date(2026, 5, 1), "ok", 0),
        (date(2026, 5, 12), "ok", 0),
        (date(2026, 5, 13), "due_soon", 0),
        (date(2026, 5, 19), "due_soon", 0),
        (date(2026, 5, 20), "due", 0),
        (date(2026, 5, 21), "overdue", 1),
        (date(2026, 6, 20), "overdue", 31),
    ],
)
def test_due_state(today: date, status: str, overdue: int) -> None:
    state = due_state(date(2026, 5, 20), today)
    assert state == DueState(date(2026, 5, 20), overdue, status)
    assert state.label == DUE_STATUS_LABELS[status]


def test_due_state_custom_soon_days() -> None:
    assert due_state(date(2026, 5, 20), date(2026, 5, 10), soon_days=10).status == "due_soon"
    assert due_state(date(2026, 5, 20), date(2026, 5, 19), soon_days=0).status == "ok"


def test_rules_json_round_trip() -> None:
    data = rules_to_json(DEFAULT_RULES)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert rules_from_json(data) == DEFAULT_RULES
    assert rules_from_json(json.dumps(data)) == DEFAULT_RULES
    assert rules_from_json([]) == ()


def test_rules_from_json_canonicalises_labels() -> None:
    data = [
        {"category": "低保", "care_level": None, "interval_months": 2},
        {"category": None, "care_level": "红色", "interval_months": 1},
        {"category": "", "care_level": "", "interval_months": 6},
    ]
    assert rules_from_json(data) == (
        VisitRule("困境儿童（家庭经济困难）", None, 2),
        VisitRule(None, "重点", 1),
        VisitRule(None, None, 6),
    )


@pytest.mark.parametrize(
    "data",
    [
        "not json",
        b"{",
        {"category": None},
        [1],
        [{"category": None, "care_level": None}],
        [{"category": None, "care_level": None, "interval_months": "3"}],
        [{"category": None, "care_level": None, "interval_months": True}],
        [{"category": None, "care_level": None, "interval_months": 0}],
        [{"category": None, "care_level": None, "interval_months": 13}],
        [{"category": "学生", "care_level": None, "interval_months": 3}],
        [{"category": None, "care_level": "紫", "interval_months": 3}],
        [{"category": 5, "care_level": None, "interval_months": 3}],
        [{"category": None, "care_level": None, "interval_months": 3, "extra": 1}],
        None,
    ],
)
def test_rules_from_json_refuses_bad_data(data: object) -> None:
    with pytest.raises(DomainError) as info:
        rules_from_json(data)
    assert info.value.message


@pytest.mark.parametrize("months", [0, -1, 13, True, 1.5])
def test_visit_rule_refuses_bad_intervals(months: object) -> None:
    with pytest.raises(DomainError):
        VisitRule(None, None, months)  # type: ignore[arg-type]


def test_rule_description_is_chinese() -> None:
    assert VisitRule(None, "重点", 1).describe() == "所有类别 · 重点：每 1 个月走访一次"
