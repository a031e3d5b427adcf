"""Formula cells saved without their value (read blank) are said at their row and column."""

from __future__ import annotations

from carebook.exchange.columns import IGNORE, SEQ
from carebook.exchange.sheet_tables import SheetTable
from carebook.i18n import tr
from carebook.services.ledger_rows import Issue


def formula_issues(
    table: SheetTable, uncomputed: frozenset[tuple[int, int]]
) -> dict[int, list[Issue]]:
    """Row number -> a warning per imported cell that is a formula with no saved value."""
    headers = {c.index: c.header for c in table.columns if c.field not in (None, SEQ, IGNORE)}
    rows = {number for number, _cells in table.data}
    issues: dict[int, list[Issue]] = {}
    for number, column in sorted(uncomputed):
        section = table.section_at(number)
        if section is not None:  # a second table's row: its own columns
            header = section.file_headers.get(column, "") if number in rows else ""
        else:
            header = headers.get(column, "") if number in rows else ""
        if header:
            message = tr(
                "这一格是公式，文件里没有保存它算出的值，读到的是空白（文件可能是用别的程序"
                "生成的）；请在 Excel 或 WPS 中打开这个文件、保存后再导入。"
            )
            issues.setdefault(number, []).append(Issue(table.sheet, number, header, message))
    return issues
