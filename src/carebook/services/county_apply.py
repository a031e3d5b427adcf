"""Reading a county workbook back, step two: apply the plan in one transaction after a backup."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from carebook.domain.schedule import VisitRule
from carebook.i18n import tr
from carebook.services.audit import Origin, entry
from carebook.services.backup import make_backup
from carebook.services.county_apply_rows import RowWork
from carebook.services.county_merge import MergePlan, RowChange
from carebook.services.county_plan import kept_key
from carebook.services.progress import Job, Progress
from carebook.storage import audit as audit_store
from carebook.storage import exchange_queries as q
from carebook.storage.database import Database

SHEET_ORDER = ("child", "volunteer", "pairing", "visit", "assistance")


@dataclass(frozen=True)
class MergeResult:
    created: int
    updated: int
    unchanged: int
    skipped: int
    deleted: int
    open_conflicts: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False
    backup: Path | None = None


class _DryRun(Exception):
    pass


def resolve(plan: MergePlan, prefer: str | None, choices: dict | None) -> tuple[list, int, list]:
    """Changes with the conflicts a person decided; how many conflicting fields stay open; the
    kept_key()s of the conflicts decided for ours now, so that reading again does not ask."""
    changes = [
        RowChange(c.key, c.sheet, c.row, c.uid, c.action, dict(c.fields), c.note)
        for c in plan.changes
    ]
    by_uid = {(c.key, c.uid): c for c in changes if c.action == "update"}
    open_fields = 0
    kept: list[str] = []
    # A conflict settled at an earlier reading stays ours unless a person picks it explicitly.
    asked = [(c, prefer) for c in plan.conflicts] + [(c, "ours") for c in plan.settled]
    for conflict, default in asked:
        for f in conflict.fields:
            choice = (choices or {}).get((conflict.uid, f.field)) or default
            if choice == "theirs":
                change = by_uid.get((conflict.key, conflict.uid))
                if change is None:
                    change = RowChange(
                        conflict.key, conflict.sheet, conflict.row, conflict.uid, "update", {}
                    )
                    by_uid[(conflict.key, conflict.uid)] = change
                    changes.append(change)
                change.fields[f.field] = f.theirs
            elif choice == "ours":
                key = kept_key(conflict.key, conflict.uid, f.field, f.theirs)
                if key not in plan.kept_before:
                    kept.append(key)
            else:
                open_fields += 1
    return changes, open_fields, kept


def apply_merge(
    db: Database,
    plan: MergePlan,
    *,
    backups_dir: Path,
    prefer: str | None = None,
    choices: dict[tuple[str, str], str] | None = None,
    accept_deletions: bool | set[str] = False,
    dry_run: bool = False,
    origin: Origin = Origin(),
    rules: tuple[VisitRule, ...] | None = None,
    today: date | None = None,
) -> Job[MergeResult]:
    """Apply the plan: one transaction after a backup; dry_run rolls everything back."""
    today = today or date.today()
    changes, open_fields, kept = resolve(plan, prefer, choices)
    changes.sort(key=lambda c: SHEET_ORDER.index(c.key))
    deletions = [
        d
        for d in plan.deletions
        if accept_deletions is True
        or (isinstance(accept_deletions, set) and d.uid in accept_deletions)
    ]
    backup = None
    # A file backup is for a SQLite file; a server database (PostgreSQL) is backed up by its own
    # tools (pg_dump), and the single transaction below leaves it as it was on any failure.
    if not dry_run and (changes or deletions) and db.file is not None:
        yield Progress(0, 1, tr("正在备份数据库"))
        backup = make_backup(db, backups_dir, "merge")
    origin = Origin(origin.actor, f"合并:{plan.path.name}")
    work = RowWork(origin, today, rules)
    total = len(changes) + len(deletions) or 1
    try:
        with db.transaction() as session:
            for n, change in enumerate(changes, 1):
                work.apply(session, change)
                if n % 500 == 0:
                    yield Progress(n, total, tr("正在合并{sheet}", sheet=change.sheet))
            gone = {d.uid for d in deletions if d.key == "pairing"}
            for d in deletions:
                if q.soft_delete(session, d.key, d.uid, work.now):
                    work.deleted += 1
                    if d.key == "visit":  # the child's last visit and next due date move back
                        visit = q.row_by_uid(session, "visit", d.uid, with_deleted=True)
                        work.visited.add(visit.child_id)
                    work.audit.append(
                        entry(origin, "delete", d.key, d.uid, new=d.label, at=work.now)
                    )
                    if d.key in ("child", "volunteer"):
                        work.removed(session, d.key, d.uid, plan.path.name, gone)
            work.refresh_visits(session, plan.last_visits)
            work.audit.append(_merge_entry(origin, plan, work, open_fields))
            audit_store.add_entries(session, work.audit)
            summary = work.summary(plan, open_fields)
            if kept:
                summary["kept"] = kept
            q.add_import(
                session,
                workbook_uid=plan.meta.workbook_uid,
                origin_uid=plan.meta.origin_uid,
                file_name=plan.path.name,
                file_sha256=plan.sha256,
                imported_at=work.now,
                summary=summary,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    yield Progress(total, total, tr("完成"))
    return MergeResult(
        created=work.created,
        updated=work.updated,
        unchanged=plan.unchanged,
        skipped=len(work.errors) + len({(p.sheet, p.row) for p in plan.problems}),
        deleted=work.deleted,
        open_conflicts=open_fields,
        errors=[p.text() for p in plan.problems] + work.errors,
        warnings=list(plan.warnings) + work.warnings,
        applied=not dry_run,
        backup=backup,
    )


def _merge_entry(origin: Origin, plan: MergePlan, work: RowWork, open_fields: int) -> dict:
    """The reading itself, once, under 合并: its rows' entries alone left a re-read, or one
    that only reported errors, without a trace, and the log's 合并 filter found nothing."""
    skipped = len(work.errors) + len({(p.sheet, p.row) for p in plan.problems})
    counts = (
        f"新增 {work.created}，修改 {work.updated}，删除 {work.deleted}，"
        f"未变 {plan.unchanged}，跳过 {skipped}"
    )
    if open_fields:
        counts += f"，未处理冲突 {open_fields}"
    return entry(
        origin,
        "merge",
        "workbook",
        plan.meta.workbook_uid,
        field="文件",
        old=plan.path.name,
        new=counts,
        at=work.now,
    )
