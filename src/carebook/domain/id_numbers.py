"""Resident ID numbers (公民身份号码, GB 11643-1999): clean-up, checking, masking and test data."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat
from operator import add, eq, itemgetter, mod, mul

from carebook.domain.errors import IdNumberError
from carebook.i18n import tr

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
ID_LENGTH = 18
EARLIEST_BIRTH = date(1900, 1, 1)

# Characters that people or spreadsheets put into ID cells and that carry no meaning.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_FULL_WIDTH = {ord("０") + i: str(i) for i in range(10)} | {
    ord("Ｘ"): "X",
    ord("ｘ"): "X",
    ord("x"): "X",
    ord("＊"): "*",
}
# Apostrophes and back-ticks that force Excel to keep a cell as text.
_GUARDS = "'`‘’＇"
_WHITESPACE = re.compile(r"\s+")
# 1.40702E+17, 1.40702e17, 1,40702E+17 (a decimal comma from some locales).
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE][+-]?\d+")
# 140702199001011000.0: a float written back out as text.
_FLOAT_TEXT = re.compile(r"\d{12,18}\.0*")
_MASKED = re.compile(r"[0-9X]*\*+[0-9X]*")


def _excel_damaged() -> IdNumberError:
    # Made when raised, not at import: the worker may have switched language since.
    return IdNumberError(
        tr(
            "身份证号码被 Excel 当成数字保存（如显示为 1.40702E+17），最后几位已经丢失，无法恢复。"
            "请找到原始号码，把单元格设为“文本”后重新填写。"
        ),
        "excel_damaged",
    )


@dataclass(frozen=True)
class IdNumber:
    """A checked 18-character ID number and what it says about its holder."""

    number: str
    region_code: str
    birth_date: date
    sex: str

    @property
    def masked(self) -> str:
        return mask_id(self.number)


def normalize_id(raw: object) -> str:
    """Undo the usual typing habits (spaces, guards, full-width, lower-case x); never fix digits."""
    if raw is None:
        return ""
    if type(raw) is str and raw.isalnum() and raw.isascii() and "x" not in raw:
        return raw  # nothing to undo (the common, already clean cell)
    text = str(raw).translate(_INVISIBLE).translate(_FULL_WIDTH)
    text = _WHITESPACE.sub("", text)
    return text.lstrip(_GUARDS)


def check_character(first17: str) -> str:
    """The check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise IdNumberError(tr("计算校验码需要 17 位数字。"), "characters")
    # The bytes of ASCII digits are 48 + the digit: one multiply-add per byte, all in C.
    total = sum(map(mul, first17.encode(), WEIGHTS)) - _ZERO_WEIGHT
    return CHECK_CHARACTERS[total % 11]


_ZERO_WEIGHT = 48 * sum(WEIGHTS)


def _sex_from_sequence(number: str) -> str:
    return "男" if int(number[16]) % 2 == 1 else "女"


def parse_id(raw: object, *, today: date | None = None) -> IdNumber:
    """Check an ID number and return its parts, or raise IdNumberError saying what is wrong."""
    today = today or date.today()
    # bool is an int subclass, but True in an ID column is a wrong cell, not Excel damage.
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _stored_as_number(raw, today)
    if (
        type(raw) is str
        and len(raw) == ID_LENGTH
        and raw.isascii()
        and raw[:17].isdigit()
        and (raw[17] == "X" or raw[17].isdigit())
    ):
        # The usual, clean cell: nothing to undo and none of the shape errors below can apply.
        return _checked_digits(raw, today)
    text = normalize_id(raw)
    if not text:
        raise IdNumberError(tr("没有填写身份证号码。"), "empty")
    if _SCIENTIFIC.fullmatch(text) or _FLOAT_TEXT.fullmatch(text):
        raise _excel_damaged()
    if not re.fullmatch(r"[0-9X]+", text):
        raise IdNumberError(
            tr("身份证号码“{text}”含有数字和 X 以外的字符，请核对后重新填写。", text=text),
            "characters",
        )
    if len(text) == 15:
        message = tr(
            "身份证号码应为 18 位，这里是 15 位（15 位的是旧号码，请换成 18 位的新号码），"
            "请核对后重新填写。"
        )
        raise IdNumberError(message, "length")
    if len(text) != ID_LENGTH:
        message = tr("身份证号码应为 18 位，这里是 {n} 位，请核对后重新填写。", n=len(text))
        raise IdNumberError(message, "length")
    if "X" in text[:17]:
        raise IdNumberError(tr("身份证号码只有最后一位可以是 X，请核对后重新填写。"), "characters")
    return _checked_digits(text, today)


def stored_as_number(raw: object) -> bool:
    """Whether an ID cell holds a number (int or float) rather than text."""
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def _stored_as_number(raw: int | float, today: date) -> IdNumber:
    """An ID cell that holds a number: only an exact integer can still hold all 18 digits.

    A float (Excel's own numbers, every .xls) keeps about 15 significant digits, so its last
    ones are gone. An integer written exactly (by a program, into .xlsx or csv) is the number
    itself, unless it ends in 000: the trace of rounding to 15 digits, which it cannot be told
    apart from. No number holds a final X.
    """
    if isinstance(raw, float) or raw <= 0:
        raise _excel_damaged()
    text = str(raw)
    if len(text) == ID_LENGTH and text.endswith("000"):
        raise _excel_damaged()
    if len(text) != ID_LENGTH:
        return parse_id(text, today=today)  # its length is wrong: the text path says how
    if check_character(text[:17]) == "X":
        raise _excel_damaged()  # its X was lost when it became a number
    return _checked_digits(text, today)


