"""Forgiving date reading, ages and age bands, month and working-day arithmetic, report periods."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from carebook.domain.errors import DateParseError, DomainError
from carebook.i18n import tr

EARLIEST_YEAR = 1900
# Planned visits and pairings reach a few years ahead; a year beyond this is almost surely a typo.
MAX_YEARS_AHEAD = 10

_GUARDS = "'`‘’＇"
_TIME_SUFFIX = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_FULL_DATE = (
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_MONTH_ONLY = (
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月?"),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
)
_EXCEL_EPOCH = date(1899, 12, 30)


class AgeBand(NamedTuple):
    label: str
    low: int
    high: int | None  # None: no upper limit


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("0–5岁", 0, 5),
    AgeBand("6–13岁", 6, 13),
    AgeBand("14–15岁", 14, 15),
    AgeBand("16–17岁", 16, 17),
    AgeBand("18岁及以上", 18, None),
)
# Counties count 14–16 together (the 留守 limit falls inside), so their bands differ from ours.
COUNTY_AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("0–5岁", 0, 5),
    AgeBand("6–13岁", 6, 13),
    AgeBand("14–16岁", 14, 16),
    AgeBand("17岁及以上", 17, None),
)


def _hint() -> str:
    return tr("请按 2015-03-12 这样的格式填写。")


def _not_a_date(shown: str) -> DateParseError:
    return DateParseError(tr("“{value}”不是有效日期。{hint}", value=shown, hint=_hint()))


def _latest_year(today: date | None) -> int:
    return (today or date.today()).year + MAX_YEARS_AHEAD


def _checked(result: date, shown: str, today: date | None) -> date:
    latest = _latest_year(today)
    if not EARLIEST_YEAR <= result.year <= latest:
        raise DateParseError(
            tr(
                "“{value}”不是有效日期（年份应在 {first} 到 {last} 年之间）。{hint}",
                value=shown,
                first=EARLIEST_YEAR,
                last=latest,
                hint=_hint(),
            )
        )
    return result


def _from_number(value: float, today: date | None) -> date:
    shown = f"{value:g}"
    if not math.isfinite(value) or value < 1:
        raise _not_a_date(shown)
    if 19000101 <= value <= 99991231 and value == int(value):
        # 20150312 typed into a number cell.
        return _from_text(str(int(value)), today)
    if EARLIEST_YEAR <= value < 2101:
        # 2015 or 2015.3 typed into a number cell: Excel would read it as a day in 1905,
        # and 2015.10 has already lost its month, so refuse rather than guess.
        raise DateParseError(
            tr(
                "“{value}”不是有效日期：看起来是年份或“年.月”被存成了数字。"
                "请把单元格设为“文本”，按 2015-03-12 这样的格式填写。",
                value=shown,
            )
        )
    serial = int(value)  # the fraction is the time of day
    if serial == 60:
        # Excel pretends 1900 was a leap year; its serial 60 is the non-existent 1900-02-29.
        raise DateParseError(
            tr("“{value}”不是有效日期（1900 年没有 2 月 29 日）。{hint}", value=shown, hint=_hint())
        )
    try:
        result = _EXCEL_EPOCH + timedelta(days=serial + (1 if serial < 60 else 0))
    except OverflowError:
        raise _not_a_date(shown) from None
    return _checked(result, shown, today)


def _from_text(original: str, today: date | None) -> date:
    text = unicodedata.normalize("NFKC", original).strip().lstrip(_GUARDS)
    text = _TIME_SUFFIX.sub("", text)
    text = re.sub(r"\s+", "", text)
    if not text:
        raise DateParseError(tr("没有填写日期。"))
    for pattern in _FULL_DATE:
        match = pattern.fullmatch(text)
        if match:
            return _make(match["y"], match["m"], match["d"], original, today)
    for pattern in _MONTH_ONLY:
        match = pattern.fullmatch(text)
        if match:
            return _make(match["y"], match["m"], "1", original, today)
    raise _not_a_date(original.strip())


def _make(year: str, month: str, day: str, original: str, today: date | None) -> date:
    try:
        result = date(int(year), int(month), int(day))
    except ValueError:
        message = tr(
            "“{value}”不是有效日期（没有这一天）。{hint}", value=original.strip(), hint=_hint()
        )
        raise DateParseError(message) from None
    return _checked(result, original.strip(), today)


def parse_date(value: object, *, today: date | None = None) -> date:
    """Read a date from a cell: date/datetime, an Excel serial number or common Chinese text."""
    if isinstance(value, datetime):
        return _checked(value.date(), value.date().isoformat(), today)
    if isinstance(value, date):
        return _checked(value, value.isoformat(), today)
    if value is None:
        raise DateParseError(tr("没有填写日期。"))
    if isinstance(value, bool):
        raise _not_a_date(str(value))
    if isinstance(value, int | float):
        return _from_number(float(value), today)
    if today is None:
        return _from_text(str(value), today)
    return _cached_text(str(value), today)


# A ledger column repeats the same dates (and an import passes one `today`): parse each once.
# Only with an explicit today, so the answer cannot go stale at midnight.
@lru_cache(maxsize=4096)
def _cached_text(text: str, today: date) -> date:
    return _from_text(text, today)


def format_date(d: date) -> str:
    """YYYY-MM-DD, the one form carebook shows and writes."""
    if isinstance(d, datetime):
        d = d.date()
    return d.isoformat()


def nth_birthday(birth: date, years: int) -> date:
    """The day the child turns `years` old; a 29 February birthday falls on 1 March otherwise."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


