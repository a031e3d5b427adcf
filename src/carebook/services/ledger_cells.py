"""Cells the domain's parsers refuse but a ledger writes every day: two phones in one cell, an
extension after 转, a date in Chinese numerals (二〇一五年三月八日), a birth month without a day."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from carebook.domain.dates import parse_date
from carebook.domain.errors import DomainError
from carebook.domain.phones import normalize_phone

_PHONE_LIST = re.compile(r"[/、,，;；\n]|或|\s+")
_EXTENSION = re.compile(r"(?P<number>.+?)\s*(?:转|分机|ext\.?|[x#])\s*(?P<ext>\d{1,6})", re.I)
_YEAR_MONTH = re.compile(r"(?P<y>\d{4})(?:年(?P<m1>\d{1,2})月?|[-/.](?P<m2>\d{1,2}))")
_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_DATE = re.compile(
    r"(?P<y>[〇○零Ｏ一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月"
    r"(?:(?P<d>[一二三四五六七八九十]{1,3})[日号])?"
)


def split_phone_cell(text: str) -> tuple[str, str, str] | None:
    """(number to keep, rest to note, "several" | "same" | "extension") for a cell holding
    two or more numbers or a number with an extension; None when the cell is not such (its
    problem, if any, is for normalize_phone to say)."""
    try:
        normalize_phone(text)
        return None
    except DomainError:
        pass
    plain = unicodedata.normalize("NFKC", text).strip()
    match = _EXTENSION.fullmatch(plain)
    if match:
        try:
            number = normalize_phone(match["number"])
        except DomainError:
            return None
        return (number, match["ext"], "extension") if number else None
    phones: list[str] = []
    for part in filter(None, _PHONE_LIST.split(plain)):
        try:
            phone = normalize_phone(part)
        except DomainError:
            return None  # a part that is no number: not a list of numbers
        if phone and phone not in phones:
            phones.append(phone)
    if not phones:
        return None
    if len(phones) == 1:
        return phones[0], "", "same"  # one number written twice
    return phones[0], "、".join(phones[1:]), "several"


def _chinese_number(text: str) -> int:
    if "十" not in text:
        return int("".join(str(_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def from_chinese_numerals(text: str) -> str | None:
    """二〇一五年三月八日 as 2015年3月8日 (then read as any date), or None when it is not such."""
    match = _CHINESE_DATE.fullmatch("".join(unicodedata.normalize("NFKC", text).split()))
    if not match:
        return None
    try:
        year = "".join(str(_DIGITS[c]) for c in match["y"])
        month = _chinese_number(match["m"])
        day = _chinese_number(match["d"]) if match["d"] else None
    except KeyError:
        return None
    return f"{year}年{month}月" + (f"{day}日" if day is not None else "")


def read_date(value: object, today: date) -> date:
    """parse_date, and a date written in Chinese numerals; DomainError as parse_date raises it."""
    try:
        return parse_date(value, today=today)
    except DomainError:
        arabic = from_chinese_numerals(value) if isinstance(value, str) else None
        if arabic is None:
            raise
        return parse_date(arabic, today=today)


def year_month(value: object) -> tuple[int, int] | None:
    """(year, month) of a cell that names a month but no day (2015年3月, 2015-3, 二〇一五年三月)."""
    if not isinstance(value, str):
        return None
    text = "".join(unicodedata.normalize("NFKC", value).split()).lstrip("'`‘’")
    arabic = from_chinese_numerals(text)
    if arabic is not None:
        text = arabic
    match = _YEAR_MONTH.fullmatch(text)
    if not match:
        return None
    month = int(match["m1"] or match["m2"])
    return (int(match["y"]), month) if 1 <= month <= 12 else None
