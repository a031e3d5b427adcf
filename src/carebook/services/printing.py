"""Print jobs: one function per print, each a generator of Progress that returns a PrintResult."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from carebook.i18n import tr
from carebook.paths import probe_writable, write_refused
from carebook.printing.fonts import CID_FONT, FontChoice, choose_font, installed_candidates
from carebook.printing.records import Report, SheetHeader
from carebook.printing.report import write_report
from carebook.printing.visit_record import write_visit_records
from carebook.printing.visit_sheet import write_visit_sheets
from carebook.services import print_data as pd
from carebook.services import print_reports as reports
from carebook.services.audit import Origin, entry
from carebook.services.errors import NotFoundError, ServiceError
from carebook.services.places import township_of_village
from carebook.services.print_data import Reveal
from carebook.services.progress import Job, Progress
from carebook.services.schedule import DueQuery, due_children
from carebook.services.sheet_codes import SheetCodeError, parse_code
from carebook.settings import Settings
from carebook.storage import audit as audit_store
from carebook.storage import print_queries as pq
from carebook.storage.database import Database

CHUNK = 500  # children loaded at a time: memory stays flat for a county-wide batch
ENTITY = "child"


@dataclass(frozen=True)
class PrintOptions:
    """Who prints, for which county and township, in which font, showing which numbers."""

    county: str = ""
    township: str = ""
    font: str = ""
    reveal: Reveal = field(default_factory=Reveal)
    origin: Origin = field(default_factory=Origin)
    today: date | None = None

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        origin: Origin,
        *,
        full_ids: bool = False,
        full_phones: bool = False,
        today: date | None = None,
    ) -> PrintOptions:
        return cls(
            county=settings.county,
            township=settings.township,
            font=settings.pdf_font,
            reveal=Reveal(ids=full_ids, phones=full_phones),
            origin=origin,
            today=today,
        )

    @property
    def day(self) -> date:
        return self.today or date.today()

    def revealed(self) -> str:
        """What the audit entry says was shown in full."""
        parts = [("完整身份证号", self.reveal.ids), ("完整电话", self.reveal.phones)]
        return "、".join(label for label, shown in parts if shown)


@dataclass(frozen=True)
class PrintResult:
    path: Path
    pages: int
    items: int  # children (or rows) printed
    font: FontChoice
    missing: str = ""  # characters the font has not, printed as □

    @property
    def font_note(self) -> str:
        if not self.missing:
            return self.font.note
        lacking = tr(
            "字体中没有“{chars}”，打印处以□代替，请在纸上手写补上。",
            chars="、".join(self.missing),
        )
        return tr("；").join(n for n in (self.font.note, lacking) if n)


@dataclass(frozen=True)
class SheetLookup:
    """A child found from the code on a paper sheet."""

    uid: str
    name: str
    township: str
    village: str
    printed_on: date | None


# -- choosing children ---------------------------------------------------------------------------


def select_children(
    db: Database,
    *,
    keys: Sequence[str] = (),
    village: str | None = None,
    township: str | None = None,
    due: bool = False,
    within_days: int | None = 30,
    today: date | None = None,
) -> list[int]:
    """Ids of the children a batch prints: named ones, a place's, or those due for a visit."""
    township = township_of_village(db, village, township) if not keys else township
    with db.reading() as session:
        if keys:
            ids = [pd.child_id_for_key(session, key) for key in keys]
            return list(dict.fromkeys(ids))
        if due:
            found = due_children(db, today=today, within_days=within_days, village=village)
            uids = [d.uid for d in found if not township or d.township == township]
            return [i for uid in uids if (i := pq.child_id_by_uid(session, uid)) is not None]
        return pq.child_ids_in_area(session, village=village, township=township)


# -- writing files -------------------------------------------------------------------------------


def _partial(target: Path) -> Path:
    return target.with_name(f".{target.name}.part")


def _write(target: Path, draw: Callable[[Path], Iterator[Progress]]) -> Iterator[Progress]:
    """Draw into a side file and move it over target only when complete: a cancelled or failed
    batch never leaves half a PDF (or clobbers a good one)."""
    target = Path(target)
    if target.is_dir():
        raise ServiceError(tr("{target} 是文件夹，请给出 PDF 文件名。", target=target))
    if not target.parent.exists():
        raise ServiceError(tr("文件夹 {folder} 不存在。", folder=target.parent))
    partial = _partial(target)
    try:
        probe_writable(target)  # a read-only folder or a PDF open elsewhere: say so before drawing
        yield from draw(partial)
        os.replace(partial, target)
    except OSError as exc:
        raise ServiceError(write_refused(target, exc)) from None
    finally:
        if partial.exists():
            partial.unlink()


