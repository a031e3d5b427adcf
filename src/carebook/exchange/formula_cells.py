"""Formula cells of an .xlsx that hold no computed value (the file was written by a program
and never opened in Excel or WPS): calamine reads them as blank, the worker sees a value.

Found by scanning the sheet's XML in chunks (like exact_numbers), only for sheets holding a
formula at all. Excel keeps a formula's last result in <v>; an empty text result is written
<v></v> with t="str", which is a real blank and is not reported.
"""

from __future__ import annotations

import re
import zipfile

# A formula (<f>…</f> or a shared <f …/>) followed by no value or an empty <v/> tag.
_NO_VALUE = re.compile(rb"(?:</f>|<f\b[^>]*/>)\s*(?:<v\s*/>)?\s*</c>")
_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
_TAIL = 8192


def uncomputed(archive: zipfile.ZipFile, member: str) -> frozenset[tuple[int, int]]:
    """(row number, 0-based column) of each formula cell with no computed value."""
    found: set[tuple[int, int]] = set()
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            for match in _NO_VALUE.finditer(data):
                if match.end() <= len(tail):
                    continue  # met in the previous chunk already
                start = data.rfind(b"<c ", 0, match.start())
                tag = data[start : data.find(b">", start) + 1] if start >= 0 else b""
                ref = _REF.search(tag)
                if ref is not None:
                    found.add((int(ref[2]), _column(ref[1])))
            tail = data[-_TAIL:]
    return frozenset(found)


def _column(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number - 1
