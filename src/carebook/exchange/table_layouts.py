"""Tables whose rows are not laid out one to a row: merged cells, a second table below the first."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from carebook.domain.categories import canonical_category
from carebook.domain.errors import DomainError
from carebook.exchange.columns import IGNORE, SEQ, header_key
from carebook.i18n import tr

Row = tuple[int, tuple[object, ...]]
# The note of a 类别 column added for tables below the first that a line names (二、困境儿童)
# when the first table has none: the first table's rows keep the file title's category.
SECTION_CATEGORIES = "按各表上方的标题读出"


@dataclass(frozen=True)
class TableSection:
    """A second table below the first: its own header as written and where its cells went."""

    header_rows: tuple[int, ...]
    header_cells: tuple[tuple[object, ...], ...]
    pairs: tuple[tuple[int, int], ...]  # (column in the file, column it is laid out in)
    laid_headers: dict[int, str]  # laid-out column -> this table's header as written
    file_headers: dict[int, str]  # column in the file -> this table's header as written
    title: str = ""  # the line above its header (二、事实无人抚养儿童), if any

    def cells_as_written(self, laid: tuple[object, ...]) -> tuple[object, ...]:
        """A laid-out row put back in this table's own columns (for the error report)."""
        width = max([index + 1 for index, _t in self.pairs] + [len(self.header_cells[-1])])
        cells: list[object] = [""] * width
        for index, target in self.pairs:
            if target < len(laid):
                cells[index] = laid[target]
        return tuple(cells)