def _audit(
    db: Database,
    options: PrintOptions,
    what: str,
    entries: Iterable[tuple[str, str, str]],
    target: Path,
):
    """One "print" entry per record printed: (entity, uid, what exactly), and the PDF's name:
    which file a child's data went into is what one asks after a leak."""
    shown = options.revealed()
    file = f"文件 {Path(target).name}"
    rows = [
        entry(
            options.origin,
            "print",
            entity,
            uid,
            field=what,
            # A roster's detail is its own title again: said once, by the field.
            new="；".join(p for p in (detail if detail != what else "", shown, file) if p),
        )
        for entity, uid, detail in entries
    ]
    with db.transaction() as session:
        audit_store.add_entries(session, rows)


def _county(db: Database, options: PrintOptions) -> str:
    if options.county:
        return options.county
    with db.reading() as session:
        return pq.county_name(session)


# -- the jobs ------------------------------------------------------------------------------------


def visit_sheets(
    db: Database, target: Path, child_ids: Sequence[int], options: PrintOptions
) -> Job[PrintResult]:
    """Blank visit sheets, one page per child, in the order given."""
    if not child_ids:
        raise ServiceError(tr("没有要打印走访表的儿童。"))
    font = choose_font(options.font)
    today = options.day
    header = SheetHeader(_county(db, options), options.township, today.isoformat())
    total = len(child_ids)
    printed: list[tuple[str, str, str]] = []
    missing: set[str] = set()

    def children() -> Iterator:
        for start in range(0, total, CHUNK):
            with db.reading() as session:
                rows = pd.load_children(session, child_ids[start : start + CHUNK])
            for row in rows:
                sheet = pd.sheet_child(row, options.reveal, today, today)
                printed.append((ENTITY, row.uid, f"走访表编码 {sheet.code}"))
                yield sheet

    def draw(path: Path) -> Iterator[Progress]:
        for page in write_visit_sheets(path, header, children(), total, font.name, missing):
            if page % 10 == 0 or page == total:
                yield Progress(page, total, tr("第 {page} 张", page=page))

    yield Progress(0, total, tr("准备走访表"))
    yield from _write(Path(target), draw)
    _audit(db, options, "走访记录表", printed, target)
    return PrintResult(Path(target), len(printed), len(printed), font, "".join(sorted(missing)))


def visit_record(
    db: Database, target: Path, visit_uids: str | Sequence[str], options: PrintOptions
) -> Job[PrintResult]:
    """Logged visits on the sheet's layout, for the paper archive: one, or several (a family
    visit, a day's round) in one PDF, each numbered on its own."""
    keys = [visit_uids] if isinstance(visit_uids, str) else list(visit_uids)
    if not keys:
        raise ServiceError(tr("没有要打印的走访记录。"))
    font = choose_font(options.font)
    today = options.day
    records = []
    with db.reading() as session:
        for key in keys:
            text = key.strip()
            found = pq.visit_by_uid(session, text) or pq.visit_by_uid(session, text.lower())
            if found is None:
                raise NotFoundError(tr("找不到走访记录“{key}”。", key=key))
            child_id, values = found
            (row,) = pd.load_children(session, [child_id])
            visit = pd.filled_visit(text, values)
            records.append((row, pd.sheet_child(row, options.reveal, today, today), visit))
    header = SheetHeader(_county(db, options), options.township, today.isoformat())
    pages = 0
    missing: set[str] = set()

    def draw(path: Path) -> Iterator[Progress]:
        nonlocal pages
        pairs = [(sheet, visit) for _row, sheet, visit in records]
        written_pages = write_visit_records(path, header, pairs, font.name, missing)
        for done, written in enumerate(written_pages, 1):
            pages = written  # a long record runs onto continuation pages
            yield Progress(done, len(records), "")

    yield Progress(0, len(records), tr("准备走访记录"))
    yield from _write(Path(target), draw)
    audited = []
    for row, _sheet, visit in records:
        audited.append((ENTITY, row.uid, f"{visit.visited_on} {visit.way}"))
        audited.append(("visit", visit.uid, row.text("name")))
    _audit(db, options, "走访记录（存档）", audited, target)
    return PrintResult(Path(target), pages, len(records), font, "".join(sorted(missing)))


