"""The whole audit log, for whoever answers for the data: who changed, revealed, exported or
printed what, when, and where each change came from."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from carebook.i18n import tr
from carebook.paths import write_refused
from carebook.services.audit import Origin, record
from carebook.services.errors import ServiceError
from carebook.services.progress import Job, Progress
from carebook.storage import audit as audit_store
from carebook.storage.database import Database


def _action_labels() -> dict[str, str]:
    # Built at each call: the words come in the language chosen at that moment. Entries keep
    # the English key; older databases also hold the word an early version wrote (新增).
    return {
        "create": tr("登记"),
        "update": tr("修改"),
        "exit": tr("退出台账"),
        "reenter": tr("重新纳入"),
        "reveal": tr("查看完整号码"),
        "delete": tr("删除"),
        "end": tr("结束结对"),
        "renew": tr("续签结对"),
        "import": tr("导入"),
        "merge": tr("合并"),
        "export": tr("导出"),
        "print": tr("打印"),
        "restore": tr("恢复备份"),
        "backup": tr("备份"),
        "新增": tr("登记"),
    }


def _entity_labels() -> dict[str, str]:
    return {
        "child": tr("儿童"),
        "volunteer": tr("爱心妈妈"),
        "pairing": tr("结对"),
        "visit": tr("走访"),
        "assistance": tr("帮扶"),
        "activity": tr("活动"),
        "project": tr("帮扶项目"),
        "area": tr("村（社区）"),
        "database": tr("数据库"),
        "statistics": tr("统计表"),
        "workbook": tr("交换工作簿"),
        "ledger": tr("台账"),
        "settings": tr("设置"),
        "print": tr("打印件"),
        "audit": tr("操作记录"),
    }


def action_label(key: str) -> str:
    """An entry's action in the worker's words (the key itself if unknown)."""
    return _action_labels().get(key, key)


@dataclass(frozen=True)
class LogFilter:
    """Which entries to show: one action (its key), a span of days (ends included), words,
    one record, one worker."""

    action: str | None = None
    start: date | None = None
    end: date | None = None
    text: str = ""
    uid: str | None = None  # one record's entries only
    actor: str | None = None  # one worker's entries only

    def query(self) -> audit_store.LogQuery:
        """The storage query: whole days, the end day included."""
        return audit_store.LogQuery(
            action=self.action or None,
            start=datetime.combine(self.start, datetime.min.time()) if self.start else None,
            end=datetime.combine(self.end + timedelta(days=1), datetime.min.time())
            if self.end
            else None,
            text=self.text.strip(),
            uid=self.uid or None,
            actor=self.actor or None,
        )


@dataclass(frozen=True)
class LogLine:
    at: datetime
    actor: str
    action: str  # in the worker's words
    kind: str  # the action's key: create, update, reveal, export ...
    subject: str  # 儿童 王小明 / 交换工作簿 / ...
    entity: str  # child, volunteer, workbook ...
    uid: str  # the record's uid ("" for the database, a project ...)
    name: str  # the child's or volunteer's name now; "" for other records
    field: str
    old_value: str
    new_value: str
    source: str


def action_choices() -> list[tuple[str, str]]:
    """(label, key) of each action a worker may filter by."""
    return [(label, key) for key, label in _action_labels().items() if key != "新增"]


def count_entries(db: Database, wanted: LogFilter = LogFilter()) -> int:
    with db.reading() as session:
        return audit_store.count_log(session, wanted.query())


def log_lines(
    db: Database, wanted: LogFilter = LogFilter(), *, offset: int = 0, limit: int = 500
) -> list[LogLine]:
    """Entries newest first, a page at a time. ID numbers were masked when they were written."""
    with db.reading() as session:
        rows = audit_store.log_rows(session, wanted.query(), offset=offset, limit=limit)
    actions, entities = _action_labels(), _entity_labels()
    return [
        LogLine(
            at,
            actor,
            actions.get(action, action),
            action,
            f"{entities.get(entity, entity)} {name}".strip(),
            entity,
            uid,
            name,
            field,
            old,
            new,
            source,
        )
        for at, actor, action, entity, uid, name, field, old, new, source in rows
    ]


def change_text(line: LogLine) -> str:
    """The entry's values in one phrase: old → new for a change, else what was recorded."""
    if line.kind in _CHANGES and line.old_value:
        return f"{line.old_value} → {line.new_value}"
    return "；".join(v for v in (line.old_value, line.new_value) if v)


_CHANGES = frozenset({"update", "exit", "reenter"})


_PAGE = 2000  # entries read at a time: a county's years of log stay out of memory


def _csv_headers() -> list[str]:
    return [tr(h) for h in ("时间", "操作人", "操作", "对象", "字段", "原值", "新值", "来源")]


def export_log(
    db: Database, wanted: LogFilter, target: Path, *, origin: Origin = Origin()
) -> Job[int]:
    """The entries the filter picks, newest first, as a CSV file Excel and WPS open (UTF-8 with
    a BOM); the export is itself logged. Returns how many entries went out.

    A job: a county's years of log (400,000 entries) take half a minute. Cancelled or failed,
    it leaves no file behind and no entry in the log."""
    target = Path(target)
    total = count_entries(db, wanted)
    partial = target.with_name(f".{target.name}.part")
    written = 0
    done = False
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(_csv_headers())
            while lines := log_lines(db, wanted, offset=written, limit=_PAGE):
                for line in lines:
                    when = line.at.strftime("%Y-%m-%d %H:%M:%S")
                    cells = (line.actor, line.action, line.subject, line.field)
                    values = (line.old_value, line.new_value, line.source)
                    # A value starting with = + - @ would run as a formula when opened.
                    out.writerow([when, *(_inert(v) for v in (*cells, *values))])
                written += len(lines)
                yield Progress(
                    written, total, tr("已导出 {done} / {total} 条", done=written, total=total)
                )
        os.replace(partial, target)
        done = True
    except OSError as exc:
        raise ServiceError(write_refused(target, exc)) from None
    finally:
        if not done:
            partial.unlink(missing_ok=True)
    record(
        db, origin, "export", "audit", "", field="操作记录", old=f"{written} 条", new=str(target)
    )
    return written


def _inert(value: str) -> str:
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