def plain_text(value: object) -> str:
    """A cell as a header or title reads: no None, 3.0 as 3, runs of spaces as one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def fill_merged(
    data: list[Row], merged: tuple[tuple[int, int, int, int], ...], header_end: int, columns
) -> tuple[str, ...]:
    """Put a cell merged down over several data rows (a village written once for its
    children) into each of those rows, as the worker sees it; says so per column."""
    spans = [(r0 + 1, c0, r1 + 1) for r0, c0, r1, _c1 in merged if r1 > r0 and r0 + 1 > header_end]
    if not spans or not data:
        return ()
    where = {number: i for i, (number, _cells) in enumerate(data)}
    filled: dict[int, int] = {}
    for first, col, last in spans:
        top = where.get(first)
        if top is None or col >= len(data[top][1]) or not plain_text(data[top][1][col]):
            continue
        value = data[top][1][col]
        for number in range(first + 1, last + 1):
            i = where.get(number)
            if i is None:
                continue  # a row holding nothing else: not data
            cells = data[i][1]
            if col < len(cells) and plain_text(cells[col]):
                continue
            cells = cells + ("",) * (col + 1 - len(cells)) if col >= len(cells) else cells
            data[i] = (number, (*cells[:col], value, *cells[col + 1 :]))
            filled[col] = filled.get(col, 0) + 1
    headers = {c.index: c.header for c in columns}
    return tuple(
        tr(
            "“{column}”列有上下合并的单元格，已把合并的内容填入其中每一行（共 {count} 行）",
            column=headers.get(col) or _column_letter(col),
            count=count,
        )
        for col, count in sorted(filled.items())
    )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return tr("第 {letter} 列", letter=letters)


_ENUMERATOR = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．:：]\s*")


def _section_category(title: str) -> str:
    """事实无人抚养儿童 from a line "二、事实无人抚养儿童" above a second table, else ""."""
    text = _ENUMERATOR.sub("", " ".join(title.split()))
    if not text or len(text) > 20:
        return ""
    try:
        return canonical_category(text)
    except DomainError:
        return ""


def _repeats_band(cells: tuple[object, ...], band: tuple[tuple[object, ...], ...]) -> bool:
    """Whether a row says, column by column, what one row of the first header band says."""
    texts = [plain_text(c) for c in cells]
    for row in band:
        width = max(len(row), len(texts))
        if all(
            (plain_text(row[i]) if i < len(row) else "") == (texts[i] if i < len(texts) else "")
            for i in range(width)
        ):
            return True
    return False


def relay_second_tables(
    data: list[Row],
    headers: list[Row],
    columns: tuple,
    flatten: Callable[
        [tuple[object, ...] | None, tuple[object, ...]], list[tuple[str, str | None]]
    ],
    titles: dict[int, str] | None = None,
    band: tuple[tuple[object, ...], ...] = (),
) -> tuple[tuple, list[Row], tuple[str, ...], tuple[tuple[int, TableSection | None], ...]]:
    """Rows under a second header laid out in the first header's columns.

    A sheet may hold a second table below the first (二、困境儿童 with columns of its own). Its
    header row repeats header words, so it is not data; the rows under it are then read by
    their own header: each field goes to the first table's column for it, and a column the
    first table lacks is added after the last one (so nothing is dropped). A header that
    only repeats the first one (each printed page's) changes nothing. A second table without
    a 类别 column under a line naming one (二、事实无人抚养儿童) has that category. A second
    table's header may be a two-row band (监护人 over 姓名 / 电话), flattened as the first's.
    Also returns, by sheet row where each starts, the tables below the first (None: the
    first table's header again), so a problem names the column as that table wrote it.
    """
    by_index = {c.index: c for c in columns}
    target_of = {c.field: c.index for c in columns if c.field and c.field != IGNORE}
    width = max([c.index + 1 for c in columns], default=0)
    column_type = type(columns[0])  # sheet_tables.Column (which imports this module)
    added: dict[str, object] = {}
    new_columns = list(columns)
    layouts: list[tuple[int, tuple[tuple[int, int], ...] | None]] = []
    notes: list[str] = []
    sections: list[tuple[int, TableSection | None]] = []
    categories: dict[int, str] = {}  # header row -> the category its title line names
    following = {number: i for i, (number, _c) in enumerate(data)}
    consumed: set[int] = set()  # second rows of two-row bands: not data, not headers
    next_header = {number: cells for number, cells in headers}
    for number, cells in headers:
        if number in consumed:
            continue
        if band and _repeats_band(cells, band):
            layouts.append((number, None))  # a page's header band printed again
            sections.append((number, None))
            continue
        flat = flatten(None, cells)
        fields = {f for _, f in flat if f and f not in (SEQ, IGNORE)}
        if not fields & {"name", "id_number"}:
            continue  # words that happen to be header words, not a register's header
        band_rows: tuple[int, ...] = (number,)
        band_cells: tuple[tuple[object, ...], ...] = (cells,)
        below = next_header.get(number + 1)
        if below is None and number + 1 in following:
            below = data[following[number + 1]][1]
        if below is not None:
            # A two-row band (监护人 merged over 姓名 / 电话): taken when the row below adds
            # fields read under the one above, as the first table's band is found.
            pair = flatten(cells, below)
            paired = {f for _, f in pair if f and f not in (SEQ, IGNORE)}
            if len(paired) > len(fields) and fields <= paired:
                flat, fields = pair, paired
                band_rows, band_cells = (number, number + 1), (cells, below)
                consumed.add(number + 1)
        # The same columns in the same places and words: the first header again. Spelled
        # otherwise (公民身份号码 for 身份证号), it is a table of its own, whose headers its
        # problems name.
        same = all(
            index in by_index
            and by_index[index].field == field
            and header_key(by_index[index].header) == header_key(text)
            for index, (text, field) in enumerate(flat)
            if text and field != IGNORE
        )
        if same:
            layouts.append((number, None))
            continue
        pairs: list[tuple[int, int]] = []
        taken: set[int] = set()
        for index, (text, field) in enumerate(flat):
            if not text or field == IGNORE:
                continue
            target = target_of.get(field) if field else None
            if target is None or target in taken:
                key = field if field and target is None else text
                if key not in added:
                    added[key] = column_type(width + len(added), text, None if target else field)
                    new_columns.append(added[key])
                target = added[key].index
            taken.add(target)
            pairs.append((index, target))
        layouts.append((band_rows[-1], tuple(pairs)))
        rows = "、".join(str(n) for n in band_rows)
        notes.append(tr("第 {row} 行是另一张表的表头，其下各行按这个表头读取", row=rows))
        title = (titles or {}).get(number, "")
        label = _section_category(title)
        if label and "categories" not in fields:
            if "categories" not in target_of:
                # No 类别 column at all: one is added, so these rows are not taken for the
                # first table's category (from the file's title).
                added["categories"] = column_type(
                    width + len(added), tr("类别"), "categories", SECTION_CATEGORIES
                )
                new_columns.append(added["categories"])
                target_of["categories"] = added["categories"].index
            categories[band_rows[-1]] = label
            notes.append(
                tr(
                    "第 {row} 行起的表按其上方的“{title}”记为{label}",
                    row=number,
                    title=title,
                    label=label,
                )
            )
        texts = {index: text for index, (text, _f) in enumerate(flat) if text}
        section = TableSection(
            band_rows, band_cells, tuple(pairs),
            {target: texts[index] for index, target in pairs}, texts, title,
        )  # fmt: skip
        sections.append((number, section))
    if consumed:
        data = [row for row in data if row[0] not in consumed]
    if not any(layout for _n, layout in layouts):
        return columns, data, (), ()
    total = width + len(added)
    out: list[Row] = []
    current: tuple[tuple[int, int], ...] | None = None
    section = ""
    pending = iter(layouts)
    upcoming = next(pending, None)
    for number, cells in data:
        while upcoming is not None and upcoming[0] < number:
            current = upcoming[1]
            section = categories.get(upcoming[0], "")
            upcoming = next(pending, None)
        if current is None:
            out.append((number, cells))
            continue
        laid: list[object] = [""] * total
        for index, target in current:
            if index < len(cells):
                laid[target] = cells[index]
        if section:
            laid[target_of["categories"]] = section
        out.append((number, tuple(laid)))
    return tuple(new_columns), out, tuple(notes), tuple(sections)
