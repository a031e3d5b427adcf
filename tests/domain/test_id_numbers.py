"""Tests for resident ID numbers, covering each way ledgers damage them (domain.md)."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.domain.errors import DomainError, IdNumberError
from carebook.domain.id_numbers import (
    IdNumber,
    check_character,
    id_is_masked,
    make_id,
    mask_id,
    normalize_id,
    parse_id,
    stored_as_number,
)

VALID = "11010519491231002X"
TODAY = date(2026, 5, 20)


def _code(raw: object, today: date = TODAY) -> str:
    with pytest.raises(IdNumberError) as info:
        parse_id(raw, today=today)
    assert info.value.message, "every error needs a message for the worker"
    assert isinstance(info.value, DomainError) and isinstance(info.value, ValueError)
    return info.value.code


def test_example_from_the_standard_is_valid() -> None:
    parsed = parse_id(VALID, today=TODAY)
    assert parsed == IdNumber(VALID, "110105", date(1949, 12, 31), "女")
    assert parsed.masked == "110105********002X"


def test_check_character() -> None:
    assert check_character(VALID[:17]) == "X"
    assert check_character("11010519491231001") in "0123456789X"
    with pytest.raises(IdNumberError):
        check_character("1234")
    with pytest.raises(IdNumberError):
        check_character("1101051949123100A")


def test_sex_follows_sequence_parity() -> None:
    assert parse_id(make_id("140702", date(2010, 6, 1), 123), today=TODAY).sex == "男"
    assert parse_id(make_id("140702", date(2010, 6, 1), 124), today=TODAY).sex == "女"


def test_unknown_region_code_is_accepted() -> None:
    number = make_id("999999", date(2012, 1, 2), 7)
    assert parse_id(number, today=TODAY).region_code == "999999"


# --- the faults listed in domain.md -------------------------------------------------------


def test_wrong_check_digit() -> None:
    assert _code("110105194912310021") == "check"


@pytest.mark.parametrize(
    "raw",
    [
        1.40702e17,
        140702199001011234.0,
        140702199001011000,  # an integer padded with zeros: rounded to 15 digits
        "1.40702E+17",
        "1.40702e17",
        "1.40702199001012E+17",
        " 1.40702E+17 ",
        "140702199001011000.0",
    ],
)
def test_excel_number_is_refused_not_repaired(raw: object) -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id(raw, today=TODAY)
    assert info.value.code == "excel_damaged"
    assert "Excel" in info.value.message
    assert "原始号码" in info.value.message


def test_an_exact_integer_with_a_valid_check_digit_is_that_id_number() -> None:
    """A program (not Excel) may write an ID into .xlsx or csv as an exact 18-digit integer."""
    number = make_id("140702", date(2009, 1, 1), 1)
    assert not number.endswith(("000", "X"))
    parsed = parse_id(int(number), today=TODAY)
    assert (parsed.number, parsed.birth_date) == (number, date(2009, 1, 1))
    assert stored_as_number(int(number)) and not stored_as_number(number)
    # The same digits as a float (every .xls cell, Excel's own numbers) have lost their tail.
    assert _code(float(number)) == "excel_damaged"


def test_an_exact_integer_that_fails_the_check_is_a_typing_error_not_excel() -> None:
    assert _code(140702200901010011) == "check"  # ...010 would be valid


def test_an_integer_cannot_hold_a_final_x() -> None:
    number = next(
        make_id("140702", date(2009, 1, 1), seq)
        for seq in range(1, 999)
        if make_id("140702", date(2009, 1, 1), seq).endswith("X")
    )
    assert _code(int(number[:17] + "0")) == "excel_damaged"


def test_trailing_000_that_fails_the_check_mentions_excel() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id("140702199001011000", today=TODAY)
    assert info.value.code == "check"
    assert "Excel" in info.value.message


def test_plain_check_failure_does_not_blame_excel() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id("110105194912310021", today=TODAY)
    assert "Excel" not in info.value.message


def test_valid_number_ending_000_is_fine() -> None:
    number = next(
        n
        for region in range(110100, 110200)
        if (n := make_id(str(region), date(2010, 6, 1), 100)).endswith("000")
    )
    assert parse_id(number, today=TODAY).number == number


@pytest.mark.parametrize(
    "raw",
    [
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５ １９４９１２３１ ００２X",
        "110105 19491231 002X",
        "110105\u300019491231\u3000002X",
        "110105\xa019491231\t002X",
        "11010519491231002x",
        "11010519491231002ｘ",
        "11010519491231002Ｘ",
        "'11010519491231002X",
        "\t11010519491231002X",
        "’11010519491231002X",
        " 11010519491231002X \n",
        "\ufeff11010519491231002X\u200b",
    ],
)
def test_typing_habits_are_normalised(raw: str) -> None:
    assert normalize_id(raw) == VALID
    assert parse_id(raw, today=TODAY).number == VALID


def test_future_birth_date() -> None:
    number = make_id("110105", date(2027, 1, 1), 11)
    assert _code(number) == "future"
    assert parse_id(number, today=date(2027, 1, 1)).birth_date == date(2027, 1, 1)


@pytest.mark.parametrize("birth", ["20150230", "20151301", "20150000", "18991231"])
def test_impossible_birth_date(birth: str) -> None:
    first17 = f"110105{birth}123"
    # A correct check character shows the date itself is what gets refused.
    assert _code(first17 + check_character(first17)) == "birth_date"


@pytest.mark.parametrize(
    "raw",
    ["11010519491231002", "11010519491231002X1", "110105491231002", "12345"],
)
def test_wrong_length(raw: str) -> None:
    assert _code(raw) == "length"


def test_fifteen_digit_old_number_gets_a_hint() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id("110105491231002", today=TODAY)
    assert "15" in info.value.message


@pytest.mark.parametrize("raw", ["11010519491231002Y", "1101051949123100-X", "X1010519491231002X"])
def test_bad_characters(raw: str) -> None:
    assert _code(raw) == "characters"


@pytest.mark.parametrize("raw", [None, "", "   ", "'", "\u3000"])
def test_empty(raw: object) -> None:
    assert _code(raw) == "empty"


def test_bool_is_not_excel_damage() -> None:
    assert _code(True) == "characters"


def test_unknown_error_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown"):
        IdNumberError("x", "nonsense")


def test_today_defaults_to_the_real_date() -> None:
    assert parse_id(VALID).birth_date == date(1949, 12, 31)


# --- masking ---------------------------------------------------------------------------


def test_mask_id() -> None:
    assert mask_id(VALID) == "110105********002X"
    assert mask_id("110105 19491231 002x") == "110105********002X"
    assert mask_id("110105491231002") == "110105*****1002"
    assert mask_id("") == ""
    assert mask_id("12345") == "*****"
    assert mask_id("1234567890") == "**********"
    assert mask_id(mask_id(VALID)) == mask_id(VALID)


def test_id_is_masked() -> None:
    assert id_is_masked("110105********002X")
    assert id_is_masked("110105＊＊＊＊＊＊＊＊002X")
    assert not id_is_masked(VALID)
    assert not id_is_masked("")
    assert not id_is_masked(None)
    assert not id_is_masked("张三")


# --- make_id ---------------------------------------------------------------------------


def test_make_id() -> None:
    assert make_id("110105", date(1949, 12, 31), 2) == VALID
    with pytest.raises(ValueError):
        make_id("11010", date(2000, 1, 1), 1)
    with pytest.raises(ValueError):
        make_id("110105", date(2000, 1, 1), 1000)


def test_clean_id_parts_agrees_with_parse_id_cell_by_cell() -> None:
    import random

    from carebook.domain.id_numbers import clean_id_parts

    rnd = random.Random(5)
    today = date(2026, 11, 28)
    cells: list[object] = []
    for _ in range(20_000):
        birth = date(rnd.randint(1890, 2030), rnd.randint(1, 12), rnd.randint(1, 28))
        number = make_id(f"{rnd.randint(110000, 659999)}", birth, rnd.randint(0, 999))
        roll = rnd.random()
        if roll < 0.3:  # a random last character: valid about one time in eleven
            number = number[:17] + rnd.choice("0123456789X")
        elif roll < 0.4:  # an impossible date (month 13, day 31 of a short month, 0229)
            number = number[:10] + rnd.choice(["1301", "0431", "0229", "0000"]) + number[14:]
        elif roll < 0.45:
            number = rnd.choice([number.lower(), f" {number}", number[:17], number + "1"])
        cells.append(number)
    cells += [None, 1.4e17, 140702200901010002, "", "１４０７０２２００９０１０１０００２"]
    expected = []
    for cell in cells:
        try:
            parsed = parse_id(cell, today=today)
        except IdNumberError:
            expected.append(None)
        else:
            expected.append((parsed.birth_date, parsed.sex) if parsed.number == cell else None)
    assert clean_id_parts(cells, today) == expected
    assert 5_000 < sum(e is not None for e in expected) < 15_000  # both kinds well represented


def test_mask_ids_is_mask_id_for_each() -> None:
    from carebook.domain.id_numbers import mask_ids

    clean = [make_id("140702", date(2015, 3, n), n) for n in range(1, 29)]
    assert mask_ids(clean) == [mask_id(n) for n in clean]
    odd = [
        *clean[:3],
        "14070220150301001x",
        " 140702201503010011",
        "1234",
        "",
        "1407022015030100111",
    ]
    assert mask_ids(odd) == [mask_id(n) for n in odd]
    assert mask_ids([]) == []
