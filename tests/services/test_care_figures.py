"""Statistics page figures against a hand-built county, children near an age limit, export."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

from carebook.services import care_figures as f
from carebook.services.assistance import AssistanceInput, record_assistance
from carebook.services.children import exit_register
from carebook.services.pairings import pair
from carebook.services.visits import VisitInput, log_visit
from tests.conftest import TODAY


def build(db, reg):
    boy = reg.child("东甲", sex="男", birth=date(2020, 5, 1))  # 6: 6–13
    girl = reg.child("东乙", birth=date(2012, 1, 10), categories=("孤儿",))  # 14: 14–16
    west = reg.child("西甲", sex="男", village="西村", birth=date(2023, 2, 2))  # 3: 0–5
    gone = reg.child("西乙", village="西村", registered_on=date(2026, 11, 2))
    exit_register(db, gone, on=date(2026, 11, 20), reason="迁出")
    vol = reg.volunteer()
    pair(db, [vol], [boy], started_on=date(2026, 2, 1), today=TODAY)
    log_visit(db, [boy], VisitInput(date(2026, 11, 3), visitor_name="李"), today=TODAY)
    log_visit(db, [girl], VisitInput(date(2026, 10, 3), visitor_name="李"), today=TODAY)
    log_visit(db, [girl], VisitInput(date(2025, 12, 3), visitor_name="李"), today=TODAY)
    record_assistance(
        db,
        [boy, west],
        AssistanceInput(date(2026, 11, 5), "春蕾计划", "书包", Decimal(1), Decimal("80.50")),
        today=TODAY,
    )
    return boy, girl, west


def test_overview_matches_hand_counts(db, reg):
    build(db, reg)
    view = f.overview(db, date(2026, 11, 1), date(2026, 11, 30), today=TODAY)
    p = view.period
    assert (p.in_register, p.paired, p.visits_in_period, p.joined, p.left) == (3, 1, 1, 1, 1)
    assert p.assistance_value == Decimal("161.00")
    by_village = {v.village: (v.in_register, v.by_category, v.paired) for v in view.villages}
    assert by_village == {
        "东村": (2, {"农村留守儿童": 1, "孤儿": 1}, 1),
        "西村": (1, {"农村留守儿童": 1}, 0),
    }
    assert view.age_sex == {("6–13岁", "男"): 1, ("14–16岁", "女"): 1, ("0–5岁", "男"): 1}
    assert p.coverage_by_category == {"农村留守儿童": 0.5, "孤儿": 0.0}
    months = dict(view.monthly_visits)
    assert len(months) == 12 and months["2026-11"] == 1 and months["2026-10"] == 1
    assert months["2025-12"] == 1 and "2025-11" not in months
    assert view.assistance_by_project == [("春蕾计划", 2, 161.0)]


def test_export_writes_every_table(db, reg, tmp_path):
    build(db, reg)
    view = f.overview(db, date(2026, 11, 1), date(2026, 11, 30), today=TODAY)
    path = f.export_figures(db, view, tmp_path / "统计")
    assert path.suffix == ".csv"
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert ["概况"] in rows and ["分村统计"] in rows and ["年龄段×性别"] in rows
    east = next(r for r in rows if r[:2] == ["宗艾镇", "东村"])
    # 2 in register; 1 visit in November; the orphan (monthly, last seen 3 Oct) is overdue.
    assert east[2] == "2" and east[-3:-1] == ["1", "1"]


def test_children_near_an_age_limit(db, reg):
    soon = reg.child("将满16", birth=date(2010, 12, 20))  # 16 on 2026-12-20
    later = reg.child("晚些", birth=date(2011, 6, 1))  # 16 on 2027-06-01: outside 90 days
    orphan = reg.child("孤儿将满18", birth=date(2009, 1, 15), categories=("孤儿",))
    both = reg.child(
        "两类", birth=date(2010, 12, 1), categories=("农村留守儿童", "困境儿童（家庭经济困难）")
    )
    rows = f.near_age_limit(db, today=TODAY)
    found = {r.uid: r for r in rows}
    assert later not in found
    assert found[soon].leaving == (("农村留守儿童", date(2026, 12, 20)),)
    assert found[soon].leaves_register
    assert found[orphan].first_limit == date(2027, 1, 15)
    assert not found[both].leaves_register  # still a 困境儿童 until 18
    assert [r.uid for r in rows] == [both, soon, orphan]


def test_the_one_pass_figures_equal_the_shared_statistics_service(demo_db):
    from carebook.services.statistics import period_figures, village_figures

    for start, end in ((date(2026, 10, 1), date(2026, 12, 31)), (date(2025, 1, 1), TODAY)):
        view = f.overview(demo_db, start, end, today=TODAY)
        assert view.period == period_figures(demo_db, start, end, today=TODAY)
        assert view.villages == village_figures(demo_db, start, end, today=TODAY)
        assert sum(view.age_sex.values()) == view.period.in_register


def test_age_bands_by_birth_ranges_match_age_arithmetic(db, reg):
    from carebook.domain.dates import age_on, county_age_band

    births = [
        date(2012, 2, 29),
        date(2012, 2, 28),
        date(2012, 3, 1),
        date(2010, 12, 1),
        date(2020, 1, 1),
        date(2014, 2, 28),
        date(2009, 3, 1),
    ]
    for n, birth in enumerate(births):
        reg.child(f"童{n}", birth=birth, categories=("困境儿童（家庭经济困难）",))
    for today in (date(2026, 2, 28), date(2026, 3, 1), date(2028, 2, 29), date(2026, 11, 28)):
        expected: dict = {}
        for birth in births:
            key = (county_age_band(age_on(birth, today)), "女")
            expected[key] = expected.get(key, 0) + 1
        assert f._age_sex(db, today) == expected, today


def test_the_village_table_ends_with_a_total_row_that_adds_up(db, reg, tmp_path):
    # The county adds the villages up; the exchange workbook's 统计 sheet had a 合计 row and the
    # statistics table exported from the 统计 page did not.
    build(db, reg)
    view = f.overview(db, date(2026, 11, 1), date(2026, 11, 30), today=TODAY)
    text = f.export_figures(db, view, tmp_path / "统计").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    start = rows.index(["分村统计"]) + 1
    header, body = rows[start], []
    for row in rows[start + 1 :]:
        if not row:
            break
        body.append(row)
    *villages, total = body
    assert total[:2] == ["合计", ""]
    for n, title in enumerate(header[2:], start=2):
        if title == "覆盖率":
            assert total[n] == f"{view.period.paired / view.period.in_register:.1%}"
        else:
            assert int(total[n]) == sum(int(v[n]) for v in villages), title
    assert int(total[2]) == view.period.in_register
