"""Reading a county workbook back, step one: the merge plan (base vs theirs vs ours, per field)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from carebook.domain.id_numbers import id_is_masked
from carebook.exchange.county.columns import DATA_SHEETS, SheetSpec
from carebook.exchange.county.crypto import PasswordError
from carebook.exchange.county.reader import (
    CountyWorkbook,
    TheirRow,
    WorkbookError,
)
from carebook.exchange.county.values import field_digest, signature_digest
from carebook.exchange.sheet_tables import is_footer
from carebook.i18n import tr
from carebook.services.county_exchange import installation_uid
from carebook.services.county_plan import (
    FieldConflict,
    MergePlan,
    PasswordNeeded,
    RowChange,
    RowConflict,
    RowDeletion,
    kept_key,
)
from carebook.services.county_rows import RowShaper
from carebook.services.errors import ServiceError
from carebook.services.progress import Job, Progress
from carebook.storage import exchange_queries as q
from carebook.storage.database import Database


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def plan_merge(db: Database, path: Path, password: str | None = None) -> Job[MergePlan]:
    """Read the workbook and decide, row by row and field by field, what a merge would do."""
    path = Path(path)
    if not path.exists():
        raise ServiceError(tr("找不到文件 {path}。", path=path))
    yield Progress(0, 1, tr("正在打开工作簿"))
    try:
        book = CountyWorkbook(path, password)
    except PasswordError as exc:
        raise PasswordNeeded(str(exc)) from None
    except WorkbookError as exc:
        raise ServiceError(str(exc)) from None
    with book:
        own = book.meta.origin_uid == installation_uid(db)
        plan = MergePlan(path, file_sha256(path), book.meta, own)
        with db.reading() as session:
            earlier = q.imports_of(session, book.meta.workbook_uid)
            plan.previous_reads = len(earlier)
            plan.kept_before = frozenset(
                k for e in earlier for k in (e.summary or {}).get("kept", ())
            )
        planner = _Planner(db, book, plan)
        total = sum(len(b) for b in book.base.values()) or 1
        for spec in DATA_SHEETS:
            if not book.has_sheet(spec):
                if book.base[spec.code]:
                    plan.warnings.append(
                        tr("工作簿中没有“{sheet}”表，这张表的内容没有读入。", sheet=spec.name)
                    )
                continue
            yield from planner.sheet(spec, total)
    if book.meta.masked_ids:
        _warn_children_without_id(plan)
    yield Progress(1, 1, tr("已读完"))
    return plan


def _warn_children_without_id(plan: MergePlan) -> None:
    """A masked workbook's ID numbers are never read: say so for the children it adds."""
    count = sum(
        1
        for c in plan.changes
        if c.key == "child" and c.action == "create" and not c.fields.get("id_number")
    )
    if count:
        plan.warnings.append(
            tr(
                "这个工作簿的身份证号已打码，新增的 {n} 名儿童没有身份证号：以后导入的名单无法按"
                "身份证号认出他们，请补填，或请对方导出不打码的工作簿。",
                n=count,
            )
        )