def age_on(birth: date, ref: date) -> int:
    """Age in whole years on `ref` (the birthday itself counts)."""
    if ref < birth:
        raise DomainError(
            tr(
                "日期 {day} 早于出生日期 {birth}，无法计算年龄。",
                day=ref.isoformat(),
                birth=birth.isoformat(),
            )
        )
    # Comparing (month, day) makes a 29 February child a year older on 1 March in common years.
    return ref.year - birth.year - ((ref.month, ref.day) < (birth.month, birth.day))


def _band(age: int, bands: tuple[AgeBand, ...]) -> str:
    if age < 0:
        raise DomainError(tr("年龄不能是负数（{age}）。", age=age))
    for band in bands:
        if band.high is None or age <= band.high:
            return band.label
    raise AssertionError("the last band has no upper limit")


def age_band(age: int) -> str:
    """The register's filter band for an age."""
    return _band(age, AGE_BANDS)


def county_age_band(age: int) -> str:
    """The band the county report counts an age in."""
    return _band(age, COUNTY_AGE_BANDS)


def days_in_month(year: int, month: int) -> int:
    """28 to 31 (not calendar.monthrange: importing calendar costs a start 5 ms for locale)."""
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - timedelta(days=1)).day


def add_months(d: date, n: int) -> date:
    """Move by whole months, clamping to the month's last day (1-31 + 1 month = 2-28/29)."""
    years, month0 = divmod(d.month - 1 + n, 12)
    year = d.year + years
    month = month0 + 1
    return date(year, month, min(d.day, days_in_month(year, month)))


def add_working_days(
    d: date,
    n: int,
    holidays: Collection[date] | None = None,
    *,
    extra_workdays: Collection[date] | None = None,
) -> date:
    """Move by n working days (Mon–Fri minus holidays, plus make-up weekend days, i.e. 调休)."""
    off = holidays or ()
    on = extra_workdays or ()
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = d
    while remaining:
        current += timedelta(days=step)
        if (current.weekday() < 5 or current in on) and current not in off:
            remaining -= 1
    return current


