"""Property tests (hypothesis) for the domain's round trips and invariants."""

from __future__ import annotations

import calendar
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from carebook.domain.dates import (
    add_months,
    add_working_days,
    age_on,
    format_date,
    nth_birthday,
    parse_date,
)
from carebook.domain.errors import DomainError, IdNumberError
from carebook.domain.id_numbers import (
    check_character,
    id_is_masked,
    make_id,
    mask_id,
    normalize_id,
    parse_id,
)
from carebook.domain.phones import mask_phone, normalize_phone
from carebook.domain.schedule import due_state

TODAY = date(2026, 5, 20)
settings.register_profile("domain", max_examples=150, deadline=None)
settings.load_profile("domain")

regions = st.from_regex(r"[0-9]{6}", fullmatch=True)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)
ids = st.builds(make_id, regions, births, sequences)
any_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2036, 12, 31))


@given(regions, births, sequences)
def test_make_id_parse_id_round_trip(region: str, birth: date, seq: int) -> None:
    parsed = parse_id(make_id(region, birth, seq), today=TODAY)
    assert parsed.region_code == region
    assert parsed.birth_date == birth
    assert parsed.sex == ("男" if seq % 2 else "女")


@given(st.text(alphabet="0123456789xXｘＸ１２３ '\t\u3000\xa0-*＊abc", max_size=24))
def test_normalize_id_is_idempotent(raw: str) -> None:
    once = normalize_id(raw)
    assert normalize_id(once) == once


@given(ids, st.data())
def test_any_single_digit_change_breaks_the_check(number: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=16))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    changed = number[:position] + digit + number[position + 1 :]
    # The weights are all non-zero mod 11, so one changed digit always changes the sum mod 11.
    assert check_character(changed[:17]) != changed[17]
    try:
        parse_id(changed, today=TODAY)
    except IdNumberError as error:
        assert error.code in {"check", "birth_date", "future"}
    else:
        raise AssertionError(f"{changed} passed the check")


@given(ids)
def test_changing_the_check_character_is_caught(number: str) -> None:
    for other in "0123456789X":
        if other != number[17]:
            try:
                parse_id(number[:17] + other, today=TODAY)
            except IdNumberError as error:
                assert error.code == "check"
            else:
                raise AssertionError("a wrong check character passed")


@given(ids)
def test_mask_keeps_first_six_and_last_four(number: str) -> None:
    masked = mask_id(number)
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert masked[6:-4] == "********"
    assert id_is_masked(masked)
    assert not id_is_masked(number)


@given(ids)
def test_excel_rounding_is_always_refused(number: str) -> None:
    # What Excel does to an ID typed as a number: keep 15 significant digits.
    as_number = float(number[:17] + ("0" if number[17] == "X" else number[17]))
    try:
        parse_id(as_number, today=TODAY)
    except IdNumberError as error:
        assert error.code == "excel_damaged"
    rounded = number[:15] + "000"
    if rounded != number:
        try:
            parse_id(rounded, today=TODAY)
        except IdNumberError as error:
            assert error.code == "check"
            assert "Excel" in error.message


@given(any_dates, st.integers(min_value=-240, max_value=240))
def test_add_months_properties(d: date, n: int) -> None:
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day == min(d.day, calendar.monthrange(result.year, result.month)[1])
    if d.day <= 28:
        assert add_months(result, -n) == d


@given(any_dates, st.integers(min_value=-24, max_value=24), st.integers(-24, 24))
def test_add_months_never_overshoots(d: date, a: int, b: int) -> None:
    # Clamping only ever shortens the day, so stepping twice can't pass stepping once.
    assert add_months(add_months(d, a), b) <= add_months(d, a + b)


@given(any_dates)
def test_parse_date_of_format_date_round_trips(d: date) -> None:
    assert parse_date(format_date(d), today=TODAY) == d
    assert parse_date(f"{d.year}年{d.month}月{d.day}日", today=TODAY) == d
    assert parse_date(f"{d.year}.{d.month}.{d.day}", today=TODAY) == d
    assert parse_date(d.strftime("%Y%m%d"), today=TODAY) == d


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2036, 12, 31)))
def test_excel_serial_round_trip(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    if not 1900 <= serial < 2101:
        assert parse_date(serial, today=TODAY) == d


@given(any_dates, st.integers(min_value=0, max_value=40))
def test_working_days_land_on_weekdays(d: date, n: int) -> None:
    result = add_working_days(d, n)
    assert result >= d
    if n:
        assert result.weekday() < 5
        weekdays = sum(
            1
            for offset in range(1, (result - d).days + 1)
            if date.fromordinal(d.toordinal() + offset).weekday() < 5
        )
        assert weekdays == n


@given(births, st.integers(min_value=0, max_value=100))
def test_nth_birthday_is_when_age_changes(birth: date, years: int) -> None:
    day = nth_birthday(birth, years)
    assert age_on(birth, day) == years
    if years:
        assert age_on(birth, date.fromordinal(day.toordinal() - 1)) == years - 1


@given(any_dates, any_dates)
def test_due_state_is_consistent(due: date, today: date) -> None:
    state = due_state(due, today)
    assert (state.status == "overdue") == (today > due)
    assert state.days_overdue == max(0, (today - due).days)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mobile_phone_forms(mobile: str) -> None:
    spaced = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    for form in (
        mobile,
        spaced,
        "+86" + mobile,
        int(mobile),
        float(mobile),
        f"{float(mobile):.10E}",
    ):
        assert normalize_phone(form) == mobile
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]


@given(st.text(max_size=20))
def test_normalize_phone_only_raises_domain_errors(text: str) -> None:
    try:
        result = normalize_phone(text)
    except DomainError:
        return
    assert normalize_phone(result) == result