class _Planner:
    def __init__(self, db: Database, book: CountyWorkbook, plan: MergePlan) -> None:
        self.db = db
        self.book = book
        self.plan = plan
        self.alias: dict[str, dict[str, str]] = {"child": {}, "volunteer": {}}
        self.created: dict[str, dict[str, str]] = {"child": {}, "volunteer": {}}  # key -> uid
        # Records a row without 编号 was matched to (by ID number...): still in the workbook.
        self.matched: set[tuple[str, str]] = set()
        self.done = 0
        self.since = self._since(installation_uid(db))

    def _since(self, ours: str) -> datetime | None:
        """Our rows edited after this are newer than what the other side's workbook shows."""
        meta = self.book.meta
        with self.db.reading() as session:
            if meta.read_from is None:  # an older workbook: our last exchange of any kind
                return q.last_exchange_with(session, meta.origin_uid, besides=meta.workbook_uid)
            # It says which of our workbooks it had read: our edits after that one it has not
            # seen, even if we sent a newer workbook since (a list crossing ours in the post).
            seen = meta.read_from.get(ours)
            sent = q.exported_at(session, seen) if seen else None
            read = q.last_read_from(session, meta.origin_uid, besides=meta.workbook_uid)
            times = [t for t in (sent, read) if t is not None]
            return max(times) if times else None

    # -- one sheet ---------------------------------------------------------------------------
    def sheet(self, spec: SheetSpec, total: int) -> Iterator[Progress]:
        meta, plan = self.book.meta, self.plan
        # Our own export: a row whose fingerprint still matches is unchanged there.
        fingerprints = self.book.fingerprints[spec.code] if plan.own else None
        layout, rows = self.book.read_sheet(spec, fingerprints)
        if layout.extra:
            plan.warnings.append(
                tr(
                    "“{sheet}”表中的列 {columns} 不属于交换格式，已忽略。",
                    sheet=spec.name,
                    columns="、".join(layout.extra),
                )
            )
        if "uid" not in layout.positions:
            plan.warnings.append(
                tr(
                    "“{sheet}”表缺少“{header}”列：每一行都按新增处理。",
                    sheet=spec.name,
                    header="编号",
                )
            )
        for header in layout.missing:
            if header not in ("编号", "最后修改时间", "最后走访日期"):
                plan.warnings.append(
                    tr(
                        "“{sheet}”表缺少“{header}”列：这一列按未修改处理。",
                        sheet=spec.name,
                        header=header,
                    )
                )
        order = meta.fields.get(spec.code) or [c.field for c in spec.merge_columns]
        ours_fields = {c.field for c in spec.merge_columns}
        ignore = {f for f in order if f not in layout.positions or f not in ours_fields}
        if meta.masked_ids and spec.key == "child":
            ignore.add("id_number")
        base = self.book.base[spec.code]
        # Rows not met yet; what stays at the end was deleted there. (A copy of the dict
        # shares its keys: far smaller than a set of a million fresh uid strings.)
        pending = dict(base)
        changed: list[tuple[TheirRow, list[str]]] = []
        last_visits: dict[str, str] = {}
        foreign: list[TheirRow] = []
        new: list[TheirRow] = []
        for r in rows:
            plan.rows += 1
            self.done += 1
            if self.done % 20000 == 0:
                yield Progress(self.done, total, tr("正在比对{sheet}", sheet=spec.name))
            if r.as_exported:
                pending.pop(r.uid, None)
                plan.unchanged += 1
                continue
            if r.problems:
                plan.problems.extend(r.problems)
                pending.pop(r.uid, None)
                continue
            if r.uid and r.uid not in base and not _OWN_UID.fullmatch(r.uid):
                r = _typed_number(plan, spec, r)
                if r is None:
                    continue
            if not r.uid and _note_row(plan, spec, r):
                continue
            if r.uid and r.texts.get("last_visit_on"):
                last_visits[r.uid] = r.texts["last_visit_on"]
            if r.uid and r.uid in base:
                pending.pop(r.uid, None)
                bsig = base[r.uid]
                if ignore:
                    texts = [r.texts.get(f, "") for f in order]
                    hashes = [
                        bsig[i * 4 : i * 4 + 4] if f in ignore else field_digest(texts[i])
                        for i, f in enumerate(order)
                    ]
                    tsig = b"".join(hashes)
                else:
                    tsig = signature_digest([r.texts.get(f, "") for f in order])
                if tsig == bsig:
                    if plan.own:
                        plan.unchanged += 1
                    else:
                        foreign.append(r)
                    continue
                fields = [
                    f
                    for i, f in enumerate(order)
                    if tsig[i * 4 : i * 4 + 4] != bsig[i * 4 : i * 4 + 4]
                ]
                changed.append((r, fields))
            elif r.uid:
                foreign.append(r)
            else:
                new.append(r)
        deleted = list(pending)
        del pending
        export_row = {}
        if deleted:
            gone = set(deleted)
            export_row = {uid: n for n, uid in enumerate(base, start=2) if uid in gone}
        with self.db.reading() as session:
            self._changed(session, spec, changed, order)
            self._foreign(session, spec, foreign)
            self._new(session, spec, new)
            self._deleted(session, spec, deleted, export_row)
        aliases = self.alias.get(spec.key, {})
        for uid, day in last_visits.items():
            plan.last_visits[aliases.get(uid, uid)] = day

    # -- ours ---------------------------------------------------------------------------------
    def _ours(self, session, spec: SheetSpec, uids) -> dict[str, dict[str, str]]:
        records = q.records_by_uid(session, spec.key, uids)
        if not records:
            return {}
        places = q.area_places(session)
        categories = None
        if spec.key == "child":
            categories = q.categories_of(session, (r[0] for r in records.values()))
        shaper = RowShaper(spec, places=places, categories=categories)
        fields = shaper.merged_fields()
        out = {}
        for uid, record in records.items():
            values = shaper.values(record)
            out[uid] = dict(zip(fields, shaper.texts(values), strict=True))
            out[uid]["_label"] = _label(spec, values)
            out[uid]["_updated"] = values[-1]
        return out

    def _theirs(self, spec: SheetSpec, r: TheirRow) -> dict[str, str]:
        texts = {
            c.field: r.texts.get(c.field, "") for c in spec.merge_columns if c.field in r.texts
        }
        for ref, key in (("child_uid", "child"), ("volunteer_uid", "volunteer")):
            if texts.get(ref):
                texts[ref] = self.alias[key].get(texts[ref], texts[ref])
        if "child_uid" in texts and not texts["child_uid"]:
            # A row added there may name its child by ID number or name instead of 编号.
            for extra in ("child_id_number", "child_name"):
                if r.texts.get(extra):
                    texts[extra] = r.texts[extra]
        if spec.key == "child":
            # A masked workbook never changes an ID number; a row added there may bring one.
            masked = self.book.meta.masked_ids and r.uid
            if masked or id_is_masked(texts.get("id_number", "")):
                texts.pop("id_number", None)
        return texts

    def _changed(self, session, spec, changed, order) -> None:
        if not changed:
            return
        ours = self._ours(session, spec, [r.uid for r, _ in changed])
        states = q.uid_states(session, spec.key, [r.uid for r, _ in changed if r.uid not in ours])
        for r, fields in changed:
            theirs = self._theirs(spec, r)
            mine = ours.get(r.uid)
            if mine is None:
                if states.get(r.uid):
                    self.plan.warnings.append(
                        tr(
                            "{sheet} 第{row}行：这条记录在本机已删除，县里的修改没有恢复它。",
                            sheet=spec.name,
                            row=r.row,
                        )
                    )
                else:
                    self._create(session, spec, r, theirs)
                continue
            if not self.plan.own:
                self._known(spec, r, theirs, mine, set(fields))
                continue
            bsig = self.book.base[spec.code][r.uid]
            apply: dict[str, str] = {}
            conflicts: list[FieldConflict] = []
            for f in fields:
                if f not in theirs:
                    continue
                i = order.index(f)
                base_hash = bsig[i * 4 : i * 4 + 4]
                if field_digest(mine.get(f, "")) == base_hash:
                    apply[f] = theirs[f]
                elif mine.get(f, "") != theirs[f]:
                    conflicts.append(
                        FieldConflict(f, spec.column(f).header, mine.get(f, ""), theirs[f])
                    )
            self._emit(spec, r, r.uid, apply, conflicts, mine["_label"])

    def _emit(self, spec, r, uid, apply, conflicts, label, note="") -> None:
        if apply:
            self.plan.changes.append(
                RowChange(spec.key, spec.name, r.row, uid, "update", apply, note)
            )
        settled = [
            c
            for c in conflicts
            if kept_key(spec.key, uid, c.field, c.theirs) in self.plan.kept_before
        ]
        if settled:
            conflicts = [c for c in conflicts if c not in settled]
            self.plan.settled.append(RowConflict(spec.key, spec.name, r.row, uid, label, settled))
        if conflicts:
            self.plan.conflicts.append(
                RowConflict(spec.key, spec.name, r.row, uid, label, conflicts)
            )
        if not apply and not conflicts:
            self.plan.unchanged += 1

    def _foreign(self, session, spec, foreign: list[TheirRow]) -> None:
        """Rows carrying an 编号 this workbook's base may not hold: known here, or new here."""
        if not foreign:
            return
        ours = self._ours(session, spec, [r.uid for r in foreign])
        states = q.uid_states(session, spec.key, [r.uid for r in foreign if r.uid not in ours])
        for r in foreign:
            theirs = self._theirs(spec, r)
            mine = ours.get(r.uid)
            if mine is not None:
                self._known(spec, r, theirs, mine, set())
            elif states.get(r.uid):
                self.plan.warnings.append(
                    tr(
                        "{sheet} 第{row}行：这条记录在本机已删除，没有恢复。",
                        sheet=spec.name,
                        row=r.row,
                    )
                )
            else:
                self._create(session, spec, r, theirs, uid=r.uid)

    def _known(self, spec, r, theirs, mine, changed_there: set[str]) -> None:
        """A row of another installation's workbook that this database holds too.

        Its base is the other side's state, not ours; ours counts as unchanged when this row
        was last modified before our last exchange with that side (what we sent them, or what
        we read from them). Then their differing values are their corrections and apply.
        """
        updated = mine.get("_updated")
        untouched = self.since is not None and updated is not None and updated <= self.since
        apply: dict[str, str] = {}
        conflicts: list[FieldConflict] = []
        for f, t in theirs.items():
            o = mine.get(f, "")
            if f not in mine or o == t:
                continue
            if spec.key == "pairing" and f in _ENDED and not t and f not in changed_there:
                # Ended here (by hand, or as its child was deleted) after they exported it:
                # a sheet that still shows it open does not reopen it.
                continue
            if untouched or not o:
                apply[f] = t
            elif not t and f not in changed_there:
                continue  # empty there and never typed over: nothing to take
            else:
                conflicts.append(FieldConflict(f, spec.column(f).header, o, t))
        self._emit(spec, r, r.uid, apply, conflicts, mine["_label"])

    def _new(self, session, spec, new: list[TheirRow]) -> None:
        counts: dict[str, int] = {}
        for r in new:
            theirs = self._theirs(spec, r)
            key = "|".join(theirs.get(c.field, "") for c in spec.merge_columns)
            counts[key] = counts.get(key, 0) + 1
            digest = hashlib.blake2b(
                f"{self.book.meta.workbook_uid}|{spec.code}|{key}|{counts[key]}".encode(),
                digest_size=16,
            ).hexdigest()
            if q.uid_states(session, spec.key, [digest]):
                self.plan.unchanged += 1  # read before: this new row already came in
                continue
            self._create(session, spec, r, theirs, uid=digest)

    def _create(self, session, spec, r: TheirRow, theirs: dict[str, str], uid: str = "") -> None:
        match, how = self._match(session, spec, theirs)
        if match:
            self.matched.add((spec.key, match))
            if uid:
                self.alias.setdefault(spec.key, {})[uid] = match
            mine = self._ours(session, spec, [match]).get(match)
            if mine is None:  # created earlier in this same workbook
                self.plan.warnings.append(
                    tr(
                        "{sheet} 第{row}行与本工作簿中前面的一行是同一{how}，已跳过。",
                        sheet=spec.name,
                        row=r.row,
                        how=how,
                    )
                )
                return
            if uid and how == "身份证号":
                self.plan.warnings.append(
                    tr(
                        "{sheet} 第{row}行的{label}按身份证号与本机已有的儿童是同一人，"
                        "已合并为一人。",
                        sheet=spec.name,
                        row=r.row,
                        label=mine["_label"],
                    )
                )
            if uid:  # from another installation: differences need a person's choice
                conflicts = [
                    FieldConflict(f, spec.column(f).header, mine.get(f, ""), t)
                    for f, t in theirs.items()
                    if mine.get(f, "") and t and mine.get(f, "") != t
                ]
                fill = {f: t for f, t in theirs.items() if t and not mine.get(f, "")}
            else:  # typed in there as new: the county means its values
                conflicts = []
                fill = {f: t for f, t in theirs.items() if t and mine.get(f, "") != t}
            note = tr("按{how}匹配", how=how)
            self._emit(spec, r, match, fill, conflicts, mine["_label"], note)
            return
        uid = uid or hashlib.blake2b(repr((r.row, theirs)).encode(), digest_size=16).hexdigest()
        self.plan.changes.append(RowChange(spec.key, spec.name, r.row, uid, "create", theirs))
        if spec.key in self.created:
            for k in _match_keys(spec, theirs):
                self.created[spec.key].setdefault(k, uid)

    def _match(self, session, spec, theirs) -> tuple[str | None, str]:
        if spec.key == "child" and theirs.get("id_number"):
            number = theirs["id_number"]
            found = q.child_uid_by_id_number(session, number)
            if found:
                return found, "身份证号"
            if f"id:{number}" in self.created["child"]:
                return self.created["child"][f"id:{number}"], "儿童"
        if spec.key == "volunteer" and theirs.get("name"):
            found = q.volunteer_uid_by_name_phone(session, theirs["name"], theirs.get("phone", ""))
            if found and theirs.get("phone"):
                return found, "姓名和手机"
            key = f"vol:{theirs['name']}|{theirs.get('phone', '')}"
            if key in self.created["volunteer"]:
                return self.created["volunteer"][key], "爱心妈妈"
        return None, ""

    def _deleted(self, session, spec, deleted: list[str], export_row: dict[str, int]) -> None:
        if not deleted:
            return
        ours = self._ours(session, spec, deleted)
        for uid in deleted:
            here = self.alias.get(spec.key, {}).get(uid, uid)
            mine = ours.get(here)
            # A row whose 编号 was lost (cleared, or the row typed again) but that still matched
            # this record by ID number has not been deleted there: --accept-deletions would
            # otherwise remove the very child the sheet still lists.
            if mine is not None and (spec.key, here) not in self.matched:
                self.plan.deletions.append(
                    RowDeletion(spec.key, spec.name, export_row[uid], uid, mine["_label"])
                )


