"""Reading a county workbook back, step two: apply the plan in one transaction after a backup."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from carebook.domain.child_rules import check_child_facts
from carebook.domain.id_numbers import mask_id
from carebook.domain.records import CHILD_FACT_FIELDS, ChildFacts
from carebook.domain.schedule import VisitRule, next_due
from carebook.exchange.county.columns import DATE, NUMBER, SHEETS_BY_KEY
from carebook.services.audit import Origin, entry, field_changes
from carebook.services.backup import make_backup
from carebook.services.children import apply_facts
from carebook.services.county_merge import MergePlan, RowChange
from carebook.services.name_keys import pinyin_keys
from carebook.services.progress import Job, Progress
from carebook.storage import audit as audit_store
from carebook.storage import children as child_store
from carebook.storage import exchange_queries as q
from carebook.storage.areas import ensure_area, ensure_village
from carebook.storage.database import Database
from carebook.storage.tables import Assistance, Child, Pairing, Visit, Volunteer

SHEET_ORDER = ("child", "volunteer", "pairing", "visit", "assistance")
_STATUS = {"status", "status_reason"}


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


def resolve(plan: MergePlan, prefer: str | None, choices: dict | None) -> tuple[list, int]:
    """Changes with the conflicts a person decided; how many conflicting fields stay open."""
    changes = [
        RowChange(c.key, c.sheet, c.row, c.uid, c.action, dict(c.fields), c.note)
        for c in plan.changes
    ]
    by_uid = {(c.key, c.uid): c for c in changes if c.action == "update"}
    open_fields = 0
    for conflict in plan.conflicts:
        for f in conflict.fields:
            choice = (choices or {}).get((conflict.uid, f.field)) or prefer
            if choice == "theirs":
                change = by_uid.get((conflict.key, conflict.uid))
                if change is None:
                    change = RowChange(
                        conflict.key, conflict.sheet, conflict.row, conflict.uid, "update", {}
                    )
                    by_uid[(conflict.key, conflict.uid)] = change
                    changes.append(change)
                change.fields[f.field] = f.theirs
            elif choice != "ours":
                open_fields += 1
    return changes, open_fields


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
    changes, open_fields = resolve(plan, prefer, choices)
    changes.sort(key=lambda c: SHEET_ORDER.index(c.key))
    deletions = [
        d
        for d in plan.deletions
        if accept_deletions is True
        or (isinstance(accept_deletions, set) and d.uid in accept_deletions)
    ]
    backup = None
    if not dry_run and (changes or deletions):
        yield Progress(0, 1, "正在备份数据库")
        backup = make_backup(db, backups_dir, "merge")
    origin = Origin(origin.actor, f"合并:{plan.path.name}")
    work = _Work(origin, today, rules)
    total = len(changes) + len(deletions) or 1
    try:
        with db.transaction() as session:
            for n, change in enumerate(changes, 1):
                work.apply(session, change)
                if n % 500 == 0:
                    yield Progress(n, total, f"正在合并{change.sheet}")
            for d in deletions:
                if q.soft_delete(session, d.key, d.uid, work.now):
                    work.deleted += 1
                    work.audit.append(
                        entry(origin, "delete", d.key, d.uid, new=d.label, at=work.now)
                    )
            work.refresh_visits(session)
            audit_store.add_entries(session, work.audit)
            summary = work.summary(plan, open_fields)
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
    yield Progress(total, total, "完成")
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


class _Work:
    def __init__(self, origin: Origin, today: date, rules) -> None:
        self.origin, self.today, self.rules = origin, today, rules
        self.now = datetime.now()
        self.audit: list[dict] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.created = self.updated = self.deleted = 0
        self.visited: set[int] = set()

    def summary(self, plan: MergePlan, open_fields: int) -> dict[str, object]:
        return {
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": plan.unchanged,
            "open_conflicts": open_fields,
            "errors": len(self.errors) + len(plan.problems),
        }

    def fail(self, change: RowChange, message: str) -> None:
        self.errors.append(f"{change.sheet} 第{change.row}行：{message}")

    def apply(self, session, change: RowChange) -> None:
        getattr(self, f"_{change.key}")(session, change)

    def _log(self, change: RowChange, old: dict, new: dict) -> None:
        spec = SHEETS_BY_KEY[change.key]
        labels = {c.field: c.header for c in spec.columns}
        if change.action == "create":
            self.audit.append(
                entry(
                    self.origin,
                    "create",
                    change.key,
                    change.uid,
                    new=new.get("name", "") or change.note,
                    at=self.now,
                )
            )
            self.created += 1
            return
        rows = [
            entry(
                self.origin,
                "update",
                change.key,
                change.uid,
                field=labels.get(f, f),
                old=o,
                new=n,
                at=self.now,
            )
            for f, o, n in field_changes(old, new)
        ]
        if rows:
            self.audit.extend(rows)
            self.updated += 1

    # -- children -----------------------------------------------------------------------------
    def _child(self, session, change: RowChange) -> None:
        t = change.fields
        if change.action == "create":
            child = Child(
                uid=change.uid,
                created_at=self.now,
                updated_at=self.now,
                registered_on=self.today,
                status="在册",
            )
            facts = ChildFacts(name="")
        else:
            child = child_store.child_by_uid(session, change.uid)
            if child is None:
                self.fail(change, "本机找不到这名儿童。")
                return
            facts = child_store.child_facts(session, child)
        updates = {f: _fact(f, v) for f, v in t.items() if f in CHILD_FACT_FIELDS}
        checked = check_child_facts(replace(facts, **updates), today=self.today)
        if not checked.ok:
            self.fail(change, "；".join(checked.errors.values()))
            return
        clean = checked.facts
        if clean.id_number:
            other = child_store.child_by_id_number(session, clean.id_number)
            if other is not None and other.uid != change.uid:
                self.fail(
                    change, f"身份证号 {mask_id(clean.id_number)} 已属于 {other.name}，未修改。"
                )
                return
        for message in checked.warnings.values():
            self.warnings.append(f"{change.sheet} 第{change.row}行：{message}")
        before = facts.as_dict() | {"status": child.status, "status_reason": child.status_reason}
        apply_facts(session, child, clean)
        if "status" in t and t["status"] and t["status"] != child.status:
            child.status, child.status_date = t["status"], self.today
        if "status_reason" in t:
            child.status_reason = t["status_reason"]
        child.updated_at = self.now
        if change.action == "create":
            session.add(child)
        session.flush()
        child.next_due_on = self._due(child, clean)
        self._log(
            change,
            before,
            clean.as_dict() | {"status": child.status, "status_reason": child.status_reason},
        )

    def _due(self, child: Child, facts: ChildFacts) -> date | None:
        if child.status != "在册":
            return None
        kwargs = {} if self.rules is None else {"rules": self.rules}
        return next_due(
            registered_on=child.registered_on,
            last_visit=child.last_visit_on,
            categories=facts.categories,
            care_level=facts.care_level,
            **kwargs,
        )

    # -- volunteers ---------------------------------------------------------------------------
    def _volunteer(self, session, change: RowChange) -> None:
        t = change.fields
        vol = self._target(session, change, Volunteer)
        if vol is None:
            return
        if change.action == "create" and not t.get("name"):
            self.fail(change, "没有填写姓名。")
            return
        old = _volunteer_texts(session, vol) if change.action == "update" else {}
        for f in ("name", "sex", "phone", "identities", "work_unit", "status", "notes"):
            if f in t:
                setattr(vol, f, t[f] or ("女" if f == "sex" else "在岗" if f == "status" else ""))
        if "township" in t or "village" in t:
            town, village = (
                t.get("township", old.get("township", "")),
                t.get("village", old.get("village", "")),
            )
            vol.area_id = (
                ensure_village(session, town, village)
                if village
                else ensure_area(session, "township", town, None).id
                if town
                else None
            )
        vol.name_pinyin, vol.name_initials = pinyin_keys(vol.name)
        vol.updated_at = self.now
        session.flush()
        self._log(change, old, _volunteer_texts(session, vol))

    def _target(self, session, change: RowChange, model):
        if change.action == "create":
            row = model(uid=change.uid, created_at=self.now, updated_at=self.now)
            session.add(row)
            return row
        row = q.row_by_uid(session, change.key, change.uid)
        if row is None:
            self.fail(change, "本机找不到这条记录。")
        return row

    # -- pairings, visits, assistance ---------------------------------------------------------
    def _child_id(self, session, change: RowChange) -> int | None:
        t = change.fields
        uid = t.get("child_uid", "")
        if not uid and t.get("child_id_number"):
            uid = q.child_uid_by_id_number(session, t["child_id_number"]) or ""
        if not uid and t.get("child_name"):
            found = q.child_uid_by_name(session, t["child_name"])
            uid = found[0] if len(found) == 1 else ""
        child_id = q.ids_by_uid(session, "child", [uid]).get(uid) if uid else None
        if child_id is None:
            self.fail(change, "找不到这条记录所属的儿童（请填写儿童编号或儿童公民身份号码）。")
        return child_id

    def _related(self, session, change: RowChange, model, required: str, defaults: dict):
        t = change.fields
        if change.action == "create" and not t.get(required):
            header = SHEETS_BY_KEY[change.key].column(required).header
            self.fail(change, f"没有填写{header}。")
            return None
        child_id = None
        if change.action == "create" or t.get("child_uid"):
            child_id = self._child_id(session, change)
            if child_id is None:
                return None
        row = self._target(session, change, model)
        if row is None:
            return None
        old = _texts(row, t) if change.action == "update" else {}
        if child_id is not None:
            row.child_id = child_id
        spec = SHEETS_BY_KEY[change.key]
        for c in spec.merge_columns:
            if c.field in t and c.field not in ("child_uid", "volunteer_uid"):
                setattr(row, c.field, _typed(c.kind, t[c.field], defaults.get(c.field)))
        for f, v in defaults.items():
            if getattr(row, f, None) is None:
                setattr(row, f, v)
        row.updated_at = self.now
        return row, old

    def _pairing(self, session, change: RowChange) -> None:
        t = change.fields
        if change.action == "create" or t.get("volunteer_uid"):
            uid = t.get("volunteer_uid", "")
            vid = q.ids_by_uid(session, "volunteer", [uid]).get(uid) if uid else None
            if vid is None:
                self.fail(change, "找不到结对的爱心妈妈（请填写爱心妈妈编号）。")
                return
        done = self._related(session, change, Pairing, "started_on", {"mode": "一对一"})
        if done is None:
            return
        row, old = done
        if change.action == "create" or t.get("volunteer_uid"):
            row.volunteer_id = vid
        session.flush()
        self._log(change, old, _texts(row, t))

    def _visit(self, session, change: RowChange) -> None:
        done = self._related(session, change, Visit, "visited_on", {"way": "入户走访"})
        if done is None:
            return
        row, old = done
        session.flush()
        self.visited.add(row.child_id)
        self._log(change, old, _texts(row, change.fields))

    def _assistance(self, session, change: RowChange) -> None:
        done = self._related(session, change, Assistance, "given_on", {"project": "其他"})
        if done is None:
            return
        row, old = done
        session.flush()
        self._log(change, old, _texts(row, change.fields))

    def refresh_visits(self, session) -> None:
        """A visit that came in moves the child's last visit and next due date."""
        if not self.visited:
            return
        last = q.last_visits(session, self.visited)
        for child_id in self.visited:
            child = session.get(Child, child_id)
            if child is None:
                continue
            child.last_visit_on = last.get(child_id)
            facts = child_store.child_facts(session, child)
            child.next_due_on = self._due(child, facts)


