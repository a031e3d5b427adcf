"""Export the county exchange workbook: streamed from the database, with its base for merging."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from carebook.domain.dates import parse_period
from carebook.domain.errors import DomainError
from carebook.exchange.county.columns import (
    DATA_SHEETS,
    STATS_FIXED_HEADERS,
    STATS_TAIL_HEADERS,
    SheetSpec,
)
from carebook.exchange.county.crypto import encrypt_file
from carebook.exchange.county.reader import is_county_workbook
from carebook.exchange.county.values import signature
from carebook.exchange.county.writer import CountyWorkbookWriter
from carebook.i18n import tr
from carebook.paths import probe_writable, write_refused
from carebook.services.audit import Origin, entry
from carebook.services.county_rows import RowShaper
from carebook.services.errors import ServiceError
from carebook.services.places import township_of_village
from carebook.services.progress import Job, Progress
from carebook.services.statistics import VillageFigures, village_figures
from carebook.storage import audit as audit_store
from carebook.storage import exchange_queries as q
from carebook.storage.database import Database

INSTALLATION_KEY = "installation_uid"
ALL_SHEETS = tuple(s.key for s in DATA_SHEETS)
_PROGRESS_EVERY = 5000


@dataclass(frozen=True)
class ExportOptions:
    township: str | None = None
    village: str | None = None
    period: str | None = None  # 2026-11, 2026-Q4, FROM..TO; limits visits and assistance
    mask_ids: bool = False
    password: str | None = None
    recipient: str = "县妇联"
    sender: str = ""
    include: tuple[str, ...] = ALL_SHEETS


@dataclass(frozen=True)
class ExportResult:
    path: Path
    workbook_uid: str
    counts: dict[str, int]
    masked_ids: bool
    encrypted: bool
    period: tuple[date, date]
    scope: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "workbook_uid": self.workbook_uid,
            "rows": {s.name: self.counts.get(s.key, 0) for s in DATA_SHEETS},
            "masked_ids": self.masked_ids,
            "encrypted": self.encrypted,
            "period": {"from": self.period[0].isoformat(), "to": self.period[1].isoformat()},
            "scope": self.scope,
        }


def installation_uid(db: Database) -> str:
    """This installation's own uid, made on first use; it names the origin of its workbooks."""
    with db.transaction() as session:
        uid = q.get_meta(session, INSTALLATION_KEY)
        if not uid:
            uid = uuid.uuid4().hex
            q.set_meta(session, INSTALLATION_KEY, uid)
        return uid


def is_exchange_workbook(path: Path | str, password: str | None = None) -> bool:
    """Cheap test for `carebook import`: is this a county workbook to merge, not a ledger?"""
    return is_county_workbook(Path(path), password)


def _period(text: str | None, today: date) -> tuple[tuple[date, date], bool]:
    if not text:
        return (date(today.year, 1, 1), today), False
    try:
        return parse_period(text, today=today), True
    except DomainError as exc:
        raise ServiceError(exc.message) from None