def _checked_digits(text: str, today: date) -> IdNumber:
    """The date and check-character tests of 17 digits plus a digit or X."""
    birth = _birth_date(text)
    if birth > today:
        message = tr(
            "身份证号码中的出生日期 {birth} 晚于今天，请核对后重新填写。", birth=birth.isoformat()
        )
        raise IdNumberError(message, "future")
    expected = check_character(text[:17])
    if text[17] != expected:
        if text.endswith("000"):
            # Excel keeps 15 significant digits and pads with zeros; this is the usual trace.
            message = tr(
                "身份证号码校验不通过，且以 000 结尾，"
                "可能被 Excel 当成数字保存过，最后几位已经丢失。"
                "请找到原始号码，把单元格设为“文本”后重新填写。"
            )
        else:
            message = tr(
                "身份证号码校验不通过（最后一位校验码不对），可能有数字填错，请核对后重新填写。"
            )
        raise IdNumberError(message, "check")
    return IdNumber(
        number=text, region_code=text[:6], birth_date=birth, sex=_sex_from_sequence(text)
    )


def _birth_date(text: str) -> date:
    digits = text[6:14]
    birth: date | None
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        birth = None
    if birth is None or birth < EARLIEST_BIRTH:
        message = tr(
            "身份证号码中的出生日期“{digits}”不是有效日期，请核对后重新填写。", digits=digits
        )
        raise IdNumberError(message, "birth_date")
    return birth


_CLEAN_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_SEX_OF_DIGIT = {str(d): "男" if d % 2 else "女" for d in range(10)}
_FIRST_17 = itemgetter(slice(0, 17))
_BIRTH_DIGITS = itemgetter(slice(6, 14))


def clean_id_parts(numbers: Sequence[object], today: date) -> list[tuple[date, str] | None]:
    """Per cell, (birth date, sex) when parse_id accepts it exactly as typed, else None.

    For a whole column of an import at once: only the clean shape (18 ASCII characters with
    nothing to undo) is judged here; any other cell gets None and goes through parse_id for
    its message. The column's steps run in C where they can; birth dates, which repeat down a
    column, are worked out once each.
    """
    shape = _CLEAN_SHAPE.fullmatch
    try:
        clean = [match is not None for match in map(shape, numbers)]  # type: ignore[arg-type]
    except TypeError:  # a number or date in the column
        clean = [type(n) is str and shape(n) is not None for n in numbers]  # type: ignore[arg-type]
    texts: list[str] = list(compress(numbers, clean))  # type: ignore[arg-type]
    # The weights are 2**17 .. 2**1 modulo 11, and 13 is 2 modulo 11: so the weighted sum is,
    # modulo 11, twice the first 17 digits read in base 13 (one int() in C per number).
    sums = map(mul, map(int, map(_FIRST_17, texts), repeat(13)), repeat(2))
    expected = map(CHECK_CHARACTERS.__getitem__, map(mod, sums, repeat(11)))
    checked = list(map(eq, expected, map(itemgetter(17), texts)))
    births: dict[str, date | None] = {}
    digits = list(map(_BIRTH_DIGITS, texts))
    for key in set(digits):
        try:
            birth: date | None = _birth_date("0" * 6 + key)  # it reads characters 6 to 13
        except IdNumberError:
            birth = None
        births[key] = birth if birth is not None and birth <= today else None
    sexes = map(_SEX_OF_DIGIT.__getitem__, map(itemgetter(16), texts))
    found = zip(map(births.__getitem__, digits), sexes, strict=True)
    parts = [
        pair if ok and pair[0] is not None else None
        for pair, ok in zip(found, checked, strict=True)
    ]
    if len(parts) == len(clean):
        return parts
    done = iter(parts)
    return [next(done) if ok else None for ok in clean]


def mask_id(number: str) -> str:
    """Hide the middle of an ID: first 6 and last 4 stay visible; short values are hidden whole."""
    text = normalize_id(number)
    if len(text) <= 10:
        # Too short to show 10 characters and still hide anything useful.
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_ids(numbers: list[str]) -> list[str]:
    """mask_id of each number: a column of clean 18-character numbers at once, in C."""
    joined = "".join(numbers)
    if not (
        joined.isalnum()
        and joined.isascii()
        and "x" not in joined
        and len(joined) == ID_LENGTH * len(numbers)
        and all(map(ID_LENGTH.__eq__, map(len, numbers)))
    ):
        return list(map(mask_id, numbers))
    hidden = "*" * (ID_LENGTH - 10)
    heads = map(add, map(_HEAD, numbers), repeat(hidden))
    return list(map(add, heads, map(_TAIL, numbers)))


_HEAD = itemgetter(slice(0, 6))
_TAIL = itemgetter(slice(-4, None))


def id_is_masked(text: object) -> bool:
    """True if the value looks like a masked ID (digits with asterisks), not a real number."""
    normalized = normalize_id(text)
    return bool(normalized) and _MASKED.fullmatch(normalized) is not None


def make_id(region: str, birth: date, seq: int) -> str:
    """Build a valid 18-character ID number (for demo data and tests); odd seq gives a male."""
    if len(region) != 6 or not region.isascii() or not region.isdigit():
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not 0 <= seq <= 999:
        raise ValueError(f"seq must be 0..999, got {seq}")
    first17 = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq:03d}"
    return first17 + check_character(first17)