def _fact(name: str, text: str) -> object:
    if name == "birth_date":
        return date.fromisoformat(text) if text else None
    if name == "categories":
        return tuple(x for x in text.split("、") if x)
    if name == "id_number":
        return text or None
    return text


def _typed(kind: str, text: str, default: object = None) -> object:
    if kind == DATE:
        return date.fromisoformat(text) if text else None
    if kind == NUMBER:
        return Decimal(text) if text else None
    return text if text else (default if default is not None else "")


def _texts(row, fields: dict[str, str]) -> dict[str, str]:
    out = {}
    for f in fields:
        value = getattr(row, f, None)
        if value is None:
            out[f] = ""
        elif isinstance(value, date):
            out[f] = value.isoformat()
        elif isinstance(value, Decimal):
            out[f] = format(value.normalize(), "f")
        else:
            out[f] = str(value)
    return out


def _volunteer_texts(session, vol: Volunteer) -> dict[str, str]:
    places = q.area_places(session) if vol.area_id else {}
    town, village = places.get(vol.area_id, ("", "")) if vol.area_id else ("", "")
    return {
        "name": vol.name or "",
        "sex": vol.sex or "",
        "phone": vol.phone or "",
        "identities": vol.identities or "",
        "work_unit": vol.work_unit or "",
        "township": town,
        "village": village,
        "status": vol.status or "",
        "notes": vol.notes or "",
    }
