"""A row's fingerprint: a hash of its merged cells exactly as a reader meets them in the sheet.

The export stores one per row in _carebook; a row read back with the same fingerprint is the row
as exported, so it needs no type conversion and no field-by-field comparison. Anything else
(a re-typed date, a number typed as text, a moved column) just misses and takes the full path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl.compat.strings import safe_string
from openpyxl.utils.datetime import to_excel

# A cell's text carries its kind: XML text can never hold these two characters.
NUMBER = "\x00"  # a number cell; the rest is the number as written in the sheet
BOOL = "\x01"  # a TRUE/FALSE cell; the rest is 1 or 0
_SEPARATOR = "\x1f"  # nor this one, so joined texts cannot run into each other


def cell_text(value: object) -> str:
    """The text a value has in the sheet's XML (openpyxl writes numbers and dates this way)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return BOOL + ("1" if value else "0")
    if isinstance(value, datetime | date):
        return NUMBER + safe_string(to_excel(value))
    if isinstance(value, int | float | Decimal):
        return NUMBER + safe_string(value)
    return str(value)


def row_fingerprint(texts: Sequence[str]) -> bytes:
    """Eight bytes standing for a row's merged cell texts, in contract order."""
    data = _SEPARATOR.join(texts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=8).digest()