def _report_job(
    db: Database,
    target: Path,
    report: Report,
    options: PrintOptions,
    what: str,
    audited: Sequence[tuple[str, str, str]],
) -> Job[PrintResult]:
    font = choose_font(options.font)
    pages = 0
    missing: set[str] = set()

    def draw(path: Path) -> Iterator[Progress]:
        nonlocal pages
        for page, total in write_report(path, report, font.name, missing):
            pages = total
            yield Progress(page, total, tr("第 {page} 页", page=page))

    yield Progress(0, 0, tr("排版中"))
    yield from _write(Path(target), draw)
    _audit(db, options, what, audited, target)
    return PrintResult(Path(target), pages, len(audited), font, "".join(sorted(missing)))


def case_file(
    db: Database, target: Path, child_key: str, options: PrintOptions
) -> Job[PrintResult]:
    """一人一档: the child's facts, history, pairings, visits, assistance and activities."""
    report, uid = reports.case_file_report(db, child_key, options.reveal, options.day)
    return _report_job(db, target, report, options, "儿童档案", [(ENTITY, uid, "一人一档")])


def roster(
    db: Database,
    target: Path,
    options: PrintOptions,
    *,
    village: str | None = None,
    township: str | None = None,
) -> Job[PrintResult]:
    """花名册: the register of a village, a township or everyone, landscape."""
    township = township_of_village(db, village, township)
    report, uids = reports.roster_report(
        db, _county(db, options), options.reveal, options.day, village=village, township=township
    )
    return _report_job(db, target, report, options, "花名册", [(ENTITY, u, "花名册") for u in uids])


def due_list(
    db: Database, target: Path, options: PrintOptions, query: DueQuery, volunteer_label: str = ""
) -> Job[PrintResult]:
    """The children due or overdue for a visit, to plan a round on paper: the list query
    gives, the very one the 走访 page shows (volunteer_label: see due_report)."""
    query = replace(query, township=township_of_village(db, query.village, query.township))
    report, uids = reports.due_report(
        db, _county(db, options), options.reveal, query, volunteer_label
    )
    return _report_job(
        db, target, report, options, "待走访名单", [(ENTITY, u, "待走访名单") for u in uids]
    )


def sign_in(
    db: Database, target: Path, activity_uid: str, options: PrintOptions
) -> Job[PrintResult]:
    """An activity's sign-in sheet (签到表) with its children and volunteers."""
    report, uids = reports.sign_in_report(db, activity_uid, options.day)
    title = report.title
    return _report_job(db, target, report, options, "签到表", [(ENTITY, u, title) for u in uids])


# -- from paper back to the child ----------------------------------------------------------------


def find_sheet(db: Database, code: str) -> SheetLookup:
    """The child a paper sheet's code (typed, or scanned from its QR code) belongs to."""
    try:
        parsed = parse_code(code)
    except SheetCodeError as exc:
        raise ServiceError(str(exc)) from exc
    with db.reading() as session:
        if parsed.full_uid:
            child_id = pq.child_id_by_uid(session, parsed.full_uid)
            matches = [(child_id, parsed.full_uid)] if child_id is not None else []
        else:
            matches = pq.children_with_uid_prefix(session, parsed.uid_prefix)
            if not matches:  # a child whose uid is not hex: the print log knows the code
                logged = pq.uids_printed_with(session, f"走访表编码 {parsed.code}")
                matches = [
                    (child_id, uid)
                    for uid in logged
                    if (child_id := pq.child_id_by_uid(session, uid)) is not None
                ]
        if not matches:
            raise NotFoundError(
                tr("没有找到这张走访表对应的儿童：可能是别的单位打印的表，或儿童已被删除。")
            )
        if len(matches) > 1:
            raise ServiceError(tr("这个编码对应不止一名儿童，请扫描二维码，或按姓名查找。"))
        (row,) = pd.load_children(session, [matches[0][0]], with_visits=False)
    return SheetLookup(row.uid, row.text("name"), row.township, row.village, parsed.printed_on)


def resolve_sheet_code(db: Database, code: str) -> str:
    """The uid of the child a visit sheet's code belongs to (走访 → 录入纸质走访表)."""
    return find_sheet(db, code).uid


# -- fonts for the settings page -----------------------------------------------------------------


def font_options() -> list[tuple[str, str]]:
    """(label, settings value) of the fonts a worker can choose for prints; "" means automatic."""
    options = [(tr("自动（推荐）"), "")]
    options += [(path.name, str(path)) for path in installed_candidates()]
    options.append((tr("内置 STSong-Light（不嵌入）"), CID_FONT))
    return options


def font_in_use(preference: str) -> FontChoice:
    """The font prints will be made with for this setting, with a note when it is a fallback."""
    return choose_font(preference)
