"""The register's search keys: the fast phone key gives what phone_digits gives, always."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebook.domain.phones import phone_digits
from carebook.services.children import _phone_key, child_search_text
from carebook.services.name_keys import pinyin_keys
from tests.conftest import child_facts

_ODD = [
    "13812345678", "12812345678", "1381234567", "138123456789", "0351-1234567", "1234567",
    "+8613812345678", "１３８１２３４５６７８", "138 1234 5678", "23812345678", "1381234567a",
    "19912345678", "", 13812345678, 13812345678.0, "٣٨١٢٣٤٥٦٧٨٩",
]  # fmt: skip


@pytest.mark.parametrize("phone", _ODD)
def test_phone_key_is_phone_digits(phone: object) -> None:
    assert _phone_key(phone) == phone_digits(phone)


@given(st.text(alphabet="0123456789-+ １３", min_size=0, max_size=14))
def test_phone_key_is_phone_digits_for_any_digits(phone: str) -> None:
    assert _phone_key(phone) == phone_digits(phone)


def test_child_search_text_joins_the_keys() -> None:
    facts = child_facts(
        name="李明", father_phone="13812345678", mother_phone="", guardian_phone="0351-1234567"
    )
    full, initials = pinyin_keys(facts.name)
    text = child_search_text(facts, full, initials)
    assert text.split("|")[:3] == ["李明", full, initials]
    assert "13812345678 03511234567" in text
