"""Tests for date reading, ages, bands, month and working-day arithmetic and report periods."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from carebook.domain.dates import (
    AGE_BANDS,
    COUNTY_AGE_BANDS,
    add_months,
    add_working_days,
    age_band,
    age_on,
    county_age_band,
    format_date,
    nth_birthday,
    parse_date,
    parse_period,
)
from carebook.domain.errors import DateParseError, DomainError

TODAY = date(2026, 5, 20)
D = date(2015, 3, 12)


@pytest.mark.parametrize(
    "value",
    [
        "2015.3.12",
        "2015年3月12日",
        "2015年3月12号",
        "2015 年 3 月 12 日",
        "20150312",
        "2015-3-12",
        "2015/03/12",
        "2015/3/12",
        "2015-03-12 00:00:00",
        "2015-03-12 8:30",
        "2015-03-12T08:30:00",
        "2015-03-12 00:00:00.000",
        "２０１５年３月１２日",
        "２０１５－０３－１２",
        "'2015-03-12",
        " 2015-03-12 ",
        D,
        datetime(2015, 3, 12, 17, 45),
        42075,
        42075.75,
        20150312,
        20150312.0,
    ],
)
def test_parse_date_accepts(value: object) -> None:
    assert parse_date(value, today=TODAY) == D


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015年3月", date(2015, 3, 1)),
        ("2015.3", date(2015, 3, 1)),
        ("2015-03", date(2015, 3, 1)),
        ("2015/3", date(2015, 3, 1)),
        ("2015年12", date(2015, 12, 1)),
    ],
)
def test_month_only_gives_first_of_month(value: str, expected: date) -> None:
    assert parse_date(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (61.9, date(1900, 3, 1)),
        (25569, date(1970, 1, 1)),
        (36526, date(2000, 1, 1)),
        (45658, date(2025, 1, 1)),
    ],
)
def test_excel_serials_in_the_1900_system(serial: float, expected: date) -> None:
    assert parse_date(serial, today=TODAY) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2015-02-30",
        "2015-13-01",
        "20150230",
        "2015年2月30日",
        "2015",
        "15-3-12",
        "12/03/2015",
        "2015-3/12",
        "abc",
        "2015年",
        "2105-03-12",
        "1899-12-31",
        60,
        0,
        -5,
        0.5,
        2015,
        2015.3,
        float("nan"),
        float("inf"),
        10**9,
        True,
        [2015, 3, 12],
    ],
)
def test_parse_date_refuses(value: object) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(value, today=TODAY)
    assert "不是有效日期" in info.value.message


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_date_empty(value: object) -> None:
    with pytest.raises(DateParseError, match="没有填写日期"):
        parse_date(value, today=TODAY)


def test_year_limit_follows_today() -> None:
    assert parse_date("2036-12-31", today=TODAY) == date(2036, 12, 31)
    with pytest.raises(DateParseError):
        parse_date("2037-01-01", today=TODAY)
    assert parse_date("2026-01-01") == date(2026, 1, 1)


def test_format_date() -> None:
    assert format_date(D) == "2015-03-12"
    assert format_date(datetime(2015, 3, 12, 9, 0)) == "2015-03-12"
    assert format_date(date(1949, 1, 2)) == "1949-01-02"


def test_age_on() -> None:
    assert age_on(date(2010, 6, 1), date(2026, 5, 31)) == 15
    assert age_on(date(2010, 6, 1), date(2026, 6, 1)) == 16
    assert age_on(date(2010, 6, 1), date(2010, 6, 1)) == 0
    with pytest.raises(DomainError):
        age_on(date(2010, 6, 1), date(2010, 5, 31))


def test_age_on_leap_day_birthday() -> None:
    birth = date(2012, 2, 29)
    assert age_on(birth, date(2013, 2, 28)) == 0
    assert age_on(birth, date(2013, 3, 1)) == 1
    assert age_on(birth, date(2016, 2, 29)) == 4
    assert nth_birthday(birth, 1) == date(2013, 3, 1)
    assert nth_birthday(birth, 4) == date(2016, 2, 29)
    assert age_on(birth, nth_birthday(birth, 16)) == 16


@pytest.mark.parametrize(
    ("age", "band", "county"),
    [
        (0, "0–5岁", "0–5岁"),
        (5, "0–5岁", "0–5岁"),
        (6, "6–13岁", "6–13岁"),
        (13, "6–13岁", "6–13岁"),
        (14, "14–15岁", "14–16岁"),
        (15, "14–15岁", "14–16岁"),
        (16, "16–17岁", "14–16岁"),
        (17, "16–17岁", "17岁及以上"),
        (18, "18岁及以上", "17岁及以上"),
        (60, "18岁及以上", "17岁及以上"),
    ],
)
def test_age_bands(age: int, band: str, county: str) -> None:
    assert age_band(age) == band
    assert county_age_band(age) == county


def test_band_tables() -> None:
    assert [b.label for b in AGE_BANDS] == ["0–5岁", "6–13岁", "14–15岁", "16–17岁", "18岁及以上"]
    assert [b.label for b in COUNTY_AGE_BANDS] == ["0–5岁", "6–13岁", "14–16岁", "17岁及以上"]
    with pytest.raises(DomainError):
        age_band(-1)
    with pytest.raises(DomainError):
        county_age_band(-1)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 10), -13, date(2024, 12, 10)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
    ],
)
def test_add_months(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


def test_add_working_days() -> None:
    friday = date(2026, 5, 15)
    assert add_working_days(friday, 1) == date(2026, 5, 18)
    assert add_working_days(friday, 5) == date(2026, 5, 22)
    assert add_working_days(date(2026, 5, 18), 5) == date(2026, 5, 25)
    assert add_working_days(date(2026, 5, 16), 1) == date(2026, 5, 18)  # from a Saturday
    assert add_working_days(friday, 0) == friday
    assert add_working_days(date(2026, 5, 18), -1) == friday


def test_add_working_days_with_holidays_and_make_up_days() -> None:
    # 2026 Labour Day: 1–5 May off, Saturday 9 May worked instead (illustrative).
    holidays = {date(2026, 5, d) for d in range(1, 6)}
    assert add_working_days(date(2026, 4, 30), 1, holidays) == date(2026, 5, 6)
    assert add_working_days(
        date(2026, 5, 8), 1, holidays, extra_workdays={date(2026, 5, 9)}
    ) == date(2026, 5, 9)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026年2月", date(2026, 2, 1), date(2026, 2, 28)),
        ("2028.2", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026 q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026年第三季度", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026年第2季度", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026年", date(2026, 1, 1), date(2026, 12, 31)),
        ("２０２６", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026上半年", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026年下半年", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-01-01..2026-03-31", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-01-01 至 2026-03-31", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026.1.5~2026.2.5", date(2026, 1, 5), date(2026, 2, 5)),
        ("2026-01..2026-03", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-03-15", date(2026, 3, 15), date(2026, 3, 15)),
        ("本月", date(2026, 5, 1), date(2026, 5, 31)),
        ("上月", date(2026, 4, 1), date(2026, 4, 30)),
        ("本季度", date(2026, 4, 1), date(2026, 6, 30)),
        ("上季度", date(2026, 1, 1), date(2026, 3, 31)),
        ("今年", date(2026, 1, 1), date(2026, 12, 31)),
        ("去年", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_parse_period(text: str, start: date, end: date) -> None:
    assert parse_period(text, today=TODAY) == (start, end)


def test_last_quarter_in_january_is_previous_year() -> None:
    assert parse_period("上季度", today=date(2026, 1, 10)) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    assert parse_period("上月", today=date(2026, 1, 10)) == (date(2025, 12, 1), date(2025, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "2026-13",
        "2026-Q5",
        "abc",
        "2026-03..2026-01",
        "2026..",
        "1..2..3",
        "2105",
        "1800",
    ],
)
def test_parse_period_refuses(text: str) -> None:
    with pytest.raises(DomainError) as info:
        parse_period(text, today=TODAY)
    assert info.value.message


def test_parse_period_today_defaults() -> None:
    start, end = parse_period("本月")
    assert start.day == 1 and start <= date.today() <= end


def test_days_in_month_agrees_with_the_calendar() -> None:
    import calendar

    from carebook.domain.dates import days_in_month

    for year in (1900, 2000, 2023, 2024, 2100):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
