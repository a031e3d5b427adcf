"""Importing a civil-affairs ledger: build the plan (a dry run), then apply it in one go."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from carebook.domain.categories import canonical_category
from carebook.domain.errors import DomainError
from carebook.exchange.columns import VOLUNTEER, header_key
from carebook.exchange.county.columns import META_SHEET
from carebook.exchange.errors import FileRefused, PasswordNeeded
from carebook.exchange.readers import read_workbook
from carebook.exchange.sheet_tables import SheetTable, SkippedSheet, find_table
from carebook.exchange.table_layouts import SECTION_CATEGORIES
from carebook.i18n import tr
from carebook.services.audit import Origin, entry, record
from carebook.services.backup import make_backup
from carebook.services.collecting import fewer_collections
from carebook.services.ledger_ages import age_column, check_age
from carebook.services.ledger_blanks import blank_place_issues
from carebook.services.ledger_columns import parse_child_rows
from carebook.services.ledger_fingerprints import RowFingerprints
from carebook.services.ledger_formulas import formula_issues
from carebook.services.ledger_lookup import Witness, look_up_again, still_true, witness
from carebook.services.ledger_match import Operation, decide, look_up_rows
from carebook.services.ledger_plan import (
    CREATE,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    ImportPasswordNeeded,
    ImportPlan,
    ImportRefused,
    RowPlan,
    SheetSummary,
)
from carebook.services.ledger_rows import (
    TICKS_READ,
    ParsedRow,
    RowDefaults,
    parse_child_row,
    parse_volunteer_row,
    unchanged_row,
)
from carebook.services.ledger_ticks import fold_tick_columns, with_default_categories
from carebook.services.ledger_write import save_clean_fingerprints, write_operations
from carebook.services.progress import Job, Progress
from carebook.storage import import_queries as q
from carebook.storage.audit import add_entries
from carebook.storage.bulk import lock_against_writers
from carebook.storage.database import Database

SOURCE_PREFIX = "导入:"
_TOWNSHIP = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:镇|乡|街道))")
_TITLE_CATEGORIES = (
    ("事实无人抚养", "事实无人抚养儿童"),
    ("孤儿", "孤儿"),
    ("留守", "农村留守儿童"),
    ("困境", "困境儿童"),
)
_STEP = 2000
PREVIEW_ROWS = 40


@dataclass(frozen=True)
class ImportOptions:
    sheet: str | None = None
    category: str | None = None
    township: str | None = None
    village: str | None = None
    password: str | None = None
    strict: bool = False
    # sheet name -> {header key: field or None}: the user's corrections in the wizard.
    mappings: dict[str, dict[str, str | None]] = field(default_factory=dict)
    today: date | None = None


def township_from_title(*texts: str) -> str:
    """洪善镇 from "洪善镇农村留守儿童台账" or a file named "示例-洪善镇名单"."""
    for text in texts:
        for part in re.split(r"[^\u4e00-\u9fff]+", text):
            match = _TOWNSHIP.search(part)
            if match and not match[1].startswith(("乡村", "城乡")):
                return match[1]
    return ""


def categories_from_title(*texts: str) -> tuple[str, ...]:
    """The one category a ledger's title or file name names, or () when none or several."""
    joined = " ".join(texts)
    found = [label for word, label in _TITLE_CATEGORIES if word in joined]
    if "事实无人抚养儿童" in found or "孤儿" in found:
        found = [label for label in found if label != "困境儿童"]
    return (found[0],) if len(found) == 1 else ()


def build_plan(
    db: Database, path: Path, options: ImportOptions = ImportOptions()
) -> Job[ImportPlan]:
    """Read the file, find its tables, check every row and match it: nothing is written."""
    with fewer_collections():
        return (yield from _build_plan(db, path, options))


