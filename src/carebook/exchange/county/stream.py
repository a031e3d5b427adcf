"""A streaming .xlsx sheet reader for very large sheets, so memory stays flat.

python-calamine is faster but holds a whole sheet in memory (about 1.4 GB for a million
visits × 16 columns); sheets larger than STREAM_ABOVE_ROWS are read with expat instead.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from posixpath import join, normpath
from xml.parsers import expat

from defusedxml import ElementTree

STREAM_ABOVE_ROWS = 200_000
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')
_CHUNK = 1 << 20


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part inside the package."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        out[sheet.get("name")] = path
    return out


def is_large(archive: zipfile.ZipFile, member: str, rows_above: int) -> bool:
    """Too large to hold whole: by the rows <dimension> claims, or by the part's size."""
    size = archive.getinfo(member).file_size
    return dimension_rows(archive, member) > rows_above or size > rows_above * 300


def dimension_rows(archive: zipfile.ZipFile, member: str) -> int:
    """The last row the sheet's <dimension> claims (0 when absent): cheap, reads 4 KB."""
    with archive.open(member) as fh:
        match = _DIMENSION.search(fh.read(4096))
    return int(match.group(1)) if match else 0


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"in_t": False, "phonetic": 0}

    def start(name, _attrs):
        if name == "rPh":
            state["phonetic"] += 1
        elif name == "t" and not state["phonetic"]:
            state["in_t"] = True

    def end(name):
        if name == "t":
            state["in_t"] = False
        elif name == "rPh":
            state["phonetic"] -= 1
        elif name == "si":
            strings.append("".join(parts))
            parts.clear()

    def text(data):
        if state["in_t"]:
            parts.append(data)

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    with archive.open("xl/sharedStrings.xml") as fh:
        parser.ParseFile(fh)
    return strings


def _column(ref: str) -> int:
    index = 0
    for ch in ref:
        if ch.isdigit():
            break
        index = index * 26 + ord(ch) - 64
    return index - 1


class _SheetParser:
    """Collects finished rows as (row number, values) while expat is fed the sheet."""

    def __init__(self, strings: list[str]) -> None:
        self.strings = strings
        self.rows: list[tuple[int, list[object]]] = []
        self.row_number = 0
        self.values: list[object] = []
        self.kind = ""
        self.col = 0
        self.text: list[str] | None = None
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        parser.buffer_text = True
        self.parser = parser

    def start(self, name, attrs):
        if name == "c":
            ref = attrs.get("r")
            self.col = _column(ref) if ref else len(self.values)
            self.kind = attrs.get("t", "n")
        elif name in ("v", "t"):
            self.text = []
        elif name == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number else self.row_number + 1
            self.values = []

    def data(self, text):
        if self.text is not None:
            self.text.append(text)

    def end(self, name):
        if name in ("v", "t"):
            raw = "".join(self.text or ())
            self.text = None
            self._set(raw)
        elif name == "row":
            self.rows.append((self.row_number, self.values))
        elif name == "is":
            pass

    def _set(self, raw: str) -> None:
        kind = self.kind
        if kind == "s":
            value: object = self.strings[int(raw)]
        elif kind in ("inlineStr", "str"):
            value = raw
            if kind == "inlineStr" and self.col < len(self.values) and self.values[self.col]:
                value = str(self.values[self.col]) + raw  # rich inline text in runs
        elif kind == "b":
            value = raw == "1"
        elif kind == "e":
            value = raw
        elif kind == "d":
            value = raw  # ISO 8601 text; the date columns read it as text
        else:
            value = float(raw) if raw else ""
            if (
                isinstance(value, float)
                and value.is_integer()
                and "." not in raw
                and "E" not in raw
            ):
                value = int(raw)
        if self.col >= len(self.values):
            self.values.extend([""] * (self.col + 1 - len(self.values)))
        self.values[self.col] = value


def iter_sheet(
    archive: zipfile.ZipFile, member: str, strings: list[str]
) -> Iterator[tuple[int, list[object]]]:
    """(Excel row number, values) for each row present in the sheet, in order."""
    handler = _SheetParser(strings)
    with archive.open(member) as fh:
        while True:
            block = fh.read(_CHUNK)
            handler.parser.Parse(block, not block)
            if handler.rows:
                rows, handler.rows = handler.rows, []
                yield from rows
            if not block:
                break
