"""Writing the error report workbook: the problem rows as they were, with 问题说明."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from carebook.exchange.errors import FileRefused
from carebook.i18n import tr
from carebook.paths import probe_writable, write_refused

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_PROBLEM_FILL = PatternFill("solid", fgColor="FCE4D6")
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
# A header of the workbook the worker corrects and imports again: data, not translated.
_PROBLEM_COLUMN = "问题说明"


@dataclass(frozen=True)
class ReportSheet:
    name: str
    header_cells: tuple[tuple[object, ...], ...]
    rows: list[tuple[int, tuple[object, ...], str]]  # (row number, cells as read, 问题说明)
    row_label: str = "原行号"
    title: str = ""  # the original title line (乡镇、类别 are read from it on re-import)
    # Tables below the first in the sheet: each under its own header, after the first's rows
    more: tuple[ReportPart, ...] = ()


@dataclass(frozen=True)
class ReportPart:
    caption: str  # the line above it in the file (二、事实无人抚养儿童), or where it began
    header_cells: tuple[tuple[object, ...], ...]
    rows: list[tuple[int, tuple[object, ...], str]]


def write_report(path: Path, sheets: list[ReportSheet], *, source: str) -> Path:
    """Write the report; a sheet with no problem rows still says so, so nobody wonders."""
    try:  # before openpyxl starts: a failed save leaves its sheet writers complaining on stderr
        path.parent.mkdir(parents=True, exist_ok=True)
        probe_writable(path)
    except OSError as exc:
        raise FileRefused(write_refused(path, exc)) from None
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name.translate(_BAD_SHEET_CHARS)[:31] or "Sheet")
        parts = (ReportPart("", sheet.header_cells, sheet.rows), *sheet.more)
        width = max(
            [len(c) for part in parts for c in part.header_cells]
            + [len(r[1]) for part in parts for r in part.rows]
            + [1]
        )
        ws.column_dimensions["A"].width = 8
        for i in range(width):
            ws.column_dimensions[_letter(i + 2)].width = 16
        ws.column_dimensions[_letter(width + 2)].width = 60
        if sheet.title:
            ws.append([_styled(ws, sheet.title)])
        ws.append(
            [
                tr(
                    "以下是文件“{file}”中有问题的行，原样列出。"
                    "请按“{column}”改正后，可再次导入本表。",
                    file=source,
                    column=_PROBLEM_COLUMN,
                )
            ]
        )
        if not any(part.rows for part in parts):
            parts = parts[:1]
        for part in parts:
            if part is not parts[0]:
                ws.append([])
                ws.append([_styled(ws, part.caption, bold=True)])
            _write_part(ws, part, width, sheet.row_label)
    try:
        book.save(path)
    except OSError as exc:
        raise FileRefused(write_refused(path, exc)) from None
    return path


def _write_part(ws, part: ReportPart, width: int, row_label: str) -> None:
    """One table's header rows as written, then its problem rows as they were."""
    for n, header in enumerate(part.header_cells):
        first = row_label if n == len(part.header_cells) - 1 else ""
        last = _PROBLEM_COLUMN if n == len(part.header_cells) - 1 else ""
        cells = [first, *(_plain(v) for v in _pad(header, width)), last]
        ws.append([_styled(ws, v, bold=True, fill=_HEADER_FILL) for v in cells])
    if not part.rows:
        ws.append(["", tr("这个工作表没有发现问题。")])
    for number, cells, problem in part.rows:
        values = [_styled(ws, v) for v in (number, *(_plain(v) for v in _pad(cells, width)))]
        ws.append([*values, _styled(ws, problem, fill=_PROBLEM_FILL, wrap=True)])


def _pad(cells: tuple[object, ...], width: int) -> tuple[object, ...]:
    return tuple(cells) + ("",) * (width - len(cells))


def _plain(value: object) -> object:
    # Cells go back exactly as read; a damaged ID stays the number Excel made of it.
    if isinstance(value, (str, int, float, date, datetime)) or value is None:
        return value
    return str(value)


def _styled(ws, value: object, *, bold: bool = False, fill=None, wrap: bool = False):
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        # Text as read stays text: openpyxl makes "=见上一行" a formula (#NAME? in Excel, and a
        # way to plant =HYPERLINK(...) or DDE in a file that goes back to the villages).
        cell.data_type = "s"
    if isinstance(value, (date, datetime)):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    if fill is not None:
        cell.fill = fill
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _letter(n: int) -> str:
    text = ""
    while n:
        n, rem = divmod(n - 1, 26)
        text = chr(65 + rem) + text
    return text