_ENDED = ("ended_on", "end_reason")


def _match_keys(spec: SheetSpec, theirs: dict[str, str]) -> list[str]:
    if spec.key == "child":
        keys = [f"name:{theirs.get('name', '')}"]
        if theirs.get("id_number"):
            keys.append(f"id:{theirs['id_number']}")
        return keys
    return [f"vol:{theirs.get('name', '')}|{theirs.get('phone', '')}"]


# The 编号 carebook writes: uuid4().hex, or the 32-digit hash of a row added elsewhere.
_OWN_UID = re.compile(r"[0-9a-f]{32}")


def _typed_number(plan: MergePlan, spec: SheetSpec, r: TheirRow) -> TheirRow | None:
    """A row whose 编号 was typed there (a serial number, a note under the table): never one
    of ours, and never kept as an identity another workbook's row 1 would then merge into."""
    if not any(r.texts.values()):
        plan.warnings.append(
            tr(
                "{sheet} 第{row}行只有“编号”一列有字（{text}），看作备注，已跳过。",
                sheet=spec.name,
                row=r.row,
                text=r.uid[:30],
            )
        )
        return None
    plan.warnings.append(
        tr(
            "{sheet} 第{row}行的编号“{uid}”不是关爱簿的编号（新增的行编号应留空），已按新增读入。",
            sheet=spec.name,
            row=r.row,
            uid=r.uid[:30],
        )
    )
    return TheirRow(r.row, "", r.texts, r.problems)


