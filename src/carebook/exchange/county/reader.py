"""Reading a county workbook back: its base from _carebook, its rows found by header name."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from carebook.exchange.county.columns import (
    DERIVED,
    FORMAT_VERSION,
    META_SHEET,
    SHEETS_BY_CODE,
    UID,
    SheetSpec,
)
from carebook.exchange.county.crypto import (
    PasswordError,
    decrypt_to_memory,
    is_encrypted,
)
from carebook.exchange.county.fingerprint import cell_text, row_fingerprint
from carebook.exchange.county.stream import (
    STREAM_ABOVE_ROWS,
    is_large,
    iter_cells,
    row_values,
    shared_strings,
    sheet_members,
    typed,
)
from carebook.exchange.county.values import CellError, canonical, clean_text, column_letter
from carebook.i18n import tr


class WorkbookError(ValueError):
    """A file that is not a readable carebook county workbook; the message says why."""


@dataclass(frozen=True)
class BookMeta:
    workbook_uid: str
    origin_uid: str
    origin_name: str
    exported_at: str
    masked_ids: bool
    scope: dict
    fields: dict[str, list[str]]  # sheet code -> merged fields in signature order
    # origin uid -> the last of that installation's workbooks read there before this export;
    # None in workbooks from before it was written.
    read_from: dict[str, str] | None = None


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int
    column: str  # the letter Excel shows
    header: str
    message: str

    def text(self) -> str:
        return tr(
            "{sheet} 第{row}行 {column}列（{header}）：{message}",
            sheet=self.sheet,
            row=self.row,
            column=self.column,
            header=self.header,
            message=self.message,
        )


@dataclass
class TheirRow:
    """One data row as the other side left it: canonical texts of its merged fields.

    as_exported: its fingerprint is the export's, so its texts were not even read.
    """

    row: int
    uid: str
    texts: dict[str, str]
    problems: list[CellProblem] = field(default_factory=list)
    as_exported: bool = False


@dataclass
class SheetLayout:
    spec: SheetSpec
    positions: dict[str, int]  # field -> column index in the sheet
    extra: list[str]  # headers the contract does not know (ignored, reported)
    missing: list[str]  # contract headers not found


def is_county_workbook(path: Path, password: str | None = None) -> bool:
    """Cheap: does the file hold a _carebook sheet? An encrypted file counts when unreadable."""
    path = Path(path)
    try:
        if is_encrypted(path):
            if not password:
                return True
            source: Path | io.BytesIO = decrypt_to_memory(path, password)
        else:
            source = path
        with zipfile.ZipFile(source) as archive:
            text = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, KeyError, PasswordError):
        # Not an .xlsx. One the county saved again as .xls is found by the ledger import when
        # it reads the sheets anyway: opening a large .xls here only
        # to list its sheets cost half a second before every import of one.
        return False
    return f'name="{META_SHEET}"' in text


def saved_in_another_format(path: Path) -> bool:
    """A county workbook saved again as .xls / .ods / .xlsb: its _carebook sheet is still there,
    but only the .xlsx it was written as can be merged (its cells and fingerprints)."""
    try:
        return META_SHEET in CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception:  # calamine raises its own error types for what it cannot read
        return False


def resaved_message(path: Path) -> str:
    return tr(
        "“{file}”是关爱簿的交换工作簿，但被另存成了其他格式（如 .xls）。请在 WPS 或 Excel 中"
        "打开它，另存为“Excel 工作簿（*.xlsx）”后再读回。",
        file=path.name,
    )


class CountyWorkbook:
    """An open workbook; read the meta and base first, then each data sheet in turn."""

    def __init__(self, path: Path, password: str | None = None) -> None:
        self.path = Path(path)
        self.stream_above = STREAM_ABOVE_ROWS
        try:
            if is_encrypted(self.path):
                plain = decrypt_to_memory(self.path, password)
                self._book = CalamineWorkbook.from_filelike(plain)
                plain.seek(0)
                self._zip = zipfile.ZipFile(plain)
            else:
                self._book = CalamineWorkbook.from_path(str(self.path))
                self._zip = zipfile.ZipFile(self.path)
            self._members = sheet_members(self._zip)
        except PasswordError:
            raise
        except Exception as exc:  # calamine raises its own error types for damaged files
            if saved_in_another_format(self.path):
                raise WorkbookError(resaved_message(self.path)) from exc
            raise WorkbookError(
                tr(
                    "无法打开工作簿 {file}：文件已损坏，或不是 Excel 的 .xlsx 工作簿。",
                    file=self.path.name,
                )
            ) from exc
        self._strings: list[str] | None = None
        if META_SHEET not in self._book.sheet_names:
            raise WorkbookError(
                tr(
                    "{file} 不是关爱簿导出的交换工作簿（缺少 _carebook 表）。",
                    file=self.path.name,
                )
            )
        # Per sheet code: uid -> the export's field hashes, and uid -> its row fingerprint.
        self.base: dict[str, dict[str, bytes]] = {code: {} for code in SHEETS_BY_CODE}
        self.fingerprints: dict[str, dict[str, bytes]] = {code: {} for code in SHEETS_BY_CODE}
        self.meta = self._read_meta()

    def close(self) -> None:
        self._book.close()
        self._zip.close()

    def _cells(self, name: str) -> Iterator[tuple[int, dict[str, str]]] | None:
        """The sheet's rows as {column letters: text}, when it is large enough to stream."""
        member = self._members.get(name)
        if not member or not is_large(self._zip, member, self.stream_above):
            return None
        if self._strings is None:
            self._strings = shared_strings(self._zip)
        return iter_cells(self._zip, member, self._strings)

    def _loaded(self, name: str) -> Iterator[tuple[int, list[object]]]:
        sheet = self._book.get_sheet_by_name(name)
        top, left = sheet.start or (0, 0)
        pad = [""] * left
        for number, values in enumerate(sheet.iter_rows(), start=top + 1):
            yield number, (pad + values if left else values)

    def __enter__(self) -> CountyWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _meta_lines(self) -> Iterator[tuple[object, ...]]:
        """The _carebook sheet's rows as (A, B, C, D); the base lines are many, read them lean."""
        cells = self._cells(META_SHEET)
        if cells is None:
            for _, values in self._loaded(META_SHEET):
                yield tuple(values[:4]) + ("",) * (4 - len(values[:4]))
            return
        for _, row in cells:
            if row:
                yield row.get("A", ""), row.get("B", ""), row.get("C", ""), row.get("D", "")

    def _read_meta(self) -> BookMeta:
        values: dict[str, str] = {}
        base = self.base
        rows = self._meta_lines()
        first = [typed(v) if isinstance(v, str) else v for v in next(rows, ("",) * 4)]
        if not first or first[0] != "carebook":
            raise WorkbookError(tr("{file} 的 _carebook 表已损坏，无法合并。", file=self.path.name))
        if str(first[1]).split(".")[0] != FORMAT_VERSION:
            raise WorkbookError(
                tr(
                    "{file} 是更新版本关爱簿的交换格式（{version}），请先升级程序。",
                    file=self.path.name,
                    version=first[1],
                )
            )
        for row in rows:
            key = typed(row[0]) if isinstance(row[0], str) else row[0]
            if key == "rows":
                break
            value = typed(row[1]) if isinstance(row[1], str) else row[1]
            values[str(key)] = str(value)
        for code, uid, sig, fp in rows:
            book = base.get(code)
            if book is not None and uid:
                try:
                    book[uid] = bytes.fromhex(sig)
                    if fp:  # workbooks from before fingerprints have none
                        self.fingerprints[code][uid] = bytes.fromhex(fp)
                except (TypeError, ValueError):
                    raise WorkbookError(
                        tr(
                            "{file} 的 _carebook 表已损坏（编号 {uid}），无法合并。",
                            file=self.path.name,
                            uid=uid,
                        )
                    ) from None
        try:
            meta = BookMeta(
                workbook_uid=values["workbook_uid"],
                origin_uid=values.get("origin_uid", ""),
                origin_name=values.get("origin_name", ""),
                exported_at=values.get("exported_at", ""),
                masked_ids=values.get("masked_ids", "false") == "true",
                scope=json.loads(values.get("scope") or "{}"),
                fields=json.loads(values["fields"]),
                read_from=json.loads(values["read_from"]) if "read_from" in values else None,
            )
        except (KeyError, json.JSONDecodeError) as exc:
            raise WorkbookError(
                tr("{file} 的 _carebook 表已损坏：{problem}", file=self.path.name, problem=exc)
            ) from exc
        return meta

    def has_sheet(self, spec: SheetSpec) -> bool:
        return spec.name in self._book.sheet_names

    def read_sheet(
        self, spec: SheetSpec, fingerprints: dict[str, bytes] | None = None
    ) -> tuple[SheetLayout, Iterator[TheirRow]]:
        """The sheet's header layout and its rows (blank rows skipped), read cell by cell.

        With fingerprints (uid -> the export's), a row whose merged cells still hash to its
        fingerprint comes back as_exported, without texts.
        """
        cells = self._cells(spec.name)
        if cells is None:
            rows: Iterator = self._loaded(spec.name)
            first = next(rows, (1, []))[1]
        else:
            rows = cells
            first = next((row_values(row) for _, row in rows if row), [])
        header = [clean_text(str(h)) for h in first]
        positions: dict[str, int] = {}
        extra = []
        known = {c.header: c for c in spec.columns}
        for index, name in enumerate(header):
            column = known.get(name)
            if column is None:
                if name:
                    extra.append(name)
            elif column.field not in positions:
                positions[column.field] = index
        missing = [c.header for c in spec.columns if c.field not in positions]
        layout = SheetLayout(spec, positions, extra, missing)
        order = self.meta.fields.get(spec.code) or [c.field for c in spec.merge_columns]
        if not fingerprints or "uid" not in positions or any(f not in positions for f in order):
            fingerprints = None  # a column gone: no row can be the one exported
        return layout, self._rows(spec, layout, rows, cells is not None, fingerprints, order)

    def _rows(self, spec, layout, rows, streamed, fingerprints, order) -> Iterator[TheirRow]:
        columns = [
            (c, layout.positions[c.field], column_letter(layout.positions[c.field]))
            for c in spec.columns
            if (c.merged or c.info or c.kind == DERIVED) and c.field in layout.positions
        ]
        uid_at = layout.positions.get("uid")
        width = max(layout.positions.values(), default=0) + 1
        letters = [column_letter(i) for i in range(width)]
        # The merged cells in the order the export hashed them, by position and by letter.
        at = [layout.positions[f] for f in order] if fingerprints else []
        at_letters = [letters[i] for i in at]
        blanks = [""] * len(at)
        uid_letter = letters[uid_at] if uid_at is not None else ""
        for number, row in rows:
            if streamed:
                # Rows stay {letters: text} until a fingerprint misses: most of a big sheet is
                # usually as exported, and then it costs one pattern and one hash per row.
                if fingerprints:
                    uid = row.get(uid_letter, "")
                    fp = fingerprints.get(uid)
                    if fp is not None and fp == row_fingerprint(
                        list(map(row.get, at_letters, blanks))
                    ):
                        yield TheirRow(number, uid, {}, as_exported=True)
                        continue
                if not any(row.values()):
                    continue
                values = [typed(row.get(x, "")) for x in letters]
            else:
                values = row
                if len(values) < width:
                    values = list(values) + [""] * (width - len(values))
                if all(v == "" or v is None for v in values):
                    continue
            uid = clean_text(str(values[uid_at])) if uid_at is not None else ""
            if (
                not streamed
                and fingerprints
                and uid in fingerprints
                and fingerprints[uid] == row_fingerprint([cell_text(values[i]) for i in at])
            ):
                yield TheirRow(number, uid, {}, as_exported=True)
                continue
            texts: dict[str, str] = {}
            problems: list[CellProblem] = []
            for column, index, letter in columns:
                value = values[index]
                if value == "" or value is None:
                    texts[column.field] = ""
                    continue
                try:
                    texts[column.field] = canonical(column, value)
                except CellError as exc:
                    problems.append(CellProblem(spec.name, number, letter, column.header, str(exc)))
            yield TheirRow(number, uid, texts, problems)


__all__ = ["UID", "BookMeta", "CellProblem", "CountyWorkbook", "PasswordError", "WorkbookError"]
