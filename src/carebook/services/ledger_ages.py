"""A 年龄 column is not stored (the birth date gives the age), but one far from the ID's age
says the ID number may be someone else's (a sibling's): such rows are warned about."""

from __future__ import annotations

import re
from datetime import date

from carebook.domain.dates import age_on
from carebook.exchange.columns import IGNORE, header_key
from carebook.exchange.sheet_tables import SheetTable
from carebook.services.ledger_rows import Issue, ParsedRow, cell_text

_AGE_HEADERS = frozenset(header_key(h) for h in ("年龄", "周岁", "岁", "年龄(周岁)", "年龄（岁）"))
_AGE = re.compile(r"(\d{1,2})(?:周?岁)?")
# A ledger filled last year says one less; some write 虚岁 (one or two more). Beyond: a wrong ID.
TOLERANCE = 2


def age_column(table: SheetTable) -> tuple[int, str] | None:
    """(index, header as written) of the table's 年龄 column, if it has one."""
    for column in table.columns:
        if column.field == IGNORE and header_key(column.header.rsplit("/", 1)[-1]) in _AGE_HEADERS:
            return column.index, column.header
    return None


def check_age(row: ParsedRow, column: tuple[int, str], today: date) -> None:
    """Warn on the row when its 年龄 is far from the age its ID number's birth date gives."""
    facts = row.facts
    birth = getattr(facts, "birth_date", None)
    if birth is None or not getattr(facts, "id_number", ""):
        return
    index, header = column
    if index >= len(row.cells):
        return
    match = _AGE.fullmatch(cell_text(row.cells[index]))
    if match is None:
        return
    stated, actual = int(match[1]), age_on(birth, today)
    if abs(stated - actual) > TOLERANCE:
        message = (
            f"年龄填的是 {stated} 岁，按身份证号（出生于 {birth.isoformat()}）今天是 {actual} 岁，"
            "相差较大，请核对身份证号码是否填成了别人的。"
        )
        row.warnings.append(Issue(row.sheet, row.row, header, message))
