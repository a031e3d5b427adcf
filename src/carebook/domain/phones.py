"""Telephone numbers: forgiving normalisation of mobiles and landlines, masking, search digits."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING

from carebook.domain.errors import PhoneError
from carebook.i18n import tr

if TYPE_CHECKING:
    from decimal import Decimal

_GUARDS = "'`‘’＇"
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-‐‑–—()]+")
_ALLOWED = re.compile(r"\+?[\d\s\-‐‑–—()]+")
_FLOAT_TEXT = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+|\d+\.0*")
_LIST_SEPARATORS = re.compile(r"[/、,，;；\n]|或")


def _error(original: object) -> PhoneError:
    return PhoneError(
        tr(
            "“{value}”不是有效的电话号码。手机号应为 11 位；固定电话请带区号，如 0351-1234567。",
            value=original,
        )
    )


def _decimal(value: float | str) -> Decimal:
    # Imported here: only numbers from spreadsheets need it, and the app's start does not.
    from decimal import Decimal

    return Decimal(value)


def _number_digits(value: Decimal | int, original: object) -> str:
    # A phone has at most 12 digits, well inside a float's exact range, so no digit is lost;
    # only the leading 0 of a landline's area code is, which _classify puts back.
    if not isinstance(value, int) and value != value.to_integral_value():
        raise _error(original)
    if value < 0:
        raise _error(original)
    return str(int(value))


def is_plain_mobile(value: object) -> bool:
    """A mobile number already in standard form (13812345678): what nearly every cell holds."""
    return (
        type(value) is str
        and len(value) == 11
        and value.isdigit()
        and value.isascii()
        and value[0] == "1"
        and value[1] in "3456789"  # _MOBILE, spelled out for the commonest cell
    )


def normalize_phone(value: object) -> str:
    """One phone number in standard form: 13812345678, 0351-1234567 or 1234567; empty gives ""."""
    if is_plain_mobile(value):
        return value  # type: ignore[return-value]  # the checks below would not change it
    if value is None:
        return ""
    if isinstance(value, bool):
        raise _error(value)
    if isinstance(value, int):
        return _classify(_number_digits(value, value), value, from_number=True)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _error(value)
        return _classify(_number_digits(_decimal(value), value), f"{value:g}", from_number=True)
    original = str(value).strip()
    text = unicodedata.normalize("NFKC", original).strip().lstrip(_GUARDS).strip()
    if not text:
        return ""
    if _FLOAT_TEXT.fullmatch(text):
        number = _decimal(text)  # the pattern only lets valid decimals through
        digits = _number_digits(number, original)
        mantissa = re.split("[eE]", text)[0].replace(".", "").lstrip("0")
        if "e" in text.lower() and len(mantissa) < len(digits):
            # "1.38123E+10" is what Excel shows, not what it stored: the tail is gone.
            raise PhoneError(
                tr(
                    "“{value}”是 Excel 显示的科学计数法，电话号码的后几位已经丢失。"
                    "请找到原始号码，把单元格设为“文本”后重新填写。",
                    value=original,
                )
            )
        return _classify(digits, original, from_number=True)
    if _LIST_SEPARATORS.search(text):
        raise PhoneError(
            tr("“{value}”像是填了多个号码，一个格子只能填一个电话号码。", value=original)
        )
    if not _ALLOWED.fullmatch(text):
        raise _error(original)
    international = text.startswith(("+86", "0086"))
    if text.startswith("+") and not international:
        # Numbers abroad are out of scope; guessing at them would only hide a typo.
        raise _error(original)
    digits = _SEPARATORS.sub("", text).lstrip("+")
    if international:
        digits = digits.removeprefix("0086").removeprefix("86")
        # Dialled from abroad a landline drops its trunk 0: +86 351 1234567.
        if digits and not _MOBILE.fullmatch(digits) and not digits.startswith("0"):
            digits = "0" + digits
    elif len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    return _classify(digits, original, from_number=False)


def _classify(digits: str, original: object, *, from_number: bool) -> str:
    if not digits.isdigit():
        raise _error(original)
    if _MOBILE.fullmatch(digits):
        return digits
    if len(digits) == 12 and digits.startswith("0") and _MOBILE.fullmatch(digits[1:]):
        # Some people still dial 0 before a mobile from another city.
        return digits[1:]
    if from_number and 9 <= len(digits) <= 11 and digits[0] != "0":
        # A number cell drops the area code's leading 0 (0351... became 351...).
        landline = _landline("0" + digits)
        if landline:
            return landline
        raise _error(original)
    landline = _landline(digits)
    if landline:
        return landline
    if 7 <= len(digits) <= 8 and digits[0] != "0":
        return digits
    raise _error(original)


def _landline(digits: str) -> str | None:
    # No area code starts with 00 (that is an international prefix).
    if not digits.startswith("0") or digits.startswith("00") or len(digits) < 10:
        return None
    # Beijing 010 and the 02x cities have 3-digit area codes; all others have 4 (no 01x but 010).
    if digits[1] == "1" and digits[2] != "0":
        return None
    area_length = 3 if digits[1] in "12" else 4
    area, local = digits[:area_length], digits[area_length:]
    if 7 <= len(local) <= 8 and local[0] != "0":
        return f"{area}-{local}"
    return None


def parse_phones(cell: object) -> list[str]:
    """All numbers in a cell that lists several (13812345678/0351-1234567), deduplicated."""
    if cell is None or isinstance(cell, int | float):
        single = normalize_phone(cell)
        return [single] if single else []
    result: list[str] = []
    for part in _LIST_SEPARATORS.split(unicodedata.normalize("NFKC", str(cell))):
        phone = normalize_phone(part)
        if phone and phone not in result:
            result.append(phone)
    return result


def _mask_local(local: str) -> str:
    visible = 4 if len(local) >= 8 else 3
    return "*" * (len(local) - visible) + local[-visible:]


def mask_phone(p: object) -> str:
    """Hide the middle of a phone: 138****5678, 0351-***4567; never raises, for display."""
    try:
        phone = normalize_phone(p)
    except PhoneError:
        text = str(p)
        parts = re.split(f"({_LIST_SEPARATORS.pattern})", text)
        if len(parts) > 1:
            return "".join(
                part if i % 2 else re.sub(r"\S(?:.*\S)?", lambda m: mask_phone(m[0]), part)
                for i, part in enumerate(parts)
            )
        # Unreadable values are still private: hide every digit but the last two.
        positions = [i for i, ch in enumerate(text) if ch.isdigit()]
        hidden = set(positions[:-2])
        return "".join("*" if i in hidden else ch for i, ch in enumerate(text))
    if not phone:
        return ""
    if _MOBILE.fullmatch(phone):
        return phone[:3] + "****" + phone[-4:]
    if "-" in phone:
        area, local = phone.split("-", 1)
        return f"{area}-{_mask_local(local)}"
    return _mask_local(phone)


def phone_digits(p: object) -> str:
    """Only the digits, for searching by any part of a number."""
    try:
        # Normalising first keeps a float's ".0" and a +86 prefix out of the search key.
        return normalize_phone(p).replace("-", "")
    except PhoneError:
        pass
    text = unicodedata.normalize("NFKC", str(p))
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())