_CHINESE_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}
_RANGE_SEPARATORS = re.compile(r"\.\.|～|~|至|到|—+")
_PERIOD_YEAR = re.compile(r"(?P<y>\d{4})年?(?:度|全年)?")
_PERIOD_MONTH = re.compile(r"(?P<y>\d{4})(?:[-/.]|年)(?P<m>\d{1,2})月?(?:份)?")
_PERIOD_QUARTER = (
    re.compile(r"(?P<y>\d{4})(?:[-/.]|年)?[Qq](?P<q>[1-4])"),
    re.compile(r"(?P<y>\d{4})年?第?(?P<q>[1-4一二三四])季度?"),
)
_PERIOD_HALF = re.compile(r"(?P<y>\d{4})年?(?P<h>上|下)半年")


def _period_hint() -> str:
    return tr(
        "可以写成 2026-11（月）、2026-Q4（季度）、2026（全年）"
        "或 2026-01-01..2026-03-31（起止日期）。"
    )


def _not_a_period(original: str) -> DomainError:
    message = tr("“{value}”不是可识别的时间段。{hint}", value=original, hint=_period_hint())
    return DomainError(message)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, days_in_month(year, month))


def _quarter_span(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    return first, _month_span(year, 3 * quarter)[1]


def _relative_period(text: str, today: date) -> tuple[date, date] | None:
    quarter = (today.month - 1) // 3 + 1
    if text in ("本月", "这个月", "当月"):
        return _month_span(today.year, today.month)
    if text in ("上月", "上个月"):
        last = add_months(today, -1)
        return _month_span(last.year, last.month)
    if text in ("本季度", "本季", "这个季度"):
        return _quarter_span(today.year, quarter)
    if text in ("上季度", "上个季度"):
        return _quarter_span(today.year - (quarter == 1), 4 if quarter == 1 else quarter - 1)
    if text in ("今年", "本年", "本年度"):
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if text in ("去年", "上年", "上年度"):
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return None


def _single_period(text: str, original: str, today: date) -> tuple[date, date]:
    relative = _relative_period(text, today)
    if relative:
        return relative
    latest = _latest_year(today)
    span: tuple[date, date] | None = None
    if match := _PERIOD_YEAR.fullmatch(text):
        year = int(match["y"])
        span = date(year, 1, 1), date(year, 12, 31)
    elif match := _PERIOD_MONTH.fullmatch(text):
        if 1 <= int(match["m"]) <= 12:
            span = _month_span(int(match["y"]), int(match["m"]))
    elif match := _PERIOD_HALF.fullmatch(text):
        year = int(match["y"])
        halves = {"上": (1, 6), "下": (7, 12)}[match["h"]]
        span = date(year, halves[0], 1), _month_span(year, halves[1])[1]
    else:
        for pattern in _PERIOD_QUARTER:
            if match := pattern.fullmatch(text):
                q = match["q"]
                span = _quarter_span(int(match["y"]), _CHINESE_QUARTER.get(q) or int(q))
                break
    if span is None:
        try:
            day = parse_date(text, today=today)
        except DateParseError:
            raise _not_a_period(original) from None
        return day, day
    if not EARLIEST_YEAR <= span[0].year <= latest:
        raise DomainError(
            tr(
                "“{value}”的年份应在 {first} 到 {last} 年之间。{hint}",
                value=original,
                first=EARLIEST_YEAR,
                last=latest,
                hint=_period_hint(),
            )
        )
    return span


def parse_period(text: str, *, today: date | None = None) -> tuple[date, date]:
    """Read a report period (month, quarter, year, half-year or from..to), ends inclusive."""
    today = today or date.today()
    original = str(text or "").strip()
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", original))
    if not cleaned:
        raise DomainError(tr("没有填写时间段。{hint}", hint=_period_hint()))
    parts = _RANGE_SEPARATORS.split(cleaned)
    if len(parts) == 1:
        return _single_period(cleaned, original, today)
    if len(parts) != 2 or not all(parts):
        raise _not_a_period(original)
    start = _single_period(parts[0], original, today)[0]
    end = _single_period(parts[1], original, today)[1]
    if start > end:
        raise DomainError(tr("时间段“{value}”的开始日期晚于结束日期，请核对。", value=original))
    return start, end
