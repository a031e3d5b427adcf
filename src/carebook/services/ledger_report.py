"""The error report: the rows with problems as they were, plus 问题说明, to correct and resend."""

from __future__ import annotations

from pathlib import Path

from carebook.exchange.error_report import ReportSheet, write_report
from carebook.exchange.errors import FileRefused
from carebook.services.errors import ServiceError
from carebook.services.ledger_plan import ImportPlan


def write_error_report(plan: ImportPlan, path: Path) -> Path:
    """One sheet per imported sheet: its header rows, then each problem row and what is wrong."""
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
        rows = [
            (p.row, p.cells, "\n".join(problems[(p.sheet, p.row)]))
            for p in plan.parsed
            if p.sheet == table.sheet and (p.sheet, p.row) in problems
        ]
        row_label = "原行号" if not table.line_numbers else "原行号（文本行）"
        sheets.append(ReportSheet(table.sheet, table.header_cells, rows, row_label, table.title))
    try:
        return write_report(path, sheets, source=plan.file)
    except FileRefused as exc:
        raise ServiceError(exc.message) from None
