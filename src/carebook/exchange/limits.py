"""Checks that keep a hostile or broken file from costing unbounded time or memory."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from carebook.exchange.errors import FileRefused
from carebook.exchange.exact_numbers import LONG_INTEGER
from carebook.i18n import tr

MAX_FILE_BYTES = 300 * 1024 * 1024
MAX_UNZIPPED_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # deflate of repetitive sheet XML reaches ~100; zip bombs reach thousands
MAX_ROWS = 1_100_000
# A sheet whose cells span this many more rows than it holds is read sparsely (see readers).
SPARSE_FACTOR = 4
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ROW_NUMBER = re.compile(rb"<row[^>]*?\sr=\"(\d+)\"")
_ODS_REPEAT = re.compile(rb"number-(?:rows|columns)-repeated=\"(\d+)\"")


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(tr("文件“{file}”是空的（0 字节），请检查是否保存完整。", file=path.name))
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            tr(
                "文件“{file}”有 {mb} MB，超过了可以导入的大小（300 MB），"
                "请按乡镇或村拆分后分别导入。",
                file=path.name,
                mb=size // (1024 * 1024),
            )
        )


def check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs and XML with a DTD (entity expansion) before any parser sees them."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNZIPPED_BYTES or (info.file_size > 50_000_000 and ratio > MAX_RATIO):
            raise FileRefused(
                tr(
                    "文件“{file}”解压后大得异常，可能已损坏或不安全，已拒绝导入。"
                    "请在 Excel 或 WPS 中打开后另存为 .xlsx 再试。",
                    file=path.name,
                )
            )
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        with archive.open(info) as part:
            head = part.read(4096)
        # A DTD must come before the root element, so the first 4 KB tell.
        if _DTD.search(head):
            raise FileRefused(
                tr(
                    "文件“{file}”中含有 XML 实体声明（DTD），"
                    "这不是 Excel 或 WPS 正常保存的文件，"
                    "为安全起见已拒绝导入。请在 Excel 或 WPS 中打开后另存为 .xlsx 再试。",
                    file=path.name,
                )
            )


def sheet_row_span(archive: zipfile.ZipFile, member: str) -> tuple[int, int, bool, bool]:
    """(rows present, highest row number, holds an integer of 16+ digits, holds a formula) of
    a sheet's XML, read in chunks without parsing it (see exact_numbers, formula_cells)."""
    present = highest = 0
    long_numbers = formulas = False
    tail = b""
    with archive.open(member) as part:
        while True:
            chunk = part.read(1 << 20)
            data = tail + chunk
            # The last <row> tag may run on into the next chunk: it is counted with that one.
            # (With no <row at all, a few bytes wait in case one starts at the very end.)
            cut = len(data) if not chunk else data.rfind(b"<row")
            if cut < 0:
                cut = max(0, len(data) - 64)
            numbers = _ROW_NUMBER.findall(data, 0, cut)
            if numbers:  # counted in C: a Python step per row cost more than the scan itself
                present += len(numbers)
                highest = max(highest, max(map(int, numbers)))
            long_numbers = long_numbers or LONG_INTEGER.search(data) is not None
            formulas = formulas or b"<f" in data  # found in C; real ledgers seldom hold one
            tail = data[cut:]
            if not chunk:
                break
    return present, highest, long_numbers, formulas


def ods_is_sparse(archive: zipfile.ZipFile) -> bool:
    """True when an .ods repeats rows or columns far beyond what real sheets hold."""
    with archive.open("content.xml") as part:
        tail = b""
        while chunk := part.read(1 << 20):
            data = tail + chunk
            for match in _ODS_REPEAT.finditer(data):
                # Trailing empty rows are repeated up to 1,048,576 by LibreOffice itself;
                # calamine skips those, but a repeated row holding a value is expanded.
                if int(match[1]) > 100_000 and b"<text:p" in data[match.end() : match.end() + 400]:
                    return True
            tail = data[-400:]
    return False