def _build_plan(db: Database, path: Path, options: ImportOptions) -> Job[ImportPlan]:
    path = Path(path)
    today = options.today or date.today()
    yield Progress(0, 0, tr("正在读取文件…"))
    try:
        book = read_workbook(path, password=options.password)
    except PasswordNeeded as exc:
        raise ImportPasswordNeeded(exc.message) from None
    except FileRefused as exc:
        raise ImportRefused(exc.message) from None
    except MemoryError:
        raise ImportRefused(
            tr("文件“{file}”太大，内存不足，请拆分后再导入。", file=path.name)
        ) from None
    if any(raw.name == META_SHEET for raw in book.sheets):
        # A county workbook saved again as .xls: imported as a ledger it would overwrite the
        # register with no three-way merge.
        from carebook.exchange.county.reader import resaved_message

        raise ImportRefused(resaved_message(path))
    category = _chosen_category(options.category)
    summaries: list[SheetSummary] = []
    tables: list[SheetTable] = []
    # sheet -> row -> problems seen while finding the table (tick marks, unsaved formulas)
    tick_issues: dict[str, dict[int, list]] = {}
    for raw in book.sheets:
        if options.sheet and raw.name != options.sheet:
            summaries.append(SheetSummary(raw.name, True, "未选择这个工作表"))
            continue
        found = find_table(raw, file_title=path.stem)
        if isinstance(found, SkippedSheet):
            summaries.append(SheetSummary(raw.name, True, found.reason))
            continue
        found, marks = fold_tick_columns(found)
        if raw.uncomputed:
            for number, issues in formula_issues(found, raw.uncomputed).items():
                marks.setdefault(number, []).extend(issues)
        if marks:
            tick_issues[found.sheet] = marks
        tables.append(_with_mapping(db, found, options))
    if options.sheet and options.sheet not in {r.name for r in book.sheets}:
        names = "、".join(r.name for r in book.sheets)
        raise ImportRefused(
            tr(
                "文件“{file}”中没有名为“{sheet}”的工作表（有：{names}）。",
                file=path.name,
                sheet=options.sheet,
                names=names,
            )
        )
    if not tables:
        reasons = "；".join(f"“{s.name}”{s.reason}" for s in summaries) or tr("没有工作表")
        raise ImportRefused(
            tr("文件“{file}”中没有可以导入的名单：{reasons}。", file=path.name, reasons=reasons)
        )
    total = sum(len(t.data) for t in tables)
    notes_of = {r.name: r.note for r in book.sheets if r.note}
    order = [r.name for r in book.sheets]
    for raw in book.sheets:
        raw.rows.clear()  # the tables hold what is needed; a row's cells go once it is read
    del book
    # Keep only a preview of each table; the rows themselves live on in `parsed`.
    previews = [replace(t, data=t.data[:PREVIEW_ROWS]) for t in tables]
    parsed: list[ParsedRow] = []
    by_table: dict[str, SheetSummary] = {}
    known: dict[str, dict] = {}
    first_of: dict[str, ParsedRow] = {}
    refill: set[tuple[str, int]] = set()
    for table in tables:
        defaults, notes = _defaults(table, path, options, category, today)
        table = with_default_categories(table, defaults.categories)  # a tick table's rows
        notes = (notes_of[table.sheet], *notes) if table.sheet in notes_of else notes
        reader = parse_volunteer_row if table.kind == VOLUNTEER else parse_child_row
        prints = _fingerprints(table, defaults)
        hits, stored, row_prints = _stored_children(db, table, prints, today)
        known.update({key: existing for key, (_fp, existing) in hits.items()})
        known.update(stored)
        id_column = table.field_columns().get("id_number")
        data, count = table.data, len(table.data)
        check_stored = id_column is not None and bool(stored or hits)
        marks = tick_issues.get(table.sheet)
        if table.kind != VOLUNTEER:
            blanks = blank_place_issues(table, defaults)
            if blanks:
                marks = {k: list(v) for k, v in (marks or {}).items()}
                for number, issues in blanks.items():
                    said = marks.setdefault(number, [])
                    named = {issue.column for issue in said}  # an unsaved formula says more
                    said.extend(issue for issue in issues if issue.column not in named)
        ages = age_column(table)
        for start in range(0, count, _STEP):
            chunk = data[start : start + _STEP]
            data[start : start + _STEP] = [None] * len(chunk)  # type: ignore[list-item]
            rows: list[ParsedRow | None] = []
            for number, cells in chunk:
                row = None
                if check_stored and id_column < len(cells):
                    key = cells[id_column]
                    key = key.strip() if isinstance(key, str) else None
                    hit = hits.get(key) if key else None
                    if hit is not None and hit[0] == row_prints[start + len(rows)]:
                        row = _fingerprinted_row(table, number, cells, hit[1])
                    elif key in stored:
                        row = unchanged_row(table, number, cells, defaults, stored[key])
                rows.append(row)
            # The rest, new children above all, are checked together: a column at a time.
            todo = [i for i, row in enumerate(rows) if row is None]
            if todo:
                wanted = [chunk[i] for i in todo]
                if reader is parse_child_row:
                    checked = parse_child_rows(table, wanted, defaults)
                else:
                    checked = [reader(table, number, cells, defaults) for number, cells in wanted]
                for i, row in zip(todo, checked, strict=True):
                    rows[i] = row
            for i, row in enumerate(rows, start=start):
                if marks and row.row in marks:  # type: ignore[union-attr]
                    row.warnings.extend(marks[row.row])  # type: ignore[union-attr]
                if ages is not None:
                    age = ages
                    if table.sections:  # a second table's row: its own 年龄 header
                        age = (ages[0], table.column_header_at(row.row, ages[0]))  # type: ignore[union-attr]
                    check_age(row, age, today)  # type: ignore[arg-type]
                row.fingerprint = row_prints[i] if row_prints else ""  # type: ignore[union-attr]
                if not table.reshaped:  # its rows, read again, would not be laid out so
                    _keep_cells_if_needed(row, known, first_of, refill)  # type: ignore[arg-type]
                parsed.append(row)  # type: ignore[arg-type]
            yield Progress(len(parsed), total, tr("正在检查第 {row} 行…", row=len(parsed)))
        by_table[table.sheet] = SheetSummary(
            table.sheet, False, "", table.kind, table.header_rows, count, notes
        )
    del tables, first_of
    summaries += by_table.values()
    summaries.sort(key=lambda s: order.index(s.name) if s.name in order else 0)
    yield Progress(total, total, tr("正在与台账比对…"))
    plan = ImportPlan(path.name, str(path), summaries, previews, parsed)
    with db.reading() as session:
        lookup = look_up_rows(session, parsed, known)
    del known
    matched = decide(parsed, today, lookup)
    plan.rows = [row for row, _op in matched]
    if any(row.action in (CREATE, UPDATE) for row in plan.rows):
        plan.matched = _kept_matches(matched, lookup, today)
    del lookup, matched
    flagged = {(r.sheet, r.row) for r in plan.rows if r.errors or r.warnings or r.changes}
    for p in parsed:
        if (p.sheet, p.row) not in flagged:
            p.cells = ()  # only problem and changed rows are reported or shown as they were
    missing = {(p.sheet, p.row) for p in parsed if not p.cells} & (refill | flagged)
    if missing:
        _refill_cells(path, options, parsed, missing)
    return plan


