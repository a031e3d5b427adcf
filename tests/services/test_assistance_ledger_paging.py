"""The 帮扶 ledger read a page at a time: figures always cover the whole filter, not the page."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import update

from carebook.services import assistance as a
from carebook.storage.tables import Child
from tests.conftest import TODAY

FILTER_2025 = a.AssistanceFilter(start=date(2025, 1, 1), end=date(2025, 12, 31))


def _give(db, children, day, project, content, value, provider="") -> None:
    item = a.AssistanceInput(day, project, content, None, value, provider)
    a.record_assistance(db, children, item, today=TODAY)


def _county(db, reg) -> dict[str, str]:
    kids = {name: reg.child(name) for name in ("王小明", "李娟", "赵强")}
    # 0.10 + 0.20 is not 0.30 in floating point: the sums must still come out exact.
    for month in range(1, 13):
        _give(db, [kids["王小明"]], date(2025, month, 3), "春蕾计划", "助学金", Decimal("0.10"))
        _give(
            db,
            [kids["李娟"]],
            date(2025, month, 9),
            "小候鸟",
            "学习用品",
            Decimal("0.20"),
            "县妇联",
        )
    _give(db, [kids["赵强"]], date(2024, 12, 30), "其他", "冬衣", Decimal("99.99"), "县妇联")
    _give(db, [kids["赵强"]], date(2025, 6, 1), "其他", "冬衣", None)  # no value: counted, 0 元
    return kids


def test_summary_counts_the_whole_filter_however_few_rows_are_read(db, reg) -> None:
    _county(db, reg)
    summary = a.ledger_summary(db, FILTER_2025)
    first = a.ledger_page(db, FILTER_2025, limit=5)
    assert len(first) == 5
    assert (summary.records, summary.children) == (25, 3)
    assert summary.total_value == Decimal("3.60")  # 12 x 0.10 + 12 x 0.20, not 2024's 99.99
    assert [(t.key, t.records, t.value) for t in summary.by_project] == [
        ("小候鸟", 12, Decimal("2.40")),
        ("春蕾计划", 12, Decimal("1.20")),
        ("其他", 1, Decimal("0.00")),
    ]
    assert {t.key: t.records for t in summary.by_provider} == {"县妇联": 12, "（未填）": 13}
    assert [t.key for t in summary.by_month] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert summary.by_month[5].records == 3  # June: both children's, and 赵强's winter coat
    every = a.ledger_page(db, FILTER_2025)
    assert len(every) == summary.records
    assert sum((r.value_yuan or 0 for r in every), Decimal(0)) == summary.total_value


def test_pages_follow_each_other_newest_first_and_sort_the_whole_filter(db, reg) -> None:
    _county(db, reg)
    pages = [a.ledger_page(db, FILTER_2025, offset=n, limit=10) for n in (0, 10, 20)]
    assert [len(p) for p in pages] == [10, 10, 5]
    rows = [r for p in pages for r in p]
    assert len({r.uid for r in rows}) == 25
    assert [r.given_on for r in rows] == sorted((r.given_on for r in rows), reverse=True)
    # A header click sorts in SQL: the largest value of the whole year comes first, not of a page.
    top = a.ledger_page(db, FILTER_2025, limit=1, sort=("value_yuan", True))
    assert top[0].value_yuan == Decimal("0.20") and top[0].given_on == date(2025, 12, 9)
    for descending in (True, False):  # the coat of no recorded value comes last both ways
        order = a.ledger_page(db, FILTER_2025, sort=("value_yuan", descending))
        assert order[-1].value_yuan is None and order[0].value_yuan is not None
    by_child = a.ledger_page(db, FILTER_2025, limit=25, sort=("child_name", False))
    assert [r.child_name for r in by_child][:1] == ["李娟"]  # by pinyin: li < wang < zhao
    assert by_child[-1].child_name == "赵强"


def test_search_and_filters_narrow_the_figures_too(db, reg) -> None:
    kids = _county(db, reg)
    for text, records in (("王小明", 12), ("wxm", 12), ("学习", 12), ("冬衣", 1), ("无此人", 0)):
        wanted = a.AssistanceFilter(start=date(2025, 1, 1), end=date(2025, 12, 31), search=text)
        summary = a.ledger_summary(db, wanted)
        assert summary.records == records, text
        assert len(a.ledger_page(db, wanted)) == records
    wanted = a.AssistanceFilter(start=date(2025, 1, 1), end=date(2025, 12, 31), provider="县妇联")
    assert a.ledger_summary(db, wanted).total_value == Decimal("2.40")
    assert a.ledger_summary(db, a.AssistanceFilter(project="其他")).total_value == Decimal("99.99")
    # A record deleted, or the register entry of its child deleted, is in no figure.
    uid = a.ledger_page(db, wanted, limit=1)[0].uid
    a.delete_assistance(db, uid)
    assert a.ledger_summary(db, wanted).records == 11
    with db.transaction() as session:  # as a county merge deletes a child
        session.execute(
            update(Child).where(Child.uid == kids["赵强"]).values(deleted_at=datetime.now())
        )
    assert a.ledger_summary(db, a.AssistanceFilter(project="其他")).records == 0
    empty = a.ledger_summary(db, a.AssistanceFilter(start=date(2030, 1, 1), end=date(2030, 1, 2)))
    assert (empty.records, empty.children, empty.total_value, empty.by_month) == (0, 0, 0, [])