def export_workbook(
    db: Database,
    path: Path,
    options: ExportOptions = ExportOptions(),
    *,
    origin: Origin = Origin(),
    today: date | None = None,
) -> Job[ExportResult]:
    """Write the workbook to path; yields progress; the export goes to the audit log."""
    today = today or date.today()
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ServiceError(tr("交换工作簿须保存为 .xlsx 文件，而不是 {file}。", file=path.name))
    if not path.parent.exists():
        raise ServiceError(tr("文件夹 {folder} 不存在。", folder=path.parent))
    try:
        probe_writable(path)
    except OSError as exc:
        raise ServiceError(write_refused(path, exc)) from None
    if options.village:
        options = replace(
            options, township=township_of_village(db, options.village, options.township)
        )
    (start, end), limit = _period(options.period, today)
    specs = [s for s in DATA_SHEETS if s.key in options.include]
    origin_uid = installation_uid(db)
    workbook_uid = uuid.uuid4().hex
    exported_at = datetime.now()
    figures = _figures(db, start, end, today, options)
    with db.reading() as session:
        scope = q.scope_area_ids(session, options.township, options.village)
        if scope is not None and not scope[0]:
            place = options.village or options.township
            raise ServiceError(tr("找不到“{place}”，请核对乡镇或村的名称。", place=place))
        where = (start, end) if limit else None
        totals = {s.key: q.count_records(session, s.key, scope, period=where) for s in specs}
        places = q.area_places(session)
        categories = q.child_categories(session, scope[0] if scope else None)
        read_from = q.latest_reads(session)
    scope_json = {
        "township": options.township or "",
        "village": options.village or "",
        "period": [start.isoformat(), end.isoformat()],
        "records_limited_to_period": limit,
        "sheets": [s.name for s in specs],
    }
    meta = {
        "workbook_uid": workbook_uid,
        "origin_uid": origin_uid,
        "origin_name": options.sender,
        "exported_at": exported_at.replace(microsecond=0).isoformat(" "),
        "masked_ids": "true" if options.mask_ids else "false",
        "scope": scope_json,
        "recipient": options.recipient,
        # Whose workbooks this state already holds: a reader there knows which of its own
        # edits we had seen, and which are newer than this workbook.
        "read_from": read_from,
    }
    temp = path.with_name(f".{path.stem}.{workbook_uid[:8]}.tmp.xlsx")
    if options.password:
        # The plain workbook exists only to be encrypted: drawn in a private folder on this
        # disk, never beside the target on a USB stick where a deleted file can be read back.
        private = Path(tempfile.mkdtemp(prefix="carebook-export-"))
        temp = private / temp.name
    writer = CountyWorkbookWriter(temp, meta)
    total = sum(totals.values()) or 1
    done = 0
    try:
        for spec in specs:
            shaper = RowShaper(spec, places=places, categories=categories, masked=options.mask_ids)
            with db.reading() as session:
                for record in q.stream_records(session, spec.key, scope, period=where):
                    values, texts = shaper.shape(record)
                    writer.add_row(spec, values, signature(texts))
                    done += 1
                    if done % _PROGRESS_EVERY == 0:
                        yield Progress(done, total, tr("正在写入{sheet}", sheet=spec.name))
        counts = writer.counts()
        writer.write_cover(
            _cover_lines(options, exported_at, (start, end), limit, counts, specs), "关爱簿数据交换"
        )
        writer.write_stats(*_stats_table(figures))
        yield Progress(done, total, tr("正在保存工作簿"))
        writer.close()
        if options.password:
            encrypt_file(temp, path, options.password)
            temp.unlink()
        else:
            os.replace(temp, path)
    except OSError as exc:  # the disk filled up, or the folder went away, while writing
        writer.discard()
        raise ServiceError(write_refused(path, exc)) from None
    except BaseException:  # cancelled (the job closed, Ctrl-C) or failed
        writer.discard()
        raise
    finally:
        temp.unlink(missing_ok=True)
        if options.password:
            shutil.rmtree(temp.parent, ignore_errors=True)
    _record(db, origin, workbook_uid, path, options, scope_json, counts, exported_at)
    yield Progress(total, total, tr("完成"))
    return ExportResult(
        path,
        workbook_uid,
        counts,
        options.mask_ids,
        bool(options.password),
        (start, end),
        scope_json,
    )


def _figures(db, start, end, today, options) -> list[VillageFigures]:
    rows = village_figures(db, start, end, today=today)
    if options.township:
        rows = [r for r in rows if r.township == options.township]
    if options.village:
        rows = [r for r in rows if r.village == options.village]
    return rows


