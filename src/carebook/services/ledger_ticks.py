"""Categories ticked one column each (留守儿童 | 困境儿童 | 孤儿: √ / 是 / 1) read as one 类别."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from carebook.domain.categories import canonical_category
from carebook.domain.errors import DomainError
from carebook.exchange.columns import IGNORE
from carebook.exchange.sheet_tables import Column, SheetTable
from carebook.i18n import tr
from carebook.services.ledger_rows import TICKS_READ, Issue, cell_text

# Marks a ledger uses for "yes" in a tick column, and for "no" (blank counts as no too).
_TICKED = frozenset(
    {"√", "✓", "✔", "☑", "✅", "●", "■", "★", "▲", "是", "有", "1", "y", "yes", "v", "对"}
)
_NOT_TICKED = frozenset({"", "否", "无", "0", "×", "✗", "✘", "☐", "/", "-", "—", "－", "n", "no"})
_PREFIXES = ("是否为", "是否属于", "是否")


def tick_category(header: str) -> str | None:
    """The category a tick column's header names (是否孤儿 -> 孤儿), or None."""
    text = header.rsplit("/", 1)[-1]
    text = "".join(unicodedata.normalize("NFKC", text).split())
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    if not text or len(text) > 16:
        return None
    try:
        return canonical_category(text)
    except DomainError:
        return None


def _mark(value: object) -> str:
    mark = cell_text(value).lower()
    if isinstance(value, float | int) and not isinstance(value, bool):
        mark = "1" if value == 1 else "0" if value == 0 else mark
    return mark


def _holds_ticks(table: SheetTable, index: int) -> bool:
    """Whether a column's filled cells are (nearly all) ticks: a 残疾 column may instead say
    肢体 or 二级, a 低保 column a certificate number; those stay columns nobody recognised."""
    ticked = other = 0
    for _number, cells in table.data:
        mark = _mark(cells[index]) if index < len(cells) else ""
        if mark in _TICKED:
            ticked += 1
        elif mark not in _NOT_TICKED:
            other += 1
    return ticked > 0 and other <= max(1, ticked // 5)


def with_default_categories(table: SheetTable, labels: tuple[str, ...]) -> SheetTable:
    """A tick table under a title naming a category (or with --category): each row has that
    category besides the ones ticked (a 留守 ledger with a 是否低保 column)."""
    index = next(
        (c.index for c in table.columns if c.field == "categories" and c.note == TICKS_READ),
        None,
    )
    if index is None or not labels:
        return table
    joined = "、".join(labels)
    data = [
        (number, (*cells[:index], f"{joined}、{cells[index]}" if cells[index] else joined))
        for number, cells in table.data
    ]
    return replace(table, data=data)


def fold_tick_columns(table: SheetTable) -> tuple[SheetTable, dict[int, list[Issue]]]:
    """The table with its tick columns read into one 类别 column, and warnings by row number.

    Only for a child table without a 类别 column of its own. The added column stands after the
    last one, headed by the tick columns' headers, so a problem names the columns as written and
    the error report shows what was read; the tick columns themselves are kept as they were.
    """
    if table.kind != "child" or "categories" in table.field_columns():
        return table, {}
    ticks = [
        (column, label)
        for column in table.columns
        if column.field in (None, IGNORE)
        and (label := tick_category(column.header))
        and _holds_ticks(table, column.index)
    ]
    if not ticks:
        return table, {}
    width = max([len(cells) for cells in table.header_cells] + [c.index + 1 for c in table.columns])
    header = "、".join(column.header for column, _ in ticks)
    issues: dict[int, list[Issue]] = {}
    data = []
    for number, cells in table.data:
        labels: list[str] = []
        for column, label in ticks:
            value = cells[column.index] if column.index < len(cells) else None
            mark = _mark(value)
            if mark in _TICKED:
                if label not in labels:
                    labels.append(label)
            elif mark not in _NOT_TICKED:
                message = tr(
                    "“{column}”列填的是“{mark}”，看不出是否勾选，未计入类别；"
                    "是请填 √ 或 是，不是请留空。",
                    column=column.header,
                    mark=cell_text(value),
                )
                issues.setdefault(number, []).append(
                    Issue(table.sheet, number, column.header, message)
                )
        padded = tuple(cells) + ("",) * (width - len(cells))
        data.append((number, (*padded, "、".join(labels))))
    note = tr("按勾选已读出类别")
    columns = [
        replace(column, field=IGNORE, note=note) if any(column is c for c, _ in ticks) else column
        for column in table.columns
    ]
    columns.append(Column(width, header, "categories", TICKS_READ))
    last = table.header_cells[-1] if table.header_cells else ()
    last = tuple(last) + ("",) * (width - len(last)) + (header,)
    folded = replace(
        table,
        columns=tuple(columns),
        header_cells=(*table.header_cells[:-1], last),
        data=data,
        reshaped=True,
        notes=(
            *table.notes,
            tr("类别按勾选列（{columns}）读出，勾选多列的儿童有多个类别", columns=header),
        ),
    )
    return folded, issues
