"""Open any spreadsheet a township sends (xlsx/xlsm, xls, ods, csv/txt, encrypted) as plain rows."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import msoffcrypto
from python_calamine import CalamineWorkbook

from carebook.exchange import exact_numbers, formula_cells, limits, ods_numbers
from carebook.exchange.errors import FileRefused, PasswordNeeded, WrongPassword
from carebook.exchange.text_files import read_text_table
from carebook.i18n import tr

Row = tuple[int, tuple[object, ...]]  # (row number as Excel/WPS shows it, or csv line; cells)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _save_as() -> str:
    return tr("请在 WPS 或 Excel 中打开，另存为 .xlsx 格式后再导入。")


def _damaged(path: Path) -> FileRefused:
    message = tr(
        "文件“{file}”已损坏或不完整，无法打开。{advice}", file=path.name, advice=_save_as()
    )
    return FileRefused(message)


@dataclass(frozen=True)
class RawSheet:
    name: str
    rows: list[Row]
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row0, col0, row1, col1), 0-based
    line_numbers: bool = False  # rows are numbered by text line (csv), not spreadsheet row
    note: str = ""  # how a text file was read (encoding, delimiter)
    # (row, 0-based column) of formula cells saved without their value: read blank.
    uncomputed: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class RawWorkbook:
    file_name: str
    kind: str  # xlsx | xls | ods | csv
    sheets: list[RawSheet] = field(default_factory=list)


def read_workbook(
    path: Path, *, password: str | None = None, keep: set[tuple[str, int]] | None = None
) -> RawWorkbook:
    """Every sheet's non-empty rows (or only the (sheet, row) in keep), or FileRefused."""
    path = Path(path)
    if not path.exists():
        raise FileRefused(tr("找不到文件“{path}”。", path=path))
    if path.is_dir():
        raise FileRefused(tr("“{path}”是一个文件夹，请选择表格文件。", path=path))
    suffix = path.suffix.lower()
    if suffix in (".et", ".ett"):
        raise FileRefused(
            tr(
                "“{file}”是 WPS 表格专用格式（.et），{advice}",
                file=path.name,
                advice=_save_as(),
            )
        )
    limits.check_size(path)
    with path.open("rb") as fh:
        magic = fh.read(8)
    if suffix in TEXT_SUFFIXES and not magic.startswith((_ZIP, _OLE2)):
        rows, note = read_text_table(path)
        if keep is not None:
            rows = [r for r in rows if (path.stem, r[0]) in keep]
        sheet = RawSheet(path.stem, rows, line_numbers=True, note=note)
        return RawWorkbook(path.name, "csv", [sheet])
    if magic.startswith(_OLE2):
        return _read_ole(path, path.read_bytes(), password, keep)
    if magic.startswith(_ZIP):
        return _read_zip(path, path.read_bytes(), keep)
    if suffix in SHEET_SUFFIXES:
        raise FileRefused(
            tr(
                "文件“{file}”的扩展名是 {suffix}，但内容不是表格（可能是改了扩展名的文本、"
                "网页或已损坏的文件）。{advice}",
                file=path.name,
                suffix=suffix,
                advice=_save_as(),
            )
        )
    raise FileRefused(tr("不能导入“{file}”这种文件。{advice}", file=path.name, advice=_save_as()))


def _read_ole(path: Path, data: bytes, password: str | None, keep=None) -> RawWorkbook:
    try:
        # A plain .xls, nearly every one: calamine refuses an encrypted workbook ("Workbook is
        # password protected"), so msoffcrypto's look through the container (0.15 s for a
        # 50,000-row file) is needed only when calamine could not read it.
        return _calamine(path, data, "xls", keep)
    except FileRefused as exc:
        refused = exc
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        encrypted = office.is_encrypted()
    except Exception:
        # Not an Office container msoffcrypto knows; plain .xls files often land here too.
        encrypted = False
        office = None
    if encrypted and office is not None:
        if not password:
            raise PasswordNeeded(
                tr(
                    "文件“{file}”设置了打开密码，请输入密码（命令行用 --password）后再导入。",
                    file=path.name,
                )
            )
        out = io.BytesIO()
        try:
            office.load_key(password=password)
            office.decrypt(out)
        except Exception:
            message = tr("文件“{file}”的密码不对，请核对后重新输入。", file=path.name)
            raise WrongPassword(message) from None
        plain = out.getvalue()
        if plain.startswith(_ZIP):
            return _read_zip(path, plain, keep)
        return _calamine(path, plain, "xls", keep)
    raise refused