def _kept_matches(matched, lookup, today: date) -> tuple[Witness, list[Operation]]:
    """The plan's matches for apply to reuse, with a witness of what they were decided on."""
    ops = []
    for _row, op in matched:
        if op.action != UPDATE:
            op.existing = None  # only an update's write reads the stored child's ids
        ops.append(op)
    return witness(lookup, today), ops


def _matches(session, plan: ImportPlan, today: date) -> list[tuple[RowPlan, Operation]]:
    """The plan's matches when the register still reads as it did, else matching afresh."""
    kept, plan.matched = plan.matched, None
    if kept is None:
        return decide(plan.parsed, today, look_up_rows(session, plan.parsed))
    seen, ops = kept
    lookup = look_up_again(session, seen)
    if still_true(seen, lookup, today):
        return list(zip(plan.rows, ops, strict=True))
    return decide(plan.parsed, today, lookup)


def _keep_cells_if_needed(
    row: ParsedRow, known: dict, first_of: dict[str, ParsedRow], refill: set
) -> None:
    """Drop a row's cells unless it may be reported (problems, a repeat) or change a child."""
    key = row.key
    if key:
        first = first_of.setdefault(key, row)
        if first is not row:  # the same person again: both rows will be reported
            if not first.cells:
                refill.add((first.sheet, first.row))
            return
    if row.errors or row.warnings or not key:
        return
    if row.same_as_stored or key not in known:
        row.cells = ()


