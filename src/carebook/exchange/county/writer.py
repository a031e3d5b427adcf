"""Writing the county workbook in openpyxl's write-only mode: streamed rows, styled for people."""

from __future__ import annotations

import contextlib
import json
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from carebook.exchange.county.columns import (
    COVER_SHEET,
    DATA_SHEETS,
    DATE,
    FORMAT_VERSION,
    META_SHEET,
    NUMBER,
    STAMP,
    STATS_SHEET,
    UID,
    SheetSpec,
)
from carebook.exchange.county.fingerprint import cell_text, row_fingerprint
from carebook.exchange.county.values import column_letter

MAX_ROW = 1048576
DATE_FORMAT = "yyyy-mm-dd"
STAMP_FORMAT = "yyyy-mm-dd hh:mm"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_UID_FILL = PatternFill("solid", fgColor="D9D9D9")
_UID_FONT = Font(color="808080")
_UID_NOTE = "编号是这一行的固定标识，请不要修改或删除。新增的行请让编号留空。"


class CountyWorkbookWriter:
    """One workbook being written; rows are streamed sheet by sheet, the base with them."""

    def __init__(self, path: Path, meta: dict[str, object]) -> None:
        self.path = path
        self._book = Workbook(write_only=True)
        self._cover = self._book.create_sheet(COVER_SHEET)
        self._sheets = {spec.key: self._data_sheet(spec) for spec in DATA_SHEETS}
        self._stats = self._book.create_sheet(STATS_SHEET)
        self._meta = self._book.create_sheet(META_SHEET)
        self._meta.sheet_state = "veryHidden"
        self._rows = dict.fromkeys(self._sheets, 1)
        self._cells = {spec.key: self._row_cells(spec) for spec in DATA_SHEETS}
        self._merged = {
            spec.key: [i for i, c in enumerate(spec.columns) if c.merged] for spec in DATA_SHEETS
        }
        self._meta_row = 0
        self._write_meta(meta)

    def _data_sheet(self, spec: SheetSpec):
        ws = self._book.create_sheet(spec.name)
        ws.freeze_panes = "A2"
        for index, column in enumerate(spec.columns):
            ws.column_dimensions[column_letter(index)].width = column.width
        for index, column in enumerate(spec.columns):
            if not column.choices:
                continue
            letter = column_letter(index)
            choices = ",".join(column.choices)
            dv = DataValidation(
                type="list",
                formula1=f'"{choices}"',
                allow_blank=True,
                showErrorMessage=column.strict,
                errorTitle=column.header,
                error=f"请从下拉列表中选择：{'、'.join(column.choices)}",
            )
            dv.add(f"{letter}2:{letter}{MAX_ROW}")
            ws.data_validations.append(dv)
        header = []
        for column in spec.columns:
            cell = WriteOnlyCell(ws, value=column.header)
            cell.font = _HEADER_FONT
            cell.fill = _UID_FILL if column.kind == UID else _HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
            if column.kind == UID:
                cell.comment = Comment(_UID_NOTE, "关爱簿", width=240, height=80)
            header.append(cell)
        ws.append(header)
        return ws

    def _row_cells(self, spec: SheetSpec) -> list[WriteOnlyCell]:
        # One styled cell per column, reused row after row: the style is looked up once.
        ws = self._sheets[spec.key]
        cells = []
        for index, column in enumerate(spec.columns, 1):
            cell = WriteOnlyCell(ws)
            cell.column = index
            if column.is_text_format:
                cell.number_format = "@"
            elif column.kind == DATE:
                cell.number_format = DATE_FORMAT
            elif column.kind == STAMP:
                cell.number_format = STAMP_FORMAT
            if column.kind == UID:
                cell.fill = _UID_FILL
                cell.font = _UID_FONT
            cells.append(cell)
        return cells

    def add_row(self, spec: SheetSpec, values: Sequence[object], sig: str) -> None:
        """One data row (python values in column order) and its base line in _carebook.

        The base line is code, 编号, the merged fields' hashes, and the row's fingerprint over
        its merged cells exactly as written here.
        """
        row = []
        for cell, value in zip(self._cells[spec.key], values, strict=True):
            if value is None or value == "":
                continue
            # Set the value and its type directly: a str is always text, never a formula.
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, datetime | date):
                cell.data_type = "d"
            elif isinstance(value, bool):
                cell.data_type = "b"
            else:
                cell.data_type = "n"
            cell._value = value
            row.append(cell)
        self._rows[spec.key] += 1
        self._append_cells(self._sheets[spec.key], row, self._rows[spec.key])
        fp = row_fingerprint([cell_text(values[i]) for i in self._merged[spec.key]])
        self._meta_append([spec.code, values[0], sig, fp.hex()])

    @staticmethod
    def _append_cells(ws, cells: list, row_idx: int) -> None:
        # openpyxl's append() type-checks every value again; handing over ready cells saves that.
        if ws.__dict__.get("_values_to_row") is not _ready_cells:
            ws._values_to_row = _ready_cells
        ws._rows.send(cells)

    def _meta_append(self, values: list[object]) -> None:
        self._meta_row += 1
        self._meta.append(values)

    def _write_meta(self, meta: dict[str, object]) -> None:
        self._meta_append(["carebook", FORMAT_VERSION])
        for key, value in meta.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            cell = WriteOnlyCell(self._meta, value=text)
            cell.data_type = "s"
            self._meta_append([key, cell])
        fields = {s.code: [c.field for c in s.merge_columns] for s in DATA_SHEETS}
        self._meta_append(["fields", json.dumps(fields)])
        self._meta_append(["rows", ""])

    def write_cover(self, lines: Sequence[tuple[str, str]], title: str) -> None:
        ws = self._cover
        ws.column_dimensions["A"].width = 22
        ws.column_dimensions["B"].width = 80
        head = WriteOnlyCell(ws, value=title)
        head.font = Font(bold=True, size=16)
        ws.append([head])
        ws.append([])
        for label, text in lines:
            key = WriteOnlyCell(ws, value=label)
            key.font = _HEADER_FONT
            value = WriteOnlyCell(ws, value=text)
            value.data_type = "s"
            value.alignment = Alignment(wrap_text=True, vertical="top")
            ws.append([key, value])

    def write_stats(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        ws = self._stats
        ws.freeze_panes = "C2"
        for index, header in enumerate(headers):
            ws.column_dimensions[column_letter(index)].width = max(10, 2 * len(header) + 4)
        head = []
        for header in headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            head.append(cell)
        ws.append(head)
        rate_col = headers.index("结对率") if "结对率" in headers else -1
        for number, values in enumerate(rows):
            out = []
            for index, value in enumerate(values):
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if index == rate_col:
                    cell.number_format = "0.0%"
                if number == len(rows) - 1 and values[0] == "合计":
                    cell.font = _HEADER_FONT
                out.append(cell)
            ws.append(out)
        ws.auto_filter.ref = f"A1:{column_letter(len(headers) - 1)}{len(rows) + 1}"

    def close(self) -> None:
        for spec in DATA_SHEETS:
            ws = self._sheets[spec.key]
            last = column_letter(len(spec.columns) - 1)
            ws.auto_filter.ref = f"A1:{last}{self._rows[spec.key]}"
        # Workbook.save, with the archive closed on failure too: openpyxl leaves it open, and
        # on a full disk its own close at garbage collection failed again, on stderr.
        self._book.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
        archive = zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        try:
            ExcelWriter(self._book, archive).write_data()
        except BaseException:
            with contextlib.suppress(OSError):
                archive.close()
            raise
        archive.close()

    def discard(self) -> None:
        """Drop a workbook that will not be saved (cancelled, or its save failed): the sheets'
        temporary files (children's rows as plain XML in the system temp folder) go now rather
        than when the program exits, and no half-written sheet complains on stderr later."""
        for ws in self._book.worksheets:
            rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
            with contextlib.suppress(Exception):  # whatever state openpyxl was left in
                if rows is not None:
                    rows.close()
                if writer is not None:
                    writer.close()
                    writer.cleanup()

    def counts(self) -> dict[str, int]:
        return {key: n - 1 for key, n in self._rows.items()}


def _ready_cells(cells, row_idx):
    for cell in cells:
        cell.row = row_idx
        yield cell


def number_value(value: object) -> object:
    """A Decimal from the database as a plain number Excel shows without trailing zeros."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


__all__ = ["NUMBER", "CountyWorkbookWriter", "number_value"]
