"""Finding the register table in a sheet: the header band, merged two-row headers, what is data."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cached_property, partial

from carebook.exchange.columns import CHILD, IGNORE, SEQ, VOLUNTEER, header_key, synonyms
from carebook.exchange.readers import RawSheet, Row
from carebook.exchange.table_layouts import (
    TableSection,
    fill_merged,
    plain_text,
    relay_second_tables,
)
from carebook.i18n import tr

HEADER_SEARCH_ROWS = 40  # non-empty rows: a title, 填报单位 and a long 填报说明 come first
_FOOTER_WORDS = (
    "填表人", "填报人", "审核人", "复核人", "单位负责人", "负责人", "制表人", "制表", "审核",
    "合计", "总计", "小计", "填表日期", "填报日期", "日期", "注:", "注：", "注意",
    "说明:", "说明：", "备注:", "备注：", "联系人", "签字", "盖章", "(盖章)",
)  # fmt: skip
_SUMMARY_NAMES = ("汇总", "统计", "说明", "填表说明", "目录")
_FIRST_TABLE_SCORE = 3  # fields a header above the best-scoring one needs to be taken first
_CHILD_REQUIRED = frozenset({"name", "id_number"})
# The error report's own columns, beside a band's last group: never under that group.
_REPORT_COLUMNS = frozenset({"问题说明", "原行号", "原行号(文本行)"})


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written; a flattened header reads 监护人/电话
    field: str | None  # None: nobody recognised it (the user can map it)
    note: str = ""  # e.g. why a recognised header is not used


@dataclass(frozen=True)
class SheetTable:
    sheet: str
    kind: str  # child | volunteer
    header_rows: tuple[int, ...]
    header_cells: tuple[tuple[object, ...], ...]
    columns: tuple[Column, ...]
    title: str
    data: list[Row]
    line_numbers: bool = False
    ignored_rows: int = 0  # blank, repeated header and footer rows: not data, not errors
    notes: tuple[str, ...] = ()  # how the table was read (merged cells filled in ...)
    reshaped: bool = False  # rows laid out anew (a second table's, ticks): not re-readable as is
    # Tables below the first, by the sheet row of their header (None: the first's header again)
    sections: tuple[tuple[int, TableSection | None], ...] = ()

    @property
    def signature(self) -> str:
        """Identifies the header layout, to find a saved mapping for files laid out the same."""
        text = "|".join(header_key(c.header) for c in self.columns)
        return hashlib.sha256(f"{self.kind}:{text}".encode()).hexdigest()

    def field_columns(self) -> dict[str, int]:
        """Field -> column index of the columns that are imported (do not modify the result)."""
        return self._field_columns

    @cached_property
    def _field_columns(self) -> dict[str, int]:
        return {c.field: c.index for c in self.columns if c.field and c.field not in (SEQ, IGNORE)}

    @cached_property
    def headers(self) -> dict[str, str]:
        """Field -> its column header as written."""
        return {c.field: c.header for c in self.columns if c.field}

    def section_at(self, number: int) -> TableSection | None:
        """The table below the first that sheet row `number` belongs to; None: the first."""
        if not self.sections:
            return None
        i = bisect_right(self._section_starts, number) - 1
        return self.sections[i][1] if i >= 0 else None

    @cached_property
    def _section_starts(self) -> list[int]:
        return [start for start, _s in self.sections]

    def headers_at(self, number: int) -> dict[str, str]:
        """Field -> its column header as written in the table that row `number` is in."""
        section = self.section_at(number)
        if section is None:
            return self.headers
        cached = self._section_headers.get(id(section))
        if cached is None:
            laid = section.laid_headers
            cached = {c.field: laid.get(c.index, c.header) for c in self.columns if c.field}
            self._section_headers[id(section)] = cached
        return cached

    def column_header_at(self, number: int, index: int) -> str:
        """The header as written of laid-out column `index` in row `number`'s table."""
        section = self.section_at(number)
        if section is not None and index in section.laid_headers:
            return section.laid_headers[index]
        return next((c.header for c in self.columns if c.index == index), "")

    @cached_property
    def _section_headers(self) -> dict[int, dict[str, str]]:
        return {}

    def with_mapping(self, mapping: dict[str, str | None]) -> SheetTable:
        """A copy with columns re-mapped by header text (a user's correction or a saved profile)."""
        columns = []
        for column in self.columns:
            key = header_key(column.header)
            if key in mapping:
                column = replace(column, field=mapping[key] or None, note="")
            columns.append(column)
        return replace(self, columns=_drop_duplicates(columns))


@dataclass(frozen=True)
class SkippedSheet:
    sheet: str
    reason: str


def _cell(cells: tuple[object, ...], index: int) -> str:
    return plain_text(cells[index]) if index < len(cells) else ""


