"""Tests for the domain error types."""

from __future__ import annotations

import pytest

from carebook.domain.errors import (
    ID_ERROR_CODES,
    CategoryError,
    DateParseError,
    DomainError,
    IdNumberError,
    PhoneError,
)


@pytest.mark.parametrize("cls", [DomainError, DateParseError, PhoneError, CategoryError])
def test_errors_carry_their_message(cls: type[DomainError]) -> None:
    error = cls("请核对。")
    assert isinstance(error, ValueError)
    assert error.message == "请核对。"
    assert str(error) == "请核对。"


def test_id_number_error_has_a_code() -> None:
    assert ID_ERROR_CODES == (
        "empty",
        "excel_damaged",
        "length",
        "characters",
        "birth_date",
        "future",
        "check",
    )
    error = IdNumberError("身份证号码应为 18 位。", "length")
    assert isinstance(error, DomainError)
    assert (error.code, error.message) == ("length", "身份证号码应为 18 位。")
