"""帮扶记录: goods, money or services given to children; the ledger and its totals; projects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from carebook.domain.people import ASSISTANCE_PROJECTS
from carebook.i18n import tr
from carebook.services.audit import Origin, entry
from carebook.services.errors import NotFoundError, ValidationError
from carebook.storage import assistance_queries as aq
from carebook.storage import audit as audit_store
from carebook.storage import care_queries as cq
from carebook.storage import ledger_queries as lq
from carebook.storage.assistance_queries import AssistanceFilter
from carebook.storage.database import Database
from carebook.storage.tables import Assistance

ENTITY = "assistance"
MAX_VALUE = Decimal("10000000")


@dataclass(frozen=True)
class AssistanceInput:
    given_on: date
    project: str
    content: str
    quantity: Decimal | None = None
    value_yuan: Decimal | None = None  # per child
    provider: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AssistanceRow:
    uid: str
    child_uid: str
    child_name: str
    village: str
    given_on: date
    project: str
    content: str
    quantity: Decimal | None
    value_yuan: Decimal | None
    provider: str
    activity: str


@dataclass(frozen=True)
class Total:
    key: str
    records: int
    value: Decimal


@dataclass(frozen=True)
class LedgerSummary:
    """The figures of a filter: every record it keeps counts, not only those shown."""

    records: int
    children: int
    total_value: Decimal
    by_project: list[Total]
    by_provider: list[Total]
    by_month: list[Total]


@dataclass(frozen=True)
class Ledger:
    rows: list[AssistanceRow]
    total_value: Decimal
    by_project: list[Total]
    by_provider: list[Total]
    by_month: list[Total]


def quantity_text(value: Decimal | None) -> str:
    """A count as people write it: 1 (not the stored 1.00), 2.5, 1200."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def parse_amount(text: str, field: str, label: str) -> Decimal | None:
    """A quantity or yuan amount typed by a worker (1,200 / ￥80 / 80元); None when empty."""
    cleaned = str(text or "").strip().replace(",", "").replace("，", "")
    for mark in ("￥", "¥", "元", "套", "件", "个"):
        cleaned = cleaned.replace(mark, "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if value.is_nan():  # 'NaN' parses, then raised InvalidOperation on comparing it below
        raise ValidationError(
            {field: tr("{label}“{text}”不是数字。", label=tr(label), text=text)}
        ) from None
    if value < 0 or value > MAX_VALUE or not value.is_finite():
        raise ValidationError(
            {field: tr("{label}“{text}”超出合理范围。", label=tr(label), text=text)}
        )
    return (
        abs(value).quantize(Decimal("0.01")) if value.is_zero() else value.quantize(Decimal("0.01"))
    )


def check_assistance(item: AssistanceInput, today: date) -> AssistanceInput:
    problems: dict[str, str] = {}
    if item.given_on > today:
        problems["given_on"] = tr("帮扶日期不能晚于今天。")
    if not item.project.strip():
        problems["project"] = tr("请选择帮扶项目。")
    if not item.content.strip():
        problems["content"] = tr("请填写帮扶内容（如 学习用品、助学金）。")
    for name, label in (("quantity", tr("数量")), ("value_yuan", tr("价值"))):
        value = getattr(item, name)
        if value is not None and (value < 0 or value > MAX_VALUE):
            problems[name] = tr("{label}超出合理范围。", label=label)
    if problems:
        raise ValidationError(problems)
    return AssistanceInput(
        item.given_on,
        item.project.strip(),
        item.content.strip(),
        item.quantity,
        item.value_yuan,
        item.provider.strip(),
        item.notes.strip(),
    )


def new_assistance_rows(
    session, child_ids: Sequence[int], item: AssistanceInput, activity_id: int | None, now
) -> list[Assistance]:
    rows = [
        Assistance(
            child_id=cid,
            given_on=item.given_on,
            project=item.project,
            content=item.content,
            quantity=item.quantity,
            value_yuan=item.value_yuan,
            provider=item.provider,
            activity_id=activity_id,
            notes=item.notes,
            created_at=now,
            updated_at=now,
        )
        for cid in child_ids
    ]
    session.add_all(rows)
    session.flush()
    return rows


def record_assistance(
    db: Database,
    child_uids: Sequence[str],
    item: AssistanceInput,
    *,
    origin: Origin = Origin(),
    today: date | None = None,
) -> list[str]:
    """One assistance record per child (the same help to several children is one action)."""
    if not child_uids:
        raise ValidationError({"children": tr("请至少选择一名儿童。")})
    clean = check_assistance(item, today or date.today())
    now = datetime.now()
    with db.transaction() as session:
        children = cq.children_by_uid(session, child_uids)
        if len(children) != len(set(child_uids)):
            raise NotFoundError(tr("所选儿童有的已被删除，请重新选择。"))
        rows = new_assistance_rows(session, [c.id for c in children], clean, None, now)
        audit_store.add_entries(
            session,
            [
                entry(origin, "create", ENTITY, r.uid, new=f"{c.name} {clean.content}", at=now)
                for r, c in zip(rows, children, strict=True)
            ],
        )
        return [r.uid for r in rows]


def delete_assistance(db: Database, uid: str, *, origin: Origin = Origin()) -> None:
    with db.transaction() as session:
        row = lq.assistance_by_uid(session, uid)
        if row is None:
            raise NotFoundError(tr("找不到这条帮扶记录，可能已被删除。"))
        row.deleted_at = row.updated_at = datetime.now()
        audit_store.add_entries(
            session, [entry(origin, "delete", ENTITY, uid, old=f"{row.given_on} {row.content}")]
        )


def _rows(rows: list[tuple]) -> list[AssistanceRow]:
    return [
        AssistanceRow(u, cu, cn, v or "", d, p, c, q, val, pr or "", a or "")
        for u, cu, cn, v, d, p, c, q, val, pr, a in rows
    ]


def _dec(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _yuan(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


# AssistanceRow field -> column of assistance_queries.ledger_rows, for sorting in SQL.
SORT_COLUMNS = {
    "child_name": 2,
    "village": 3,
    "given_on": 4,
    "project": 5,
    "content": 6,
    "quantity": 7,
    "value_yuan": 8,
    "provider": 9,
    "activity": 10,
}


def ledger_summary(db: Database, wanted: AssistanceFilter) -> LedgerSummary:
    """How many records, children and yuan the filter keeps, and its totals by project,
    provider and month: all summed in SQL over the whole filter, however few rows are shown."""
    with db.reading() as session:
        groups = aq.ledger_groups(session, wanted)
        children = aq.ledger_children(session, wanted) if groups else 0
    buckets: tuple[dict[str, list[int]], ...] = ({}, {}, {})
    for project, provider, month, records, cents in groups:
        for bucket, key in zip(buckets, (project, provider or tr("（未填）"), month), strict=True):
            slot = bucket.setdefault(key, [0, 0])
            slot[0] += records
            slot[1] += cents

    def totals(bucket: dict[str, list[int]]) -> list[Total]:
        return [Total(k, n, _yuan(c)) for k, (n, c) in bucket.items()]

    by_project, by_provider, by_month = (totals(b) for b in buckets)
    largest_first = lambda t: (-t.value, -t.records, t.key)  # noqa: E731
    return LedgerSummary(
        records=sum(g[3] for g in groups),
        children=children,
        total_value=_yuan(sum(g[4] for g in groups)),
        by_project=sorted(by_project, key=largest_first),
        by_provider=sorted(by_provider, key=largest_first),
        by_month=sorted(by_month, key=lambda t: t.key),
    )


def ledger_page(
    db: Database,
    wanted: AssistanceFilter,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: tuple[str, bool] | None = None,
) -> list[AssistanceRow]:
    """The filter's records newest first, or by sort = (AssistanceRow field, descending);
    offset/limit give one page of the list."""
    order = None if sort is None else (SORT_COLUMNS[sort[0]], sort[1])
    with db.reading() as session:
        return _rows(aq.ledger_rows(session, wanted, offset=offset, limit=limit, sort=order))


def ledger(
    db: Database,
    *,
    start: date | None = None,
    end: date | None = None,
    project: str = "",
    provider: str = "",
) -> Ledger:
    """Every record in the period (and filter) with totals by project, provider and month."""
    wanted = AssistanceFilter(start=start, end=end, project=project, provider=provider)
    summary = ledger_summary(db, wanted)
    return Ledger(
        rows=ledger_page(db, wanted),
        total_value=summary.total_value,
        by_project=summary.by_project,
        by_provider=summary.by_provider,
        by_month=summary.by_month,
    )


def assistance_of_child(db: Database, child_uid: str) -> list[AssistanceRow]:
    with db.reading() as session:
        child = cq.children_by_uid(session, [child_uid])
        if not child:
            raise NotFoundError(tr("找不到这名儿童，可能已被删除。"))
        return _rows(aq.child_rows(session, child[0].id))


def projects(db: Database) -> list[str]:
    """The fixed projects, then the worker's own, then any others found in the records."""
    with db.reading() as session:
        names = [*ASSISTANCE_PROJECTS, *lq.saved_projects(session), *lq.used_projects(session)]
    return list(dict.fromkeys(names))


def providers(db: Database) -> list[str]:
    with db.reading() as session:
        return lq.used_providers(session)


def add_project(db: Database, name: str, *, origin: Origin = Origin()) -> list[str]:
    """Add a local project (e.g. 县“护苗”行动) to the choices; returns the new list."""
    name = name.strip()
    if not name:
        raise ValidationError({"project": tr("请填写项目名称。")})
    if len(name) > 40:
        raise ValidationError({"project": tr("项目名称不能超过 40 个字。")})
    with db.transaction() as session:
        saved = lq.saved_projects(session)
        if name not in saved and name not in ASSISTANCE_PROJECTS:
            lq.save_projects(session, [*saved, name])
            audit_store.add_entries(session, [entry(origin, "create", "project", "", new=name)])
    return projects(db)