def _flatten(
    top: tuple[object, ...] | None, sub: tuple[object, ...], kind: str
) -> list[tuple[str, str | None]]:
    """(header as written, field) for each column of one header row or a two-row band."""
    table = synonyms()
    width = max(len(sub), len(top or ()))
    result: list[tuple[str, str | None]] = []
    carried = ""
    for index in range(width):
        low = _cell(sub, index)
        high = _cell(top, index) if top is not None else ""
        if high:
            carried = high
        elif low and carried and header_key(low) not in _REPORT_COLUMNS:
            high = carried  # a group heading merged across the columns below it
        if not high or not low:
            text = high or low
            result.append((text, table.field_for(kind, text)))
            continue
        prefix = table.group_prefix(high)
        field = (
            (prefix and table.field_for(kind, prefix + low))
            or table.field_for(kind, high + low)
            or (table.field_for(kind, low) if prefix in (None, "儿童") else None)
        )
        result.append((f"{high}/{low}", field))
    return result


def _score(columns: list[tuple[str, str | None]], kind: str) -> int:
    fields = {f for _, f in columns if f and f not in (SEQ, IGNORE)}
    if kind == CHILD and not fields & _CHILD_REQUIRED:
        return 0
    if kind == VOLUNTEER and not ({"name", "phone"} <= fields and fields & _vol_markers()):
        return 0
    return len(fields)


def _vol_markers() -> frozenset[str]:
    return synonyms().volunteer_markers


def _kind_of(child: list[tuple[str, str | None]], volunteer_score: int, title: str) -> str:
    fields = {f for _, f in child if f}
    family = fields & {"guardian_name", "father_name", "mother_name", "school", "categories"}
    if volunteer_score and (not family or "爱心妈妈" in title):
        return VOLUNTEER
    return CHILD


def _drop_duplicates(columns: list[Column]) -> tuple[Column, ...]:
    seen: dict[str, str] = {}
    result = []
    for column in columns:
        if column.field and column.field not in (SEQ, IGNORE):
            if column.field in seen:
                note = tr("与“{header}”列含义相同，未使用", header=seen[column.field])
                column = replace(column, field=None, note=note)
            else:
                seen[column.field] = column.header
        result.append(column)
    return tuple(result)


