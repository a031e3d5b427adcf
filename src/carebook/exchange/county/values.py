"""One canonical text per cell value, so an export and its read-back compare equal, and hashes."""

from __future__ import annotations

import re
import zlib
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from carebook.domain.categories import canonical_care_level, join_categories, parse_categories
from carebook.domain.dates import parse_date
from carebook.domain.errors import DomainError
from carebook.domain.id_numbers import id_is_masked, normalize_id, parse_id
from carebook.domain.people import canonical_choice, canonical_sex
from carebook.domain.phones import normalize_phone
from carebook.exchange.county.columns import (
    CARE,
    CATEGORIES,
    CHOICE,
    DATE,
    ID,
    NUMBER,
    PHONE,
    SEX,
    TEXT,
    Column,
)
from carebook.i18n import tr

# Characters XML (and so .xlsx) cannot hold; a value is written and compared without them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Values Excel or WPS would take as the start of a formula if typed; written as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t")


class CellError(ValueError):
    """A cell whose value cannot be read; the message says why in the worker's words."""


def clean_text(value: str) -> str:
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text.strip()


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _number_text(value)
    return clean_text(str(value))


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def canonical(column: Column, value: object) -> str:
    """The value as the one text carebook compares; raises CellError for a value that is wrong."""
    if value is None or value == "":
        return ""
    kind = column.kind
    if isinstance(value, str) and (kind == TEXT or kind not in _CHECKED):
        return clean_text(value)
    if kind == DATE and isinstance(value, date):
        return value.isoformat() if not isinstance(value, datetime) else value.date().isoformat()
    if isinstance(value, str) and value in column.choices:
        return value
    try:
        if kind == DATE:
            if isinstance(value, str) and not value.strip():
                return ""
            return parse_date(value).isoformat()
        if kind == PHONE:
            return normalize_phone(value)
        if kind == ID:
            return _id_text(value)
        if kind == NUMBER:
            return _number(value)
        if kind == SEX:
            return canonical_sex(value)
        if kind == CARE:
            return canonical_care_level(_plain(value))
        if kind == CATEGORIES:
            return join_categories(parse_categories(_plain(value)))
        if kind == CHOICE:
            text = _plain(value)
            return canonical_choice(text, column.choices, field=column.header) if text else ""
    except DomainError as exc:
        raise CellError(exc.message) from None
    return _plain(value)


def _id_text(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A float has lost the last digits (refused); an exact integer a program wrote is whole.
        try:
            return parse_id(value).number
        except DomainError as exc:
            raise CellError(exc.message) from None
    text = normalize_id(value).upper()
    if not text or id_is_masked(text):
        return text
    try:
        return parse_id(text).number
    except DomainError as exc:
        raise CellError(exc.message) from None


def _number(value: object) -> str:
    if isinstance(value, bool):
        raise CellError(tr("“{value}”不是数字。", value=value))
    if isinstance(value, int | float | Decimal):
        return _number_text(Decimal(str(value)))
    text = clean_text(str(value)).replace(",", "").replace("，", "")
    if not text:
        return ""
    try:
        return _number_text(Decimal(text))
    except InvalidOperation:
        raise CellError(tr("“{text}”不是数字，请只填写数字。", text=text)) from None


def field_hash(text: str) -> str:
    """Eight hex digits standing for one field's value in the base stored in the workbook."""
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


def signature(texts: list[str] | tuple[str, ...]) -> str:
    """The hashes of a row's merged fields, in contract order, as one string."""
    return "".join(f"{zlib.crc32(t.encode('utf-8')):08x}" for t in texts)


def field_digest(text: str) -> bytes:
    """field_hash as four bytes: the base is held in memory this way (half the size)."""
    return zlib.crc32(text.encode("utf-8")).to_bytes(4, "big")


def signature_digest(texts: list[str] | tuple[str, ...]) -> bytes:
    return b"".join(zlib.crc32(t.encode("utf-8")).to_bytes(4, "big") for t in texts)


def column_letter(index: int) -> str:
    """The letters Excel shows above a column (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def db_text(column: Column, value: object) -> str:
    """The canonical text of a value from the database (fast for the common cases)."""
    if value is None:
        return ""
    kind = column.kind
    if isinstance(value, str):
        if kind == TEXT or kind not in _CHECKED:
            return clean_text(value)
        if value in column.choices:
            return value
        if not value:
            return ""
    elif isinstance(value, date) and kind == DATE:
        return value.isoformat() if not isinstance(value, datetime) else value.date().isoformat()
    try:
        return canonical(column, value)
    except CellError:
        # A value stored before today's rules: shown and compared as it is.
        return _plain(value)


_CHECKED = frozenset({DATE, PHONE, ID, NUMBER, SEX, CARE, CATEGORIES, CHOICE})
