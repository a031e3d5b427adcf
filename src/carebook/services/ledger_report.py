"""The error report: the rows with problems as they were, plus 问题说明, to correct and resend."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from carebook.exchange.county.crypto import encrypt_file
from carebook.exchange.error_report import ReportPart, ReportSheet, write_report
from carebook.exchange.errors import FileRefused
from carebook.i18n import tr
from carebook.paths import write_refused
from carebook.services.audit import Origin, record
from carebook.services.errors import ServiceError
from carebook.services.ledger_plan import ImportPlan
from carebook.storage.database import Database


def write_error_report(
    plan: ImportPlan,
    path: Path,
    *,
    password: str | None = None,
    db: Database | None = None,
    origin: Origin = Origin(),
) -> Path:
    """One sheet per imported sheet: its header rows, then each problem row and what is wrong.

    The rows carry full ID numbers and phones as the ledger had them (to be corrected there).
    A ledger that came with an open-password gives its report the same one: an unprotected
    report was a decrypted copy of its worst rows. Written into db's log: who, where, how many.
    """
    problems: dict[tuple[str, int], list[str]] = {}
    for row in plan.rows:
        for level, issues in (("错误", row.errors), ("提醒", row.warnings)):
            for issue in issues:
                where = f"【{issue.column}】" if issue.column else ""
                problems.setdefault((row.sheet, row.row), []).append(
                    f"{level}：{where}{issue.message}"
                )
    sheets = []
    for table in plan.tables:
        rows = []
        # A second table's rows go under its own header, as written, after the first's.
        below: dict[int, list] = {}
        for p in plan.parsed:
            if p.sheet != table.sheet or (p.sheet, p.row) not in problems:
                continue
            problem = "\n".join(problems[(p.sheet, p.row)])
            section = table.section_at(p.row)
            if section is None:
                rows.append((p.row, p.cells, problem))
            else:
                row = (p.row, section.cells_as_written(p.cells), problem)
                below.setdefault(id(section), []).append(row)
        more = tuple(
            ReportPart(
                section.title or tr("（原表第 {row} 行起的另一张表）", row=section.header_rows[0]),
                section.header_cells,
                below[id(section)],
            )
            for _start, section in table.sections
            if section is not None and id(section) in below
        )
        row_label = "原行号" if not table.line_numbers else "原行号（文本行）"
        sheets.append(
            ReportSheet(table.sheet, table.header_cells, rows, row_label, table.title, more)
        )
    try:
        if password:
            folder = Path(tempfile.mkdtemp(prefix="carebook-report-"))
            try:
                plain = write_report(folder / Path(path).name, sheets, source=plan.file)
                encrypt_file(plain, Path(path), password)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        else:
            write_report(path, sheets, source=plan.file)
    except FileRefused as exc:
        raise ServiceError(exc.message) from None
    except OSError as exc:
        raise ServiceError(write_refused(path, exc)) from None
    if db is not None:
        shown = sum(len(s.rows) for s in sheets)
        protected = "，已设打开密码" if password else ""
        record(
            db,
            origin,
            "export",
            "ledger",
            "",
            field="问题报告",
            old=f"文件 {plan.file}",
            new=f"{path}（{shown} 行{protected}）",
        )
    return Path(path)
