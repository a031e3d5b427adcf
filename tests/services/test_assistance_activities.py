"""Assistance ledger and totals, user projects, and activities whose goods reach every child."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from carebook.services import activities as act
from carebook.services import assistance as a
from carebook.services.errors import ValidationError
from tests.conftest import TODAY


def test_ledger_totals_by_project_provider_and_month(db, reg):
    x, y = reg.child("甲"), reg.child("乙")
    a.record_assistance(
        db,
        [x, y],
        a.AssistanceInput(date(2026, 10, 2), "春蕾计划", "助学金", None, Decimal(500), "县妇联"),
        today=TODAY,
    )
    a.record_assistance(
        db,
        [x],
        a.AssistanceInput(
            date(2026, 11, 2), "小候鸟", "车票", Decimal(2), Decimal("120.5"), "爱心企业"
        ),
        today=TODAY,
    )
    book = a.ledger(db, start=date(2026, 10, 1), end=date(2026, 11, 30))
    assert book.total_value == Decimal("1120.50")
    assert [(t.key, t.records, t.value) for t in book.by_project] == [
        ("春蕾计划", 2, Decimal("1000.00")),
        ("小候鸟", 1, Decimal("120.50")),
    ]
    assert [t.key for t in book.by_month] == ["2026-10", "2026-11"]
    assert {t.key: t.records for t in book.by_provider} == {"县妇联": 2, "爱心企业": 1}
    assert len(a.ledger(db, project="小候鸟").rows) == 1
    assert len(a.assistance_of_child(db, x)) == 2


def test_amounts_and_projects(db):
    assert a.parse_amount("￥1,200元", "value_yuan", "价值") == Decimal("1200.00")
    assert a.parse_amount(" ", "value_yuan", "价值") is None
    with pytest.raises(ValidationError, match="不是数字"):
        a.parse_amount("一百", "value_yuan", "价值")
    assert "县护苗行动" not in a.projects(db)
    names = a.add_project(db, "县护苗行动")
    assert names[:5] == ["春蕾计划", "公益玫瑰", "小候鸟", "爱心妈妈结对", "其他"]
    assert "县护苗行动" in names and a.add_project(db, "县护苗行动").count("县护苗行动") == 1


def test_activity_goods_become_one_assistance_record_per_child(db, reg):
    school_kids = [reg.child(n, school="中心小学") for n in ("甲", "乙", "丙")]
    reg.child("丁", school="村小")
    vol = reg.volunteer()
    picked = act.pick_children(db, school="中心小学")
    assert sorted(p.uid for p in picked) == sorted(school_kids)
    uid = act.record_activity(
        db,
        act.ActivityInput(date(2026, 11, 20), "冬季送温暖", organiser="县妇联", place="中心小学"),
        [p.uid for p in picked],
        [vol],
        act.Goods("棉被", project="其他", value_each=Decimal(150)),
        today=TODAY,
    )
    detail = act.get_activity(db, uid)
    assert (detail.row.children, detail.row.volunteers, detail.row.value) == (3, 1, Decimal(450))
    assert detail.volunteers == [(vol, "王秀英", "东村")]  # her village, as the children's
    for child in school_kids:
        [gift] = a.assistance_of_child(db, child)
        assert (gift.content, gift.value_yuan, gift.provider, gift.activity) == (
            "棉被",
            Decimal(150),
            "县妇联",
            "冬季送温暖",
        )
    assert [t[2] for t in act.activities_of_volunteer(db, vol)] == ["冬季送温暖"]


def test_activity_refusals(db, reg):
    child = reg.child()
    with pytest.raises(ValidationError) as error:
        act.record_activity(db, act.ActivityInput(date(2027, 1, 1), " "), [], today=TODAY)
    assert set(error.value.problems) == {"title", "held_on", "children"}
    with pytest.raises(ValidationError, match="内容"):
        act.record_activity(
            db, act.ActivityInput(TODAY, "讲座"), [child], goods=act.Goods(" "), today=TODAY
        )
    assert act.list_activities(db) == []


@pytest.mark.parametrize("text", ["nan", "NaN元", "sNaN", "-0"])
def test_an_amount_that_is_no_number_is_refused_in_words(text):
    """'NaN' (a blank cell pasted from a spreadsheet) raised decimal.InvalidOperation: the form
    crashed instead of saying what was wrong; '-0' was kept as -0.00."""
    if text == "-0":
        assert str(a.parse_amount(text, "quantity", "数量")) == "0.00"
        return
    with pytest.raises(ValidationError, match="不是数字"):
        a.parse_amount(text, "quantity", "数量")