def find_table(raw: RawSheet, *, file_title: str = "") -> SheetTable | SkippedSheet:
    """The register table of a sheet, or why the sheet is not one."""
    if not raw.rows:
        return SkippedSheet(raw.name, tr("工作表是空的"))
    head = raw.rows[:HEADER_SEARCH_ROWS]
    singles = [_candidate(raw, i, None, cells, file_title) for i, (_, cells) in enumerate(head)]
    at: list[tuple[int, int, int, str, list[tuple[str, str | None]]] | None] = [None] * len(head)
    for i, (_, cells) in enumerate(head):
        options = [(1, singles[i])]
        if i + 1 < len(raw.rows):
            pair = _candidate(raw, i, cells, raw.rows[i + 1][1], file_title)
            alone = max(singles[i][0], singles[i + 1][0] if i + 1 < len(singles) else 0)
            # A second header row must add fields; otherwise the single row is the header.
            if pair[0] > alone:
                options.append((2, pair))
        for span, (score, kind, columns) in options:
            if score >= 2 and (at[i] is None or score > at[i][0]):
                at[i] = (score, i, span, kind, columns)
    found = [option for option in at if option is not None]
    best = max(found, key=lambda option: option[0], default=None)
    if best is not None:
        # Two tables in the first rows (一、留守儿童 … 二、困境儿童 with more columns): the first
        # one's header, as the rows below the other are read by theirs; the best-scoring one
        # would have left the first table's rows above it, unread.
        enough = max(min(_FIRST_TABLE_SCORE, best[0]), (best[0] + 1) // 2)
        best = next(o for o in found if o[0] >= enough)
    if best is None:
        if any(word in raw.name for word in _SUMMARY_NAMES):
            reason = tr("这是汇总或说明表，不是名单，已跳过")
        else:
            reason = tr(
                "没有找到名单表头（如“{name}”“{id_number}”），不像是儿童或爱心妈妈名单，已跳过",
                name="姓名",  # headers as a ledger writes them: data, the same in every language
                id_number="身份证号",
            )
        return SkippedSheet(raw.name, reason)
    _, start, span, kind, flat = best
    header = raw.rows[start : start + span]
    columns = _drop_duplicates([Column(i, text, field) for i, (text, field) in enumerate(flat)])
    title = " ".join(plain_text(c) for _, row in raw.rows[:start] for c in row if plain_text(c))
    data, ignored, headers = _data_rows(raw.rows[start + span :], header)
    reshaped = False
    sections: tuple[tuple[int, TableSection | None], ...] = ()
    notes = fill_merged(data, raw.merged, header[-1][0], columns) if raw.merged else ()
    if headers:
        # Another table below with headers of its own: its rows laid out as the first's.
        above = {number: i for i, (number, _c) in enumerate(raw.rows)}
        # The line just above a header is its title (二、困境儿童): one cell, not a child's row.
        lines = {
            number: [plain_text(c) for c in raw.rows[above[number] - 1][1] if plain_text(c)]
            for number, _c in headers
            if above.get(number, 0) > 0
        }
        titles = {number: texts[0] for number, texts in lines.items() if len(texts) == 1}
        columns, data, more, sections = relay_second_tables(
            data, headers, columns, partial(_flatten, kind=kind), titles,
            tuple(cells for _n, cells in header),
        )  # fmt: skip
        notes = (*notes, *more)
        reshaped = bool(more)
    return SheetTable(
        sheet=raw.name,
        kind=kind,
        header_rows=tuple(n for n, _ in header),
        header_cells=tuple(cells for _, cells in header),
        columns=columns,
        title=title,
        data=data,
        line_numbers=raw.line_numbers,
        ignored_rows=ignored,
        notes=notes,
        reshaped=reshaped,
        sections=sections,
    )


def _candidate(raw: RawSheet, i: int, top, sub, file_title: str):
    """(score, kind, columns) of reading row i (with top above it, if given) as the header."""
    child = _flatten(top, sub, CHILD)
    child_score = _score(child, CHILD)
    volunteer = _flatten(top, sub, VOLUNTEER)
    volunteer_score = _score(volunteer, VOLUNTEER)
    # The title above matters only to a header that could be a volunteer list's; joined for
    # each of the 40 rows searched, it cost more than the search itself.
    above = (
        " ".join(plain_text(c) for _, row in raw.rows[:i] for c in row) if volunteer_score else ""
    )
    kind = _kind_of(child, volunteer_score, above + file_title)
    if kind == VOLUNTEER:
        return volunteer_score, kind, volunteer
    return child_score, kind, child


_FOOTER_KEYS = tuple(dict.fromkeys(header_key(w) for w in _FOOTER_WORDS))


def is_footer(cells: tuple[object, ...]) -> bool:
    first = cells[0] if cells else None
    if first is not None and not isinstance(first, str) and plain_text(first):
        return False  # a 序号 number first: data (the usual spreadsheet row)
    if type(first) is not str or not first.strip():  # the usual csv row starts with its 序号
        first = next((c for c in cells if plain_text(c)), None)
    if not isinstance(first, str):
        return False  # footers are words; a row starting with a 序号 number is data
    if first.lstrip()[:1] in _DIGITS:
        return False  # a 序号 read as text (csv): no footer word starts with a digit
    return header_key(first).startswith(_FOOTER_KEYS)


_DIGITS = frozenset("0123456789")
_NUMBERS = (int, float)


def _data_rows(rows: list[Row], header: list[Row]) -> tuple[list[Row], int, list[Row]]:
    """The data rows, how many rows were not data, and the rows that repeat header words."""
    header_texts = {plain_text(c) for _, cells in header for c in cells if plain_text(c)}
    data: list[Row] = []
    headers: list[Row] = []
    ignored = 0
    is_header_text = header_texts.__contains__
    no_header_text = header_texts.isdisjoint
    digits = _DIGITS
    for number, cells in rows:
        # Per row only builtins (join, map, isdisjoint): this loop sees every cell of a
        # 50,000-row ledger. First the usual row of text (every csv row): not blank, no cell
        # repeating the header, a 序号 first (no footer word starts with a digit).
        try:
            if (
                "".join(cells).strip()
                and no_header_text(map(str.strip, cells))
                and cells[0].lstrip()[:1] in digits
            ):
                data.append((number, cells))
                continue
            texts = list(filter(None, map(str.strip, cells)))
            filled = len(texts)
        except TypeError:  # numbers, dates or empty cells among them
            try:
                # The usual spreadsheet row: its 序号 a number, then text.
                first = cells[0]
                if first is None or type(first) is str:
                    raise TypeError
                rest = cells[1:]
                if no_header_text(map(str.strip, rest)) and (
                    type(first) in _NUMBERS or plain_text(first)
                ):
                    data.append((number, cells))  # a 序号 number first: never a footer
                    continue
                texts = list(filter(None, map(str.strip, rest)))
                filled = len(texts) + 1
            except TypeError:
                strings = [c for c in cells if isinstance(c, str)]
                texts = [t for t in map(str.strip, strings) if t]
                filled = len(texts) + len(cells) - len(strings) - cells.count(None)
        if not filled:
            ignored += 1
            continue
        repeated = sum(map(is_header_text, texts))
        if repeated >= max(2, filled // 2) or _names_a_register(texts, filled):
            ignored += 1
            headers.append((number, cells))
            continue
        if is_footer(cells):
            ignored += 1
            continue
        data.append((number, cells))
    return data, ignored, headers


def _names_a_register(texts: list[str], filled: int) -> bool:
    """Whether a row is mostly header words, a name or ID column among them: the header of a
    second table spelled unlike the first (儿童姓名, 公民身份号码 below 姓名, 身份证号)."""
    if filled < 2:
        return False
    table = synonyms()
    fields = [
        table.by_kind[CHILD].get(key) or table.by_kind[VOLUNTEER].get(key)
        for key in map(header_key, texts)
    ]
    named = [f for f in fields if f]
    return len(named) >= max(2, filled // 2) and not _CHILD_REQUIRED.isdisjoint(named)
