"""Reading an .xlsx whose few cells sit far apart (a sheet that claims a million rows)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from carebook.exchange.errors import FileRefused
from carebook.i18n import tr


def read_sparse_xlsx(path: Path, data: bytes, keep=None):
    """Rows present in each sheet, streamed so memory follows the cells, not the declared span."""
    from carebook.exchange.readers import RawSheet

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileRefused(tr("文件“{file}”已损坏或不完整，无法打开。", file=path.name)) from None
    sheets = []
    try:
        for ws in book.worksheets:
            ws.reset_dimensions()  # the declared dimension is what made the file suspicious
            rows = []
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                if keep is not None and (ws.title, number) not in keep:
                    continue
                if any(c is not None and str(c).strip() for c in cells):
                    rows.append((number, tuple("" if c is None else c for c in cells)))
            sheets.append(RawSheet(ws.title, rows))
    finally:
        book.close()
    return sheets
