"""A streaming .xlsx sheet reader for very large sheets, so memory stays flat.

python-calamine holds a whole sheet in memory (about 1.3 GB for a million visits × 16 columns);
sheets larger than STREAM_ABOVE_ROWS (or their XML past about 60 MB) are streamed instead, a
row at a time as cell texts, so a row the fingerprint finds unchanged is never typed at all.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from posixpath import join, normpath
from xml.parsers import expat

from defusedxml import ElementTree

from carebook.exchange.county.fingerprint import BOOL, NUMBER
from carebook.exchange.county.values import column_letter

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


def column_index(letters: str) -> int:
    """0 for A, 26 for AA."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


# Most cells of a sheet written by carebook, Excel or WPS have one of a few plain shapes; one
# compiled pattern reads them a row at a time. A row holding anything else (a formula, rich
# text, a TRUE/FALSE cell, attributes in another order) is read by the general patterns below.
_PLAIN_CELL = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="\d+")?(?: t="(inlineStr|s|n|str)")?'
    r'(?: ?/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_ROW_HEAD = re.compile(r"<row\b([^>]*)>")
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR_R = re.compile(r'\br="([A-Z]+)\d*"')
_ATTR_T = re.compile(r'\bt="(\w+)"')
_V = re.compile(r"<v>(.*?)</v>", re.S)
_T = re.compile(r"<t(?:\s[^>]*)?>(.*?)</t>", re.S)


def _text(raw: str) -> str:
    return html.unescape(raw) if "&" in raw else raw


def _general_text(kind: str, body: str, strings: list[str]) -> str:
    """A cell's text with its kind marked (see fingerprint.NUMBER), for any cell shape."""
    if kind == "inlineStr":
        return "".join(_text(t) for t in _T.findall(body))
    found = _V.search(body)
    if found is None:
        return ""
    raw = found.group(1)
    if kind == "s":
        return strings[int(raw)]
    if kind in ("str", "e", "d"):
        return _text(raw)
    if kind == "b":
        return BOOL + ("1" if raw == "1" else "0")
    return NUMBER + raw if raw else ""


def _general_cells(body: str, strings: list[str]) -> dict[str, str]:
    cells: dict[str, str] = {}
    for position, (attrs, content) in enumerate(_CELL.findall(body)):
        if not content:
            continue
        ref = _ATTR_R.search(attrs)
        letters = ref.group(1) if ref else column_letter(position)
        kind = _ATTR_T.search(attrs)
        cells[letters] = _general_text(kind.group(1) if kind else "n", content, strings)
    return cells


def _block_rows(text: str, strings: list[str], last: int) -> Iterator[tuple[int, dict[str, str]]]:
    # Each piece ends where a row ends; its row starts at the last "<row" in it (an empty
    # <row/> before it has no cells, and the sheet's head or tail has no row to end).
    for piece in text.split("</row>"):
        at = piece.rfind("<row")
        head = _ROW_HEAD.match(piece, at) if at >= 0 else None
        if head is None:
            continue
        found = _ROW_NUMBER.search(head.group(1))
        last = int(found.group(1)) if found else last + 1
        body = piece[head.end() :]
        plain = _PLAIN_CELL.findall(body)
        if len(plain) == body.count("<c "):
            cells = {
                letters: (
                    inline
                    if kind == "inlineStr"
                    else (strings[int(v)] if v else "")
                    if kind == "s"
                    else v
                    if kind == "str"
                    else (NUMBER + v if v else "")
                )
                for letters, kind, v, inline in plain
            }
            if "&" in body:  # entities in the sheet's own texts (shared strings hold none)
                for letters, kind, v, inline in plain:
                    if kind in ("inlineStr", "str"):
                        cells[letters] = _text(inline or v)
        else:
            cells = _general_cells(body, strings)
        yield last, cells


def iter_cells(
    archive: zipfile.ZipFile, member: str, strings: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(Excel row number, {column letters: cell text}) for each row, in order.

    Texts are as the sheet holds them: shared strings looked up, XML entities undone, a number's
    text marked with fingerprint.NUMBER (typed() turns it into the value calamine would give).
    """
    last = 0
    tail = b""
    with archive.open(member) as fh:
        while True:
            block = fh.read(_CHUNK)
            data = tail + block
            end = data.rfind(b"</row>") + len(b"</row>") if block else len(data)
            if end < len(b"</row>") and block:
                tail = data
                continue
            for number, cells in _block_rows(data[:end].decode("utf-8"), strings, last):
                last = number
                yield number, cells
            tail = data[end:]
            if not block:
                break


def typed(text: str) -> object:
    """A cell text from iter_cells as the python value calamine gives (str, int, float, bool)."""
    if not text or text[0] > BOOL:
        return text
    raw = text[1:]
    if text[0] == BOOL:
        return raw == "1"
    if not raw:
        return ""
    if "." not in raw and "E" not in raw and "e" not in raw:
        try:
            return int(raw)
        except ValueError:
            pass
    return float(raw)


def row_values(cells: dict[str, str]) -> list[object]:
    """A row from iter_cells as a list of values from column A."""
    if not cells:
        return []
    at = {column_index(letters): text for letters, text in cells.items()}
    values: list[object] = [""] * (max(at) + 1)
    for index, text in at.items():
        values[index] = typed(text)
    return values
