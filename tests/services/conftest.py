"""Builders for the care-work service tests: children with distinct ID numbers, volunteers."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.domain.id_numbers import make_id
from carebook.domain.records import VolunteerFacts
from carebook.services.children import register_child
from carebook.services.volunteers import register_volunteer
from tests.conftest import TODAY, child_facts


class Register:
    """Adds children and volunteers to a test database with as little typing as possible."""

    def __init__(self, db) -> None:
        self.db = db
        self.seq = 0

    def child(
        self,
        name: str = "张子涵",
        *,
        birth: date = date(2015, 3, 12),
        sex: str = "女",
        village: str = "东村",
        township: str = "宗艾镇",
        categories: tuple[str, ...] = ("农村留守儿童",),
        care_level: str = "一般",
        registered_on: date = date(2026, 1, 5),
        **changes: object,
    ) -> str:
        self.seq += 2
        seq = self.seq + (1 if sex == "男" else 0)
        facts = child_facts(
            name=name,
            id_number=make_id("140702", birth, seq),
            birth_date=birth,
            sex=sex,
            village=village,
            township=township,
            categories=categories,
            care_level=care_level,
            **changes,
        )
        return register_child(self.db, facts, registered_on=registered_on, today=TODAY).uid

    def volunteer(
        self, name: str = "王秀英", *, village: str = "东村", township: str = "宗艾镇", **changes
    ) -> str:
        facts = VolunteerFacts(name=name, township=township, village=village, **changes)
        return register_volunteer(self.db, facts)


@pytest.fixture
def reg(db) -> Register:
    return Register(db)