def _refill_cells(path: Path, options: ImportOptions, parsed, wanted: set) -> None:
    """Read back the few rows whose cells were dropped but turn out to be reported."""
    book = read_workbook(path, password=options.password, keep=wanted)
    cells = {(raw.name, n): c for raw in book.sheets for n, c in raw.rows}
    for p in parsed:
        if (p.sheet, p.row) in wanted:
            p.cells = cells.get((p.sheet, p.row), ())


def _fingerprints(table: SheetTable, defaults: RowDefaults) -> RowFingerprints | None:
    if table.kind == VOLUNTEER:
        return None
    return RowFingerprints(table, defaults.township, defaults.village, defaults.categories)


def _stored_children(
    db: Database, table: SheetTable, prints: RowFingerprints | None, today: date
) -> tuple[dict, dict[str, dict], list[str]]:
    """Children already registered under the ID numbers written in this table (as typed).

    Returns the children whose remembered fingerprint still holds (ID number -> (fingerprint,
    a few columns)), the full stored facts of the other registered ones (for comparing cell
    by cell), and each row's fingerprint (in table order; empty for volunteer tables).
    """
    index = table.field_columns().get("id_number")
    row_prints = [prints.of(cells) for _n, cells in table.data] if prints is not None else []
    if table.kind == VOLUNTEER or index is None:
        return {}, {}, row_prints
    typed = [
        cells[index].strip() if index < len(cells) and isinstance(cells[index], str) else ""
        for _n, cells in table.data
    ]
    numbers = set(typed) - {""}
    with db.reading() as session:
        hits = q.fingerprinted_children(session, list(numbers), today) if numbers else {}
        # A number every row of which still matches its fingerprint needs no stored facts.
        missed = {
            key
            for key, fingerprint in zip(typed, row_prints, strict=True)
            if key and (key not in hits or hits[key][0] != fingerprint)
        }
        hits = {key: hit for key, hit in hits.items() if key not in missed}
        stored = q.children_by_id_numbers(session, list(missed)) if missed else {}
    return hits, stored, row_prints


def _fingerprinted_row(table: SheetTable, number: int, cells, existing: dict) -> ParsedRow:
    """A row whose fingerprint still holds: what a full check would say, unchanged."""
    row = ParsedRow(table.sheet, number, "child", cells)
    row.same_as_stored = True
    row.stored_id, row.stored_name = existing["id_number"], existing["name"]
    return row


def _chosen_category(label: str | None) -> tuple[str, ...]:
    if not label:
        return ()
    try:
        return (canonical_category(label),)
    except DomainError as exc:
        raise ImportRefused(f"--category：{exc.message}") from None


def _with_mapping(db: Database, table: SheetTable, options: ImportOptions) -> SheetTable:
    with db.reading() as session:
        saved = q.profile_mapping(session, table.signature)
    if saved:
        table = table.with_mapping(saved)
    chosen = options.mappings.get(table.sheet)
    return table.with_mapping(chosen) if chosen else table


