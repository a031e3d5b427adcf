"""Sheet codes: made from the child and print date, read back forgivingly, typos caught."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebook.services.sheet_codes import (
    ALPHABET,
    SheetCodeError,
    make_code,
    parse_code,
    qr_value,
)

UID = "3f2a9c0d17e84b6c9a5d2e1f0b7c4d8e"


def test_a_code_names_the_child_and_the_day():
    code = make_code(UID, date(2026, 11, 28))
    assert len(code) == 14 and code.count("-") == 2
    parsed = parse_code(code)
    assert parsed.uid_prefix == UID[:10]
    assert parsed.printed_on == date(2026, 11, 28)
    assert parsed.full_uid is None


def test_typing_habits_are_forgiven():
    code = make_code(UID, date(2026, 11, 28))
    sloppy = " " + code.lower().replace("-", " ").replace("0", "o").replace("1", "l") + " "
    assert parse_code(sloppy).uid_prefix == UID[:10]


@given(st.integers(min_value=0, max_value=11), st.sampled_from(ALPHABET))
def test_any_single_wrong_character_is_caught(position, replacement):
    compact = make_code(UID, date(2026, 11, 28)).replace("-", "")
    if compact[position] == replacement:
        return
    typo = compact[:position] + replacement + compact[position + 1 :]
    with pytest.raises(SheetCodeError, match="抄错"):
        parse_code(typo)


def test_a_scanned_qr_code_gives_the_whole_uid():
    code = make_code(UID, date(2026, 11, 28))
    parsed = parse_code(qr_value(UID, code))
    assert parsed.full_uid == UID
    assert parsed.printed_on == date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "请输入"), ("12345", "应为 12 位"), ("UUUU-UUUU-UUUU", "不会出现的字符")],
)
def test_bad_codes_say_what_is_wrong(text, message):
    with pytest.raises(SheetCodeError, match=message):
        parse_code(text)
