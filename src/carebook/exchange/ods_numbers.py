"""Long integers in an .ods read exactly from the text the cell shows; its merged cells.

An .ods number cell holds the number (office:value) and the text shown (<text:p>). calamine
reads the number as a float, which keeps about 15 significant digits: an 18-digit ID number
typed into a cell that LibreOffice or a program then stored as a number comes back with its
last digits changed. When the cell's own text still holds all the digits, and they are the same
number as the float, that text is the ID number. Only files holding such text are parsed again,
as a stream (defusedxml: no entities), one row at a time. calamine does not say which cells
of an .ods are merged; the same pass finds them (a village merged down over its children).
"""

from __future__ import annotations

import re
import zipfile

from defusedxml.ElementTree import iterparse

_CANDIDATE = re.compile(rb"value-type=\"float\"[^<>]*>\s*<text:p>\s*'?\d{16,}\s*</text:p>")
_ROW_SPAN = re.compile(rb'number-rows-spanned="(?:[2-9]|\d\d+)"')
_DIGITS = re.compile(r"'?(\d{16,})")
_TAIL = 4096
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T_TABLE, _T_ROW, _T_CELL = (
    f"{{{_TABLE}}}table",
    f"{{{_TABLE}}}table-row",
    f"{{{_TABLE}}}table-cell",
)
_T_COVERED = f"{{{_TABLE}}}covered-table-cell"
_NAME = f"{{{_TABLE}}}name"
_ROWS_REPEATED = f"{{{_TABLE}}}number-rows-repeated"
_ROWS_SPANNED = f"{{{_TABLE}}}number-rows-spanned"
_COLUMNS_SPANNED = f"{{{_TABLE}}}number-columns-spanned"
_COLUMNS_REPEATED = f"{{{_TABLE}}}number-columns-repeated"
_VALUE_TYPE, _VALUE = f"{{{_OFFICE}}}value-type", f"{{{_OFFICE}}}value"
_P = f"{{{_TEXT}}}p"


Merge = tuple[int, int, int, int]  # (row0, col0, row1, col1), 0-based, as calamine gives


def worth_reading(archive: zipfile.ZipFile) -> bool:
    """Whether content.xml has a number cell showing 16 or more digits or a cell merged down
    over rows (read in chunks, not parsed)."""
    tail = b""
    with archive.open("content.xml") as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            if _CANDIDATE.search(data) or _ROW_SPAN.search(data):
                return True
            tail = chunk[-_TAIL:]
    return False


def long_integers(
    archive: zipfile.ZipFile,
) -> tuple[dict[str, dict[tuple[int, int], int]], dict[str, tuple[Merge, ...]]]:
    """Sheet name -> {(row number, 0-based column): the exact integer} for number cells whose
    text holds 16+ digits equal to their value, and sheet name -> its cells merged down over
    rows; ({}, {}) when the XML cannot be read."""
    found: dict[str, dict[tuple[int, int], int]] = {}
    merged: dict[str, list[Merge]] = {}
    sheet, row, column = "", 0, 0
    open_elements: list = []  # the elements around the current one, to let read rows go
    try:
        with archive.open("content.xml") as part:
            for event, element in iterparse(part, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    open_elements.append(element)
                    if tag == _T_TABLE:
                        sheet, row = element.get(_NAME, ""), 0
                    elif tag == _T_ROW:
                        column = 0
                    continue
                open_elements.pop()
                if tag in (_T_CELL, _T_COVERED):
                    span = _count(element.get(_COLUMNS_REPEATED))
                    down = _count(element.get(_ROWS_SPANNED))
                    if down > 1:
                        across = _count(element.get(_COLUMNS_SPANNED))
                        merged.setdefault(sheet, []).append(
                            (row, column, row + down - 1, column + across - 1)
                        )
                    if element.get(_VALUE_TYPE) == "float" and span == 1:
                        exact = _exact(element)
                        if exact is not None:
                            found.setdefault(sheet, {})[(row + 1, column)] = exact
                    column += span
                    element.clear()
                elif tag == _T_ROW:
                    row += _count(element.get(_ROWS_REPEATED))
                    # Bounded memory: a row goes once it is counted (a bare element.clear()
                    # would leave an empty element behind for each of 200,000 rows).
                    if open_elements:
                        open_elements[-1].remove(element)
    except Exception:
        return {}, {}  # calamine's reading stands; the numbers are then reported as damaged
    return found, {name: tuple(cells) for name, cells in merged.items()}


def _count(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1


def _exact(cell) -> int | None:
    texts = ["".join(p.itertext()) for p in cell.iter(_P)]
    if len(texts) != 1:
        return None
    match = _DIGITS.fullmatch("".join(texts[0].split()))
    if match is None:
        return None
    digits = match[1]
    if not digits[15:].strip("0"):
        return None  # 15 digits and zeros: the float shown rounded, not the number typed
    number = int(digits)
    try:
        same = float(cell.get(_VALUE, "")) == float(number)
    except ValueError:
        return None
    return number if same else None
