"""Applying a merge plan's changes to children, volunteers, pairings, visits and assistance."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from carebook.domain.child_rules import check_child_facts
from carebook.domain.id_numbers import mask_id
from carebook.domain.records import CHILD_FACT_FIELDS, ChildFacts
from carebook.domain.schedule import next_due
from carebook.exchange.county.columns import DATE, NUMBER, SHEETS_BY_KEY
from carebook.i18n import tr
from carebook.services.audit import Origin, entry, field_changes
from carebook.services.children import apply_facts
from carebook.services.county_merge import MergePlan, RowChange
from carebook.services.name_keys import pinyin_keys
from carebook.storage import children as child_store
from carebook.storage import exchange_queries as q
from carebook.storage.areas import ensure_area, ensure_village
from carebook.storage.tables import Assistance, Child, Pairing, Visit, Volunteer


class RowWork:
    """Applies one change at a time inside the merge's transaction; collects audit and errors."""

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
        self.errors.append(
            tr("{sheet} 第{row}行：{message}", sheet=change.sheet, row=change.row, message=message)
        )

    def apply(self, session, change: RowChange) -> None:
        getattr(self, f"_{change.key}")(session, change)

    def _log(self, change: RowChange, old: dict, new: dict, *, described: str = "") -> None:
        """`described` names a new visit, pairing or assistance row as entering it by hand
        does (child, date, way): a bare "登记 走访" told the log's reader nothing."""
        spec = SHEETS_BY_KEY[change.key]
        labels = {c.field: c.header for c in spec.columns}
        if change.action == "create":
            self.audit.append(
                entry(
                    self.origin,
                    "create",
                    change.key,
                    change.uid,
                    new=new.get("name", "") or described or change.note,
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
                self.fail(change, tr("本机找不到这名儿童。"))
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
                    change,
                    tr(
                        "身份证号 {id_number} 已属于 {name}，未修改。",
                        id_number=mask_id(clean.id_number),
                        name=other.name,
                    ),
                )
                return
        for message in checked.warnings.values():
            self.warnings.append(
                tr(
                    "{sheet} 第{row}行：{message}",
                    sheet=change.sheet,
                    row=change.row,
                    message=message,
                )
            )
        before = facts.as_dict() | _register_state(child)
        apply_facts(session, child, clean)
        if "status" in t and t["status"] and t["status"] != child.status:
            child.status, child.status_date = t["status"], self.today
        if "status_reason" in t:
            child.status_reason = t["status_reason"]
        # The other side's dates: its 新增/退出 figures and first due date count from them.
        if t.get("status_date"):
            child.status_date = date.fromisoformat(t["status_date"])
        if t.get("registered_on"):
            child.registered_on = date.fromisoformat(t["registered_on"])
        child.updated_at = self.now
        if change.action == "create":
            session.add(child)
        session.flush()
        child.next_due_on = self._due(child, clean)
        self._log(change, before, clean.as_dict() | _register_state(child))

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
            self.fail(change, tr("没有填写姓名。"))
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
                else ensure_area(session, "township", town, None)
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
            self.fail(change, tr("本机找不到这条记录。"))
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
            self.fail(
                change,
                tr(
                    "找不到这条记录所属的儿童（请填写{uid}或{id_number}）。",
                    uid="儿童编号",
                    id_number="儿童公民身份号码",
                ),
            )
        return child_id

    def _related(self, session, change: RowChange, model, required: str, defaults: dict):
        t = change.fields
        if change.action == "create" and not t.get(required):
            header = SHEETS_BY_KEY[change.key].column(required).header
            self.fail(change, tr("没有填写{header}。", header=header))
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
                self.fail(change, tr("找不到结对的爱心妈妈（请填写{uid}）。", uid="爱心妈妈编号"))
                return
        done = self._related(session, change, Pairing, "started_on", {"mode": "一对一"})
        if done is None:
            return
        row, old = done
        if change.action == "create" or t.get("volunteer_uid"):
            row.volunteer_id = vid
        session.flush()
        volunteer = session.get(Volunteer, row.volunteer_id) if row.volunteer_id else None
        described = (
            f"{volunteer.name if volunteer else ''} ↔ {_child_name(session, row)}"
            f"（{row.started_on}起）"
        )
        self._log(change, old, _texts(row, t), described=described)

    def _visit(self, session, change: RowChange) -> None:
        done = self._related(session, change, Visit, "visited_on", {"way": "入户走访"})
        if done is None:
            return
        row, old = done
        session.flush()
        self.visited.add(row.child_id)
        described = f"{_child_name(session, row)} {row.visited_on} {row.way}"
        self._log(change, old, _texts(row, change.fields), described=described)

    def _assistance(self, session, change: RowChange) -> None:
        done = self._related(session, change, Assistance, "given_on", {"project": "其他"})
        if done is None:
            return
        row, old = done
        session.flush()
        described = f"{_child_name(session, row)} {row.given_on} {row.content or row.project}"
        self._log(change, old, _texts(row, change.fields), described=described)

    def removed(self, session, key: str, uid: str, file_name: str, gone: set[str]) -> None:
        """A child or volunteer the merge deleted: her active pairings end today, as by hand.

        A deleted child is due for no visit either. Pairings the same merge deletes are left to
        that deletion. The ends go to self.audit, in the merge's transaction.
        """
        row = q.row_by_uid(session, key, uid, with_deleted=True)
        if row is None:
            return
        if key == "child":
            row.next_due_on = None
            reason = tr("儿童已在合并“{file}”时删除", file=file_name)
        else:
            reason = tr("爱心妈妈已在合并“{file}”时删除", file=file_name)
        ended = 0
        for pairing in q.active_pairings_of(session, key, row.id):
            if pairing.uid in gone:
                continue
            ended += 1
            on = max(self.today, pairing.started_on)
            pairing.ended_on, pairing.end_reason, pairing.updated_at = on, reason, self.now
            self.audit.append(
                entry(
                    self.origin,
                    "end",
                    "pairing",
                    pairing.uid,
                    field="结束",
                    new=f"{on} {reason}",
                    at=self.now,
                )
            )
        if ended:
            self.warnings.append(
                tr("{name} 已标记删除，其 {n} 条爱心妈妈结对随之结束。", name=row.name, n=ended)
            )

    def refresh_visits(self, session, told: dict[str, str] | None = None) -> None:
        """A visit that came in moves the child's last visit and next due date; so does a later
        last visit the sheet tells of (a period's workbook holds only that period's visits)."""
        last = q.last_visits(session, self.visited) if self.visited else {}
        for child_id in self.visited:
            child = session.get(Child, child_id)
            if child is None:
                continue
            child.last_visit_on = last.get(child_id)
            facts = child_store.child_facts(session, child)
            child.next_due_on = self._due(child, facts)
        for uid, text in (told or {}).items():
            child = child_store.child_by_uid(session, uid)
            day = date.fromisoformat(text)
            if child is None or child.deleted_at is not None:
                continue  # a deleted child is due for no visit
            if child.last_visit_on is not None and child.last_visit_on >= day:
                continue
            child.last_visit_on = day
            child.next_due_on = self._due(child, child_store.child_facts(session, child))


def _register_state(child: Child) -> dict[str, object]:
    """The register fields beside the facts, as the audit log compares them."""
    return {
        "status": child.status,
        "status_reason": child.status_reason,
        "status_date": child.status_date,
        "registered_on": child.registered_on,
    }


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


def _child_name(session, row) -> str:
    child = session.get(Child, row.child_id) if row.child_id is not None else None
    return child.name if child is not None else ""


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
