"""The short code printed on a visit sheet: which child, printed which day, with a check character.

12 characters of Crockford base32 (no I, L, O, U), shown as XXXX-XXXX-XXXX: 8 for the first 40
bits of the child's uid, 3 for the print date, 1 check character that catches any single mistyped
character. The QR code carries the code and the full uid, so a scan is exact.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from carebook.i18n import tr

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Letters people type for digits they read on paper.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
EPOCH = date(2020, 1, 1)
CHILD_CHARS = 8
DATE_CHARS = 3
QR_PREFIX = "CBZF"
_UID = re.compile(r"\b([0-9a-f]{32})\b")


class SheetCodeError(ValueError):
    """A typed code that cannot be a sheet code; the message says why, in the worker's language."""


@dataclass(frozen=True)
class SheetCode:
    uid_prefix: str  # 10 hex digits
    printed_on: date | None  # None when only a bare uid was given
    full_uid: str | None = None  # present when the QR code was scanned
    code: str = ""  # the code as printed, XXXX-XXXX-XXXX


def uid_key(uid: str) -> str:
    """The 10 hex digits a code carries: the uid's own start, or a hash of a uid that is not hex
    (one that came from elsewhere); such a code is found again through the print log."""
    head = uid[:10].lower()
    if len(head) == 10 and all(ch in "0123456789abcdef" for ch in head):
        return head
    return hashlib.sha1(uid.encode("utf-8")).hexdigest()[:10]


def _encode(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def _check(body: str) -> str:
    # Odd weights are invertible mod 32, so a single wrong character always changes the sum.
    total = sum(_VALUE[ch] * (2 * i + 1) for i, ch in enumerate(body))
    return ALPHABET[total % 32]


def make_code(uid: str, printed_on: date) -> str:
    """The printed code of a sheet for the child with uid, printed on printed_on."""
    child = int(uid_key(uid), 16)
    days = min(max((printed_on - EPOCH).days, 0), 32**DATE_CHARS - 1)
    body = _encode(child, CHILD_CHARS) + _encode(days, DATE_CHARS)
    code = body + _check(body)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def qr_value(uid: str, code: str) -> str:
    # Upper case only: the QR code's alphanumeric mode then fits it in a smaller symbol.
    return f"{QR_PREFIX}:{code.replace('-', '')}:{uid.upper()}"


def parse_code(text: str) -> SheetCode:
    """Read a typed or scanned code; forgiving about case, spaces, dashes and O/I/L for 0/1."""
    raw = (text or "").strip()
    if not raw:
        raise SheetCodeError(tr("请输入走访表右上角的编码，或用扫码枪扫描二维码。"))
    scanned = _UID.search(raw.lower())
    if raw.upper().startswith(QR_PREFIX + ":"):
        raw = raw.split(":")[1]
    compact = re.sub(r"[\s\-_]", "", raw).upper().translate(_LOOKALIKES)
    length = CHILD_CHARS + DATE_CHARS + 1
    if len(compact) != length:
        if scanned:
            return SheetCode(scanned.group(1)[:10], None, scanned.group(1))
        raise SheetCodeError(
            tr(
                "编码应为 {expected} 位（形如 7K3M-Q9XA-B2FC），输入的是 {typed} 位。",
                expected=length,
                typed=len(compact),
            )
        )
    bad = sorted({ch for ch in compact if ch not in _VALUE})
    if bad:
        raise SheetCodeError(tr("编码中有不会出现的字符：{bad}。", bad="、".join(bad)))
    body, check = compact[:-1], compact[-1]
    if _check(body) != check:
        raise SheetCodeError(tr("编码校验不对，可能有一位抄错了，请对照纸面再输一次。"))
    child = 0
    for ch in body[:CHILD_CHARS]:
        child = child * 32 + _VALUE[ch]
    days = 0
    for ch in body[CHILD_CHARS:]:
        days = days * 32 + _VALUE[ch]
    full = scanned.group(1) if scanned else None
    printed = f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"
    return SheetCode(f"{child:010x}", EPOCH + timedelta(days=days), full, printed)
