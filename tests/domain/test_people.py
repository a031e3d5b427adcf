"""Tests for the choice lists and sex reading."""

from __future__ import annotations

import pytest

from carebook.domain import people
from carebook.domain.errors import DomainError
from carebook.domain.people import canonical_choice, canonical_sex


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("男", "男"),
        ("女", "女"),
        ("男性", "男"),
        ("女性", "女"),
        (" 男 ", "男"),
        ("M", "男"),
        ("m", "男"),
        ("F", "女"),
        ("Ｆ", "女"),
        ("1", "男"),
        ("2", "女"),
        (1, "男"),
        (2, "女"),
        (1.0, "男"),
        (2.0, "女"),
        ("男孩", "男"),
        ("female", "女"),
    ],
)
def test_canonical_sex(text: object, expected: str) -> None:
    assert canonical_sex(text) == expected


@pytest.mark.parametrize("text", [None, "", " ", "3", "未知", True, 1.5])
def test_canonical_sex_refuses(text: object) -> None:
    with pytest.raises(DomainError) as info:
        canonical_sex(text)
    assert "性别" in info.value.message


def test_choice_lists() -> None:
    assert people.SEXES == ("男", "女")
    assert people.REGISTER_STATUSES == ("在册", "退出")
    assert people.GUARDIANSHIP_TYPES == ("父母监护", "隔代监护", "亲属监护", "委托监护", "无人监护")
    assert people.GUARDIANSHIP_ASSESSMENTS == ("较好", "一般", "差")
    assert people.DISABILITY_GRADES == ("一级", "二级", "三级", "四级")
    assert people.PAIRING_MODES == ("一对一", "多对一", "一对多", "团队")
    for name in (
        "PARENT_STATUSES",
        "GUARDIAN_RELATIONS",
        "DISABILITY_TYPES",
        "VISIT_WAYS",
        "VOLUNTEER_IDENTITIES",
        "EXIT_REASONS",
        "SUPPORT_KINDS",
        "ASSISTANCE_PROJECTS",
    ):
        values = getattr(people, name)
        assert isinstance(values, tuple) and values
        assert len(set(values)) == len(values), name
    assert "服刑在押" in people.PARENT_STATUSES
    assert {"祖父", "祖母", "外祖父", "外祖母"} <= set(people.GUARDIAN_RELATIONS)
    assert "入户走访" in people.VISIT_WAYS
    assert "巾帼建功标兵" in people.VOLUNTEER_IDENTITIES
    assert "年满16周岁" in people.EXIT_REASONS
    assert "春蕾计划" in people.ASSISTANCE_PROJECTS


def test_canonical_choice() -> None:
    assert (
        canonical_choice(" 隔代 监护 ", people.GUARDIANSHIP_TYPES, field="监护类型") == "隔代监护"
    )
    assert canonical_choice("外出务工", people.PARENT_STATUSES, field="父亲状态") == "外出务工"
    with pytest.raises(DomainError, match="监护类型"):
        canonical_choice("随便", people.GUARDIANSHIP_TYPES, field="监护类型")
    with pytest.raises(DomainError, match="没有填写"):
        canonical_choice(None, people.GUARDIANSHIP_TYPES, field="监护类型")