def _stats_table(rows: list[VillageFigures]) -> tuple[list[str], list[list[object]]]:
    # As the 统计 page's 分村 table orders them (most children first, ties by name), not in the
    # order the database grouped them: the two tables are read side by side.
    totals: dict[str, int] = {}
    for r in rows:
        for label, n in r.by_category.items():
            totals[label] = totals.get(label, 0) + n
    labels = sorted(totals, key=lambda k: (-totals[k], k))
    headers = [*STATS_FIXED_HEADERS, *labels, *STATS_TAIL_HEADERS]
    table: list[list[object]] = []
    sums = [0] * (1 + len(labels) + 4)
    for r in rows:
        numbers = [r.in_register, *(r.by_category.get(x, 0) for x in labels), r.paired]
        table.append(
            [
                r.township,
                r.village,
                *numbers,
                round(r.pairing_rate, 4),
                r.visits_in_period,
                r.overdue,
            ]
        )
        for i, n in enumerate([*numbers, 0, r.visits_in_period, r.overdue]):
            sums[i] += n
    registered, paired = sums[0], sums[len(labels) + 1]
    sums[len(labels) + 2] = round(paired / registered, 4) if registered else 0.0
    table.append(["合计", "", *sums])
    return headers, table


def _cover_lines(options, exported_at, period, limit, counts, specs) -> list[tuple[str, str]]:
    place = " ".join(x for x in (options.township, options.village) if x) or "全部乡镇"
    lines = [
        (
            "这是什么",
            "关爱簿导出的数据交换工作簿（格式 1），供县妇联/县民政局查看、核对和修改后发回。",
        ),
        ("导出单位", options.sender or "（未填写）"),
        ("接收单位", options.recipient or "（未填写）"),
        ("导出时间", exported_at.strftime("%Y-%m-%d %H:%M")),
        ("范围", place),
        ("本期", f"{period[0].isoformat()} 至 {period[1].isoformat()}（统计表的“本期”）"),
    ]
    if limit:
        lines.append(("记录范围", "走访记录和帮扶记录只含本期的记录。"))
    lines.append(("行数", "；".join(f"{s.name} {counts.get(s.key, 0)} 行" for s in specs)))
    lines.append(
        (
            "身份证号",
            "已打码（如 1407**********123X）：读回时不会改动任何身份证号。"
            if options.mask_ids
            else "完整号码。本工作簿含儿童个人敏感信息，请妥善保管，不要转发无关人员。",
        )
    )
    lines += [
        (
            "怎样修改",
            "直接在各表中修改内容后保存，发回即可。可以排序、筛选，也可以加列（加的列会被忽略）。",
        ),
        ("新增", "在表的末尾新增一行，“编号”一列留空；新增儿童请务必填写公民身份号码。"),
        ("删除", "删除整行表示这条记录在县里被删除；读回时会列出，经确认后才标记删除。"),
        (
            "不要修改",
            "“编号”列（灰色）、表头名称，以及隐藏的 _carebook 表。“统计”表读回时会重新计算。",
        ),
        ("日期", "日期请按 2026-03-05 的格式填写。身份证号和电话请保持文本格式。"),
    ]
    return lines


def _record(db, origin, workbook_uid, path, options, scope_json, counts, exported_at) -> None:
    with db.transaction() as session:
        q.add_export(
            session,
            uid=workbook_uid,
            exported_at=exported_at,
            recipient=options.recipient,
            file_name=path.name,
            scope=scope_json,
            masked_ids=options.mask_ids,
            row_count=sum(counts.values()),
        )
        detail = "；".join(f"{s.name}{counts.get(s.key, 0)}行" for s in DATA_SHEETS)
        audit_store.add_entries(
            session,
            [
                entry(
                    origin,
                    "export",
                    "workbook",
                    workbook_uid,
                    field="文件",
                    old=path.name,
                    new=f"接收单位：{options.recipient or '（未填写）'}（{detail}"
                    f"{'，身份证号已打码' if options.mask_ids else '，含完整身份证号'}"
                    f"{'，已加密' if options.password else ''}）",
                    at=exported_at,
                )
            ],
        )


__all__ = ["ExportOptions", "ExportResult", "SheetSpec", "export_workbook", "is_exchange_workbook"]
