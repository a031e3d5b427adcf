"""A streaming .xlsx sheet reader for very large sheets, so memory stays flat.

python-calamine holds a whole sheet in memory (about 1.4 GB for a million
visits × 16 columns); sheets larger than STREAM_ABOVE_ROWS are streamed instead.
"""

from __future__ import annotations

import html
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


# The sheet XML has a fixed, simple shape, so compiled patterns read it several times faster
# than an XML parser calling back into Python for every element.
_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]+)\d*"')
_ATTR_ROW = re.compile(rb'\br="(\d+)"')
_ATTR_T = re.compile(rb'\bt="(\w+)"')
_V = re.compile(rb"<v>(.*?)</v>", re.S)
_T = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _value(kind: bytes, body: bytes, strings: list[str]) -> object:
    if kind == b"inlineStr":
        return "".join(_text(t) for t in _T.findall(body))
    found = _V.search(body)
    if found is None:
        return ""
    raw = found.group(1)
    if kind == b"s":
        return strings[int(raw)]
    if kind in (b"str", b"e", b"d"):
        return _text(raw)
    if kind == b"b":
        return raw == b"1"
    if not raw:
        return ""
    number = float(raw)
    if number.is_integer() and b"." not in raw and b"E" not in raw and b"e" not in raw:
        return int(raw)
    return number


def _row_values(body: bytes, strings: list[str]) -> list[object]:
    values: list[object] = []
    for attrs, content in _CELL.findall(body):
        if not content:
            continue
        ref = _ATTR_R.search(attrs)
        col = _column(ref.group(1).decode()) if ref else len(values)
        kind = _ATTR_T.search(attrs)
        value = _value(kind.group(1) if kind else b"n", content, strings)
        if col >= len(values):
            values.extend([""] * (col + 1 - len(values)))
        values[col] = value
    return values


# One pass over a block for every cell that names its place (Excel and openpyxl always do).
_PLACED_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_COLUMNS: dict[bytes, int] = {}


def _fast_value(attrs: bytes, content: bytes, strings: list[str]) -> object:
    if content.startswith(b"<is><t"):
        start = content.find(b">", 5) + 1
        stop = content.rfind(b"</t></is>")
        if stop >= start > 0 and b"<" not in content[start:stop]:
            return _text(content[start:stop])
    if content.startswith(b"<v>") and content.endswith(b"</v>"):
        raw = content[3:-4]
        if b't="' not in attrs or b't="n"' in attrs:
            if not raw:
                return ""
            if b"." in raw or b"E" in raw or b"e" in raw:
                return float(raw)
            return int(raw)
        if b't="s"' in attrs:
            return strings[int(raw)]
    kind = _ATTR_T.search(attrs)
    return _value(kind.group(1) if kind else b"n", content, strings)


def _placed_rows(data: bytes, strings: list[str]) -> Iterator[tuple[int, list[object]]]:
    number = -1
    values: list[object] = []
    for letters, row, attrs, content in _PLACED_CELL.findall(data):
        if not content:
            continue
        n = int(row)
        if n != number:
            if number >= 0:
                yield number, values
            number, values = n, []
        col = _COLUMNS.get(letters)
        if col is None:
            col = _COLUMNS.setdefault(letters, _column(letters.decode()))
        if col >= len(values):
            values.extend([""] * (col + 1 - len(values)))
        values[col] = _fast_value(attrs, content, strings)
    if number >= 0:
        yield number, values


def iter_sheet(
    archive: zipfile.ZipFile, member: str, strings: list[str]
) -> Iterator[tuple[int, list[object]]]:
    """(Excel row number, values) for each row with a value, in order."""
    number = 0
    tail = b""
    placed: bool | None = None
    with archive.open(member) as fh:
        while True:
            block = fh.read(_CHUNK)
            data = tail + block
            end = data.rfind(b"</row>") + len(b"</row>") if block else len(data)
            if end < len(b"</row>") and block:
                tail = data
                continue
            if placed is None:
                first = data.find(b"<c ")
                placed = first < 0 or data.startswith(b'<c r="', first)
            if placed:
                yield from _placed_rows(data[:end], strings)
            else:
                for attrs, body in _ROW.findall(data, 0, end):
                    found = _ATTR_ROW.search(attrs)
                    number = int(found.group(1)) if found else number + 1
                    yield number, _row_values(body, strings)
            tail = data[end:]
            if not block:
                break
