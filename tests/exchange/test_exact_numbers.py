"""Counting a sheet's rows and finding its long integers, chunk by chunk, misses none."""

from __future__ import annotations

import io
import zipfile

import pytest

from carebook.exchange import exact_numbers, limits

NUMBER = 140702200901010010


def _archive(rows: int, long_at: int | None, pad: int) -> zipfile.ZipFile:
    parts = ["<worksheet><sheetData>"]
    for r in range(1, rows + 1):
        value = f"<v>{NUMBER}</v>" if r == long_at else "<v>1</v>"
        filler = f'<c r="B{r}" t="inlineStr"><is><t>{"x" * pad}</t></is></c>'
        parts.append(f'<row r="{r * 2}"><c r="C{r * 2}" t="n">{value}</c>{filler}</row>')
    parts.append("</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return zipfile.ZipFile(buffer)


@pytest.mark.parametrize("pad", [0, 37, 1000, 5000])
def test_rows_and_long_integers_across_chunk_ends(pad):
    rows = 3000
    for long_at in (None, 1, rows // 2, rows):
        archive = _archive(rows, long_at, pad)
        present, highest, long_numbers, _formulas = limits.sheet_row_span(
            archive, "xl/worksheets/sheet1.xml"
        )
        assert (present, highest, long_numbers) == (rows, rows * 2, long_at is not None)
        found = exact_numbers.long_integers(archive, "xl/worksheets/sheet1.xml")
        assert found == ({} if long_at is None else {(long_at * 2, 2): NUMBER})