# What no name, place or record holds but a line of remarks does.
_NOTE_MARKS = re.compile(r"[0-9０-９：:，,。；;！!？?（）()]")


def _note_row(plan: MergePlan, spec: SheetSpec, r: TheirRow) -> bool:
    """An added row with one cell filled, in words that are no record (注：以上数据截至11月底,
    填表人：李红): a remark typed under the table, skipped and said, not a child so named."""
    filled = [text for text in r.texts.values() if text]
    if len(filled) != 1:
        return False
    text = filled[0]
    # A Han name has at most a few characters; a longer one is joined with a dot (阿依古丽·买买提).
    long_words = len(text) > 8 and not any(dot in text for dot in "·•．・.")
    if not (is_footer((text,)) or _NOTE_MARKS.search(text) or long_words):
        return False
    plan.warnings.append(
        tr(
            "{sheet} 第{row}行只有一格有字（{text}），看作备注，已跳过。",
            sheet=spec.name,
            row=r.row,
            text=text[:30],
        )
    )
    return True


def _label(spec: SheetSpec, values: list[object]) -> str:
    fields = [c.field for c in spec.columns]
    for name in ("name", "child_name"):
        if name in fields:
            return str(values[fields.index(name)] or "")
    return ""


__all__ = [
    "FieldConflict",
    "MergePlan",
    "PasswordNeeded",
    "RowChange",
    "RowConflict",
    "RowDeletion",
    "plan_merge",
]
