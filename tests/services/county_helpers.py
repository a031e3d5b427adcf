"""Helpers for county workbook tests: export, edit as a clerk would in Excel, merge back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from carebook.services.county_apply import apply_merge
from carebook.services.county_exchange import ExportOptions, export_workbook
from carebook.services.county_merge import plan_merge
from carebook.services.progress import run_to_end

TODAY = date(2026, 11, 28)


def export(db, path: Path, **options):
    return run_to_end(export_workbook(db, path, ExportOptions(**options), today=TODAY))


def merge(db, path: Path, *, password=None, **kw):
    plan = run_to_end(plan_merge(db, path, password))
    backups = kw.pop("backups_dir", path.parent / "backups")
    result = run_to_end(apply_merge(db, plan, backups_dir=backups, today=TODAY, **kw))
    return plan, result


class Clerk:
    """The county clerk editing the workbook in Excel (through openpyxl)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = openpyxl.load_workbook(path)

    def sheet(self, name: str):
        return self.book[name]

    def col(self, sheet: str, header: str) -> int:
        ws = self.book[sheet]
        for cell in ws[1]:
            if cell.value == header:
                return cell.column
        raise KeyError(header)

    def row_of(self, sheet: str, uid: str) -> int:
        ws = self.book[sheet]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == uid:
                return row[0].row
        raise KeyError(uid)

    def get(self, sheet: str, uid: str, header: str):
        return self.book[sheet].cell(self.row_of(sheet, uid), self.col(sheet, header)).value

    def set(self, sheet: str, uid: str, header: str, value) -> None:
        cell = self.book[sheet].cell(self.row_of(sheet, uid), self.col(sheet, header))
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"

    def add(self, sheet: str, values: dict[str, object]) -> int:
        ws = self.book[sheet]
        row = ws.max_row + 1
        for header, value in values.items():
            cell = ws.cell(row, self.col(sheet, header))
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
        return row

    def delete(self, sheet: str, uid: str) -> None:
        self.book[sheet].delete_rows(self.row_of(sheet, uid))

    def save(self, path: Path | None = None) -> Path:
        self.book.save(path or self.path)
        return path or self.path