def _defaults(table, path, options, category, today) -> tuple[RowDefaults, tuple[str, ...]]:
    notes: list[str] = list(table.notes)
    fields = table.field_columns()
    township = options.township or ""
    if not township and "township" not in fields:
        township = township_from_title(table.title, table.sheet, path.stem)
        if township:
            notes.append(
                tr("表中没有乡镇列，乡镇按标题或文件名取为“{township}”", township=township)
            )
    categories = category
    ticked = any(c.field == "categories" and c.note == TICKS_READ for c in table.columns)
    # A 类别 column made for the tables below the first: the first's rows have the title's.
    below = any(c.field == "categories" and c.note == SECTION_CATEGORIES for c in table.columns)
    if (
        not categories
        and ("categories" not in fields or ticked or below)
        and table.kind != VOLUNTEER
    ):
        categories = categories_from_title(table.title, table.sheet, path.stem)
        if categories and ticked:
            notes.append(tr("每个儿童都按标题或文件名记为“{c}”，另加勾选的类别", c=categories[0]))
        elif categories:
            notes.append(tr("表中没有类别列，类别按标题或文件名取为“{c}”", c=categories[0]))
        elif not ticked:
            notes.append(
                tr("表中没有类别列，标题中也看不出类别：导入的儿童暂无类别，可用 --category 指定")
            )
    unknown = [c.header for c in table.columns if c.field is None and c.header]
    if unknown:
        notes.append(tr("未识别的列（未导入）：{columns}", columns="、".join(unknown)))
    defaults = RowDefaults(township, options.village or "", categories, today)
    return defaults, tuple(notes)


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    backup: Path | None


def apply_import(
    db: Database,
    plan: ImportPlan,
    *,
    backups_dir: Path,
    origin: Origin = Origin(),
    strict: bool = False,
    today: date | None = None,
    rules=None,
) -> Job[ImportResult]:
    """Back up, then write the plan in one transaction; rows with errors stay out."""
    with fewer_collections():
        return (yield from _apply(db, plan, backups_dir, origin, strict, today, rules))


def _apply(db, plan, backups_dir, origin, strict, today, rules) -> Job[ImportResult]:
    today = today or date.today()
    errors = plan.errors
    if strict and errors:
        raise ImportRefused(
            tr(
                "文件“{file}”有 {count} 行有错误，按严格模式（--strict）整个文件未导入，"
                "数据库没有改动。",
                file=plan.file,
                count=len({(e.sheet, e.row) for e in errors}),
            )
        )
    source = Origin(origin.actor, f"{SOURCE_PREFIX}{plan.file}"[:300])
    if not any(r.action in ("create", "update") for r in plan.rows):
        record(db, source, "import", "ledger", "", **_import_entry(plan))
        plan.applied = True
        return ImportResult(plan, None)
    yield Progress(0, 0, tr("正在备份数据库…"))
    backup = make_backup(db, backups_dir, "import") if db.file is not None else None
    with db.transaction() as session:
        # On a county's server another computer may be importing the same children: wait for
        # it before checking, so what it saved is matched (unchanged, updated), not added twice.
        lock_against_writers(session, "children")
        # Checked again inside the transaction: the register may have changed since the plan.
        matched = _matches(session, plan, today)
        ops = [op for _r, op in matched]
        written = yield from write_operations(session, ops, source, today, rules)
        save_clean_fingerprints(session, ops, written, today)
        plan.rows = [row for row, _op in matched]
        add_entries(session, [entry(source, "import", "ledger", "", **_import_entry(plan))])
    plan.applied = True
    return ImportResult(plan, backup)


def _import_entry(plan: ImportPlan) -> dict[str, str]:
    """The reading itself, once, under 导入: its rows' entries alone left an import with
    nothing new, or only errors, without a trace, and the log's 导入 filter found nothing."""
    counts = plan.counts
    return {
        "field": "文件",
        "old": plan.file,
        "new": f"新增 {counts[CREATE]}，更新 {counts[UPDATE]}，无变化 {counts[UNCHANGED]}，"
        f"跳过 {counts[SKIPPED]}",
    }


def save_mapping(db: Database, table: SheetTable) -> None:
    """Remember the (corrected) mapping of a header layout for the next file laid out the same."""
    mapping = {header_key(c.header): c.field for c in table.columns if c.header}
    with db.transaction() as session:
        q.save_profile(session, table.signature, mapping, datetime.now())
