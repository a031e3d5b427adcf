"""Tests for child categories, synonyms, age limits and care levels."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from importlib import resources

import pytest

import carebook.domain.categories as categories_module
from carebook.domain.categories import (
    CARE_LEVELS,
    ages_out_on,
    all_categories,
    canonical_care_level,
    canonical_category,
    category_age_limit,
    category_parent,
    is_difficulty,
    join_categories,
    leaving_categories,
    parse_categories,
    top_category,
)
from carebook.domain.errors import CategoryError, DomainError

LEFT_BEHIND = "农村留守儿童"
ILL = "困境儿童（重病重残）"
POOR = "困境儿童（家庭经济困难）"
NO_GUARDIAN = "困境儿童（监护缺失）"
UNSUPPORTED = "事实无人抚养儿童"


def test_all_categories() -> None:
    assert all_categories() == (
        LEFT_BEHIND,
        "困境儿童",
        ILL,
        POOR,
        NO_GUARDIAN,
        UNSUPPORTED,
        "孤儿",
        "散居孤儿",
    )
    assert all_categories() == categories_module.CATEGORIES
    with pytest.raises(AttributeError):
        _ = categories_module.NO_SUCH_NAME


def test_data_file_ships_with_the_package() -> None:
    text = resources.files("carebook.domain").joinpath("category_synonyms.json").read_text("utf-8")
    data = json.loads(text)
    assert {item["label"] for item in data["categories"]} == set(all_categories())


def test_data_is_not_read_at_import_time() -> None:
    code = (
        "import importlib.resources as r\n"
        "def boom(*a, **k): raise SystemExit('read at import')\n"
        "r.files = boom\n"
        "import carebook.domain.categories, carebook.domain.schedule\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=30
    )
    assert result.returncode == 0, result.stderr


GOOD_DATA = {
    "categories": [
        {"label": "甲", "age_limit": 16, "parent": None},
        {"label": "乙", "age_limit": 18, "parent": "甲"},
    ],
    "synonyms": {"甲": ["一"], "乙": []},
    "care_levels": {"重点": ["红"]},
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, None),
        ({"synonyms": {"甲": ["一"], "乙": ["一"]}}, "means both"),
        ({"synonyms": {"丙": []}}, "unknown category"),
        ({"care_levels": {"紫": []}}, "unknown care level"),
        (
            {"categories": [{"label": "乙", "age_limit": 18, "parent": "丁"}], "synonyms": {}},
            "unknown parent",
        ),
    ],
)
def test_data_file_mistakes_are_caught(
    monkeypatch: pytest.MonkeyPatch, change: dict[str, object], problem: str | None
) -> None:
    text = json.dumps(GOOD_DATA | change, ensure_ascii=False)

    monkeypatch.setattr(categories_module, "_read_data", lambda: text)
    categories_module._tables.cache_clear()
    try:
        if problem is None:
            assert all_categories() == ("甲", "乙")
            assert canonical_category("一") == "甲"
        else:
            with pytest.raises(RuntimeError, match=problem):
                all_categories()
    finally:
        monkeypatch.undo()
        categories_module._tables.cache_clear()
    assert canonical_category("留守") == LEFT_BEHIND


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("留守", LEFT_BEHIND),
        ("留守儿童", LEFT_BEHIND),
        ("农村留守", LEFT_BEHIND),
        (" 农村 留守 儿童 ", LEFT_BEHIND),
        ("困境", "困境儿童"),
        ("困境儿童", "困境儿童"),
        ("重残", ILL),
        ("重病", ILL),
        ("重病重残", ILL),
        ("残疾", ILL),
        ("残疾儿童", ILL),
        ("困境儿童(重病重残)", ILL),
        ("困境儿童（重病重残）", ILL),
        ("困境儿童 ( 重病重残 )", ILL),
        ("困境儿童【重病重残】", ILL),
        ("困境儿童[重病重残]", ILL),
        ("低保", POOR),
        ("低保家庭", POOR),
        ("特困", POOR),
        ("特困供养", POOR),
        ("家庭经济困难", POOR),
        ("贫困", POOR),
        ("困境儿童(家庭经济困难)", POOR),
        ("监护缺失", NO_GUARDIAN),
        ("无人监护", NO_GUARDIAN),
        ("事实无人抚养", UNSUPPORTED),
        ("事实无人抚养儿童", UNSUPPORTED),
        ("事实孤儿", UNSUPPORTED),
        ("孤儿", "孤儿"),
        ("散居孤儿", "散居孤儿"),
        ("分散供养孤儿", "散居孤儿"),
    ],
)
def test_canonical_category(text: str, expected: str) -> None:
    assert canonical_category(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "学生", "留守老人", "困境儿童（其他）"])
def test_unknown_category_lists_what_is_accepted(text: str) -> None:
    with pytest.raises(CategoryError) as info:
        canonical_category(text)
    assert isinstance(info.value, DomainError)
    if text.strip():
        assert "农村留守儿童" in info.value.message and "留守" in info.value.message


def test_age_limits_and_parents() -> None:
    assert category_age_limit("留守") == 16
    for label in all_categories()[1:]:
        assert category_age_limit(label) == 18
    assert category_parent(ILL) == "困境儿童"
    assert category_parent("低保") == "困境儿童"
    assert category_parent("散居孤儿") == "孤儿"
    assert category_parent("孤儿") is None
    assert top_category("监护缺失") == "困境儿童"
    assert top_category("留守") == LEFT_BEHIND


def test_is_difficulty() -> None:
    assert is_difficulty("困境儿童")
    assert is_difficulty(ILL) and is_difficulty("低保") and is_difficulty("监护缺失")
    assert not is_difficulty("留守")
    assert not is_difficulty("事实无人抚养儿童")
    assert not is_difficulty("散居孤儿")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("留守、低保", [LEFT_BEHIND, POOR]),
        ("留守,低保，重残", [LEFT_BEHIND, POOR, ILL]),
        ("留守/事实孤儿；散居孤儿;孤儿", [LEFT_BEHIND, UNSUPPORTED, "散居孤儿", "孤儿"]),
        ("留守和困境", [LEFT_BEHIND, "困境儿童"]),
        ("留守 低保\n重残", [LEFT_BEHIND, POOR, ILL]),
        ("困境儿童 （重病重残）、留守", [ILL, LEFT_BEHIND]),
        ("困境儿童（家庭经济困难）、困境儿童（监护缺失）", [POOR, NO_GUARDIAN]),
        ("留守、留守儿童、农村留守儿童", [LEFT_BEHIND]),
        ("低保、留守、低保家庭", [POOR, LEFT_BEHIND]),
        ("、留守、", [LEFT_BEHIND]),
        ("", []),
        (None, []),
    ],
)
def test_parse_categories(cell: object, expected: list[str]) -> None:
    assert parse_categories(cell) == expected


def test_parse_categories_refuses_unknown_parts() -> None:
    with pytest.raises(CategoryError, match="学生"):
        parse_categories("留守、学生")


def test_join_categories() -> None:
    assert join_categories([LEFT_BEHIND, POOR]) == "农村留守儿童、困境儿童（家庭经济困难）"
    assert join_categories([]) == ""
    assert parse_categories(join_categories([LEFT_BEHIND, ILL])) == [LEFT_BEHIND, ILL]


def test_ages_out_on() -> None:
    birth = date(2010, 6, 1)
    assert ages_out_on(birth, []) is None
    assert ages_out_on(birth, ["留守"]) == date(2026, 6, 1)
    assert ages_out_on(birth, ["留守", "低保"]) == date(2028, 6, 1)
    assert ages_out_on(date(2012, 2, 29), ["留守"]) == date(2028, 2, 29)
    assert ages_out_on(date(2012, 2, 29), ["孤儿"]) == date(2030, 3, 1)


def test_leaving_categories() -> None:
    birth = date(2010, 6, 1)
    today = date(2026, 5, 20)
    assert leaving_categories(birth, ["留守", "低保"], today, 30) == [
        (LEFT_BEHIND, date(2026, 6, 1))
    ]
    assert leaving_categories(birth, ["留守"], today, 5) == []
    # Already past the limit but still registered: the worker must see it.
    assert leaving_categories(birth, ["留守"], date(2027, 1, 1), 0) == [
        (LEFT_BEHIND, date(2026, 6, 1))
    ]
    assert leaving_categories(birth, ["留守", "困境", "留守儿童"], date(2028, 5, 20), 30) == [
        (LEFT_BEHIND, date(2026, 6, 1)),
        ("困境儿童", date(2028, 6, 1)),
    ]
    assert leaving_categories(birth, [], today) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("重点", "重点"),
        ("重点关爱", "重点"),
        ("红", "重点"),
        ("红色", "重点"),
        ("橙", "重点"),
        ("黄", "重点"),
        ("黄色", "重点"),
        ("一级", "重点"),
        (" 重 点 ", "重点"),
        ("一般", "一般"),
        ("普通", "一般"),
        ("蓝", "一般"),
        ("蓝色", "一般"),
        ("绿", "一般"),
        ("绿色", "一般"),
    ],
)
def test_canonical_care_level(text: str, expected: str) -> None:
    assert canonical_care_level(text) == expected
    assert expected in CARE_LEVELS


@pytest.mark.parametrize("text", ["", "紫", "特别重点"])
def test_unknown_care_level(text: str) -> None:
    with pytest.raises(CategoryError) as info:
        canonical_care_level(text)
    assert info.value.message


def test_care_levels() -> None:
    assert CARE_LEVELS == ("重点", "一般")