def _read_zip(path: Path, data: bytes, keep=None) -> RawWorkbook:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged(path) from None
    with archive:
        limits.check_zip(path, archive)
        if "content.xml" in names and "mimetype" in names:
            if limits.ods_is_sparse(archive):
                raise FileRefused(
                    tr(
                        "文件“{file}”中有一行被重复了几十万次，不像是正常的名单，已拒绝导入。"
                        "{advice}",
                        file=path.name,
                        advice=_save_as(),
                    )
                )
            exact, merged = (
                ods_numbers.long_integers(archive)
                if ods_numbers.worth_reading(archive)
                else ({}, {})
            )
            book = _calamine(path, data, "ods", keep)
            for i, sheet in enumerate(book.sheets):
                if exact.get(sheet.name):
                    exact_numbers.restore(sheet.rows, exact[sheet.name])
                if merged.get(sheet.name) and not sheet.merged:
                    book.sheets[i] = replace(sheet, merged=merged[sheet.name])
            return book
        if "xl/workbook.xml" not in names:
            raise FileRefused(
                tr(
                    "文件“{file}”不是 Excel 工作簿（压缩包里没有工作表）。{advice}",
                    file=path.name,
                    advice=_save_as(),
                )
            )
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        sparse = False
        exact: dict[str, dict[tuple[int, int], int]] = {}
        blank_formulas: dict[str, frozenset[tuple[int, int]]] = {}
        for member in sheets:
            present, highest, long_numbers, formulas = limits.sheet_row_span(archive, member)
            if long_numbers:
                exact[member] = exact_numbers.long_integers(archive, member)
            if formulas:
                blank_formulas[member] = formula_cells.uncomputed(archive, member)
            if present > limits.MAX_ROWS:
                raise FileRefused(
                    tr(
                        "文件“{file}”的行数超过 {most} 行，请拆分后再导入。",
                        file=path.name,
                        most=f"{limits.MAX_ROWS:,}",
                    )
                )
            sparse = sparse or highest > limits.SPARSE_FACTOR * present + 10_000
        blank_formulas = {m: cells for m, cells in blank_formulas.items() if cells}
        names = exact_numbers.sheet_members(archive) if exact or blank_formulas else {}
    if sparse:
        # calamine would allocate every row up to the last one; read only the rows present.
        # (openpyxl, reading there, keeps a long integer exact.)
        from carebook.exchange.sparse_xlsx import read_sparse_xlsx

        return RawWorkbook(path.name, "xlsx", read_sparse_xlsx(path, data, keep))
    book = _calamine(path, data, "xlsx", keep)
    if exact:
        # calamine gives floats; an 18-digit integer a program wrote exactly is put back whole.
        by_name = {names.get(member): cells for member, cells in exact.items()}
        for sheet in book.sheets:
            if by_name.get(sheet.name):
                exact_numbers.restore(sheet.rows, by_name[sheet.name])
    if blank_formulas:
        by_name = {names.get(member): cells for member, cells in blank_formulas.items()}
        book.sheets[:] = [
            replace(sheet, uncomputed=by_name[sheet.name]) if sheet.name in by_name else sheet
            for sheet in book.sheets
        ]
    return book


def _calamine(path: Path, data: bytes, kind: str, keep=None) -> RawWorkbook:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    except Exception:
        raise _damaged(path) from None
    sheets: list[RawSheet] = []
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
            # iter_rows starts at the first used column; pad so column numbers stay absolute.
            pad = ("",) * (sheet.start[1] if sheet.start else 0)
            rows = [
                (number, pad + tuple(cells) if pad else tuple(cells))
                for number, cells in enumerate(sheet.iter_rows(), start=1)
                if (keep is None or (name, number) in keep) and _row_filled(cells)
            ]
        except Exception:
            raise FileRefused(
                tr(
                    "文件“{file}”中的工作表“{sheet}”已损坏，无法读取。{advice}",
                    file=path.name,
                    sheet=name,
                    advice=_save_as(),
                )
            ) from None
        merged = tuple(
            (r0, c0, r1, c1)
            for (r0, c0), (r1, c1) in (getattr(sheet, "merged_cell_ranges", None) or ())
        )
        sheets.append(RawSheet(name, rows, merged))
    if not sheets:
        raise FileRefused(tr("文件“{file}”里没有工作表。", file=path.name))
    return RawWorkbook(path.name, kind, sheets)


def _row_filled(cells: list[object]) -> bool:
    first = cells[0] if cells else None
    if first is not None and (not isinstance(first, str) or first.strip()):
        return True  # the usual row: its first cell (a 序号) is filled
    return any(map(_filled, cells))


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True
