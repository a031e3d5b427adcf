"""Integers too long for a float (an 18-digit ID number a program wrote as a number), read exactly.

calamine reads every number cell as a float, and a float keeps about 15 significant digits:
140702200901010010 written exactly into an .xlsx by a program comes back as 1.4070220090101e17
with its last digits changed. Excel itself never writes such an integer (it keeps 15 digits), so
the cells are rare; readers.py finds the sheets holding one while it counts their rows, and only
those sheets are read again here, and only around those cells.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from defusedxml import ElementTree

# The value of a number cell with 16 or more digits and nothing else (no point, no exponent).
LONG_INTEGER = re.compile(rb"<v>(\d{16,})</v>")
_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
_TYPE = re.compile(rb'\st="([a-zA-Z]+)"')
_TAIL = 8192  # kept between chunks: a cell's start tag and value are far shorter
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name (xl/worksheets/sheet1.xml) -> the sheet's name as Excel shows it."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:
        return {}
    targets = {}
    for rel in rels.iter(f"{{{_NS['p']}}}Relationship"):
        target = rel.get("Target", "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    out = {}
    for sheet in book.iter(f"{{{_NS['m']}}}sheet"):
        part = targets.get(sheet.get(f"{{{_NS['r']}}}id"))
        if part:
            out[part] = sheet.get("name", "")
    return out


def long_integers(archive: zipfile.ZipFile, member: str) -> dict[tuple[int, int], int]:
    """(row number, 0-based column) -> the exact integer, for each long integer cell."""
    found: dict[tuple[int, int], int] = {}
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            for match in LONG_INTEGER.finditer(data):
                if match.end() <= len(tail):
                    continue  # met in the previous chunk already
                start = data.rfind(b"<c", 0, match.start())
                tag = data[start : data.find(b">", start) + 1] if start >= 0 else b""
                ref = _REF.search(tag)
                kind = _TYPE.search(tag)
                if ref is None or (kind is not None and kind[1] != b"n"):
                    continue  # a shared-string index or text: calamine read it right
                found[(int(ref[2]), _column(ref[1]))] = int(match[1])
            tail = data[-_TAIL:]
    return found


def _column(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number - 1


def restore(rows: list, exact: dict[tuple[int, int], int]) -> int:
    """Put the exact integers back where a float stands for the same number; how many."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    for (row, col), value in exact.items():
        by_row.setdefault(row, []).append((col, value))
    restored = 0
    for i, (number, cells) in enumerate(rows):
        wanted = by_row.get(number)
        if not wanted:
            continue
        fixed = list(cells)
        for col, value in wanted:
            if col < len(fixed) and type(fixed[col]) is float and fixed[col] == float(value):
                fixed[col] = value
                restored += 1
        rows[i] = (number, tuple(fixed))
    return restored
