"""What the import wizard shows: previews, mapping choices, problem lists, rows as they were."""

from __future__ import annotations

import re
from dataclasses import dataclass

from carebook.domain.id_numbers import mask_id, normalize_id
from carebook.domain.phones import mask_phone
from carebook.domain.records import CHILD_FIELD_LABELS, STATUS_FIELD_LABELS, VOLUNTEER_FIELD_LABELS
from carebook.exchange.columns import field_choices, header_key
from carebook.exchange.sheet_tables import SheetTable
from carebook.services.ledger_plan import ImportPlan
from carebook.services.ledger_rows import cell_text

ERROR, WARNING, CHANGE = "错误", "提醒", "更新"
_ID_LIKE = 18
_MOBILE = re.compile(r"1[3-9]\d{9}")


@dataclass(frozen=True)
class IssueRow:
    level: str  # 错误 | 提醒 | 更新
    sheet: str
    row: int
    column: str
    name: str
    message: str


@dataclass(frozen=True)
class ColumnChoice:
    index: int
    header: str
    key: str  # the header folded, as mappings are keyed
    field: str | None
    note: str


def field_label(kind: str, name: str | None) -> str:
    if not name:
        return "（不导入）"
    labels = VOLUNTEER_FIELD_LABELS if kind == "volunteer" else CHILD_FIELD_LABELS
    return labels.get(name) or STATUS_FIELD_LABELS.get(name) or {
        "status_reason": "状态变更原因", "status_date": "状态变更日期",
    }.get(name, name)  # fmt: skip


def mapping_choices(kind: str) -> list[tuple[str, str]]:
    """(field, label) for each field a column can be mapped to, in form order."""
    return [(name, field_label(kind, name)) for name in field_choices(kind)]


def columns_of(table: SheetTable) -> list[ColumnChoice]:
    return [
        ColumnChoice(c.index, c.header, header_key(c.header), c.field, c.note)
        for c in table.columns
        if c.header
    ]


def table_of(plan: ImportPlan, sheet: str) -> SheetTable | None:
    return next((t for t in plan.tables if t.sheet == sheet), None)


def shown_cell(value: object) -> str:
    """A cell for the screen: ID numbers masked (the file is sensitive too), the rest as read."""
    if isinstance(value, float) and abs(value) >= 1e11:
        return f"{value:.5E}"  # how Excel shows an ID it turned into a number
    text = cell_text(value)
    folded = normalize_id(text)
    if len(folded) == _ID_LIKE and folded[:17].isdigit():
        return mask_id(folded)
    if _MOBILE.fullmatch(folded):
        return mask_phone(folded)
    return text


def preview(plan: ImportPlan, sheet: str, limit: int = 40) -> tuple[list, int]:
    """(rows, how many are the header band) for the first rows of a sheet's table."""
    table = table_of(plan, sheet)
    if table is None:
        return [], 0
    header = list(zip(table.header_rows, table.header_cells, strict=True))
    rows = header + table.data[:limit]
    return [(n, tuple(shown_cell(c) for c in cells)) for n, cells in rows], len(header)


def issue_rows(plan: ImportPlan) -> list[IssueRow]:
    result: list[IssueRow] = []
    for row in plan.rows:
        for issue in row.errors:
            result.append(
                IssueRow(ERROR, row.sheet, row.row, issue.column, row.name, issue.message)
            )
        for issue in row.warnings:
            result.append(
                IssueRow(WARNING, row.sheet, row.row, issue.column, row.name, issue.message)
            )
        if row.action == "update":
            text = "；".join(f"{c.field}：{c.old or '（空）'} → {c.new}" for c in row.changes)
            result.append(IssueRow(CHANGE, row.sheet, row.row, "", row.name, text))
    return result


def row_as_it_was(plan: ImportPlan, sheet: str, row: int) -> list[tuple[str, str]]:
    """(header as written, value) for each column of one row of the file."""
    table = table_of(plan, sheet)
    parsed = next((p for p in plan.parsed if p.sheet == sheet and p.row == row), None)
    if table is None or parsed is None:
        return []
    cells = parsed.cells
    return [
        (
            c.header or f"第 {c.index + 1} 列",
            shown_cell(cells[c.index]) if c.index < len(cells) else "",
        )
        for c in table.columns
    ]
