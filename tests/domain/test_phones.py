"""Tests for phone normalisation, masking and search digits."""

from __future__ import annotations

import pytest

from carebook.domain.errors import PhoneError
from carebook.domain.phones import mask_phone, normalize_phone, parse_phones, phone_digits


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("'13812345678", "13812345678"),
        ("013812345678", "13812345678"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        ("13812345678.0", "13812345678"),
        ("1.3812345678E10", "13812345678"),
        ("1.3812345678e+10", "13812345678"),
        ("0351-1234567", "0351-1234567"),
        ("0351 1234567", "0351-1234567"),
        ("(0351)1234567", "0351-1234567"),
        ("（0351）1234567", "0351-1234567"),
        ("035112345678", "0351-12345678"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("020 8765 4321", "020-87654321"),
        ("+86 351 1234567", "0351-1234567"),
        ("+86 10 62345678", "010-62345678"),
        (3511234567, "0351-1234567"),
        (3511234567.0, "0351-1234567"),
        (1062345678, "010-62345678"),
        ("1234567", "1234567"),
        ("62345678", "62345678"),
        (6234567, "6234567"),
        (None, ""),
        ("", ""),
        ("  ", ""),
    ],
)
def test_normalize_phone(value: object, expected: str) -> None:
    assert normalize_phone(value) == expected
    assert normalize_phone(normalize_phone(value)) == expected


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "123",
        "1381234567",
        "138123456789",
        "12345678901",
        "0351-123",
        "0351-12345678转123",
        "电话13812345678",
        "+1 415 555 1234",
        "001 415 555 1234",
        "00351234567",
        "0123456789",
        "012-34567890",
        123456789,
        3510234567,
        1.5,
        -13812345678,
        float("nan"),
        True,
        "13812345678/13912345678",
    ],
)
def test_normalize_phone_refuses(value: object) -> None:
    with pytest.raises(PhoneError) as info:
        normalize_phone(value)
    assert "号码" in info.value.message


@pytest.mark.parametrize("value", ["1.38123E+10", "1.381234567E10"])
def test_scientific_text_that_lost_digits_is_refused(value: str) -> None:
    with pytest.raises(PhoneError, match="Excel"):
        normalize_phone(value)


def test_several_numbers_in_one_cell_have_their_own_message() -> None:
    with pytest.raises(PhoneError, match="多个号码"):
        normalize_phone("13812345678、13912345678")


def test_parse_phones() -> None:
    assert parse_phones("13812345678/0351-1234567、13812345678") == ["13812345678", "0351-1234567"]
    assert parse_phones("13812345678 或 139 1234 5678") == ["13812345678", "13912345678"]
    assert parse_phones(13812345678.0) == ["13812345678"]
    assert parse_phones(None) == []
    assert parse_phones("") == []
    with pytest.raises(PhoneError):
        parse_phones("13812345678/abc")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        (13812345678.0, "138****5678"),
        ("0351-1234567", "0351-****567"),
        ("0351-12345678", "0351-****5678"),
        ("010-62345678", "010-****5678"),
        ("1234567", "****567"),
        ("62345678", "****5678"),
        ("", ""),
        (None, ""),
        ("13812345678/0351-1234567", "138****5678/0351-****567"),
        ("1381234567", "********67"),
    ],
)
def test_mask_phone(value: object, expected: str) -> None:
    assert mask_phone(value) == expected


def test_mask_phone_never_shows_a_whole_mobile() -> None:
    for value in ["13812345678", "138 1234 5678 ext", "13812345678、13912345678"]:
        assert "12345678" not in mask_phone(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        (13812345678.0, "13812345678"),
        ("0351-1234567", "03511234567"),
        ("０３５１－１２３", "0351123"),
        ("abc", ""),
        (None, ""),
    ],
)
def test_phone_digits(value: object, expected: str) -> None:
    assert phone_digits(value) == expected
