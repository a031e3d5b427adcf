"""Reading a county workbook back: the contract's nine rules, each with its own test."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from carebook.domain.records import ChildFacts
from carebook.services import county_apply, county_apply_rows
from carebook.services.audit import history
from carebook.services.children import get_child, register_child, update_child
from carebook.services.county_merge import plan_merge
from carebook.services.progress import run_to_end
from carebook.storage import exchange_queries as q
from carebook.storage.tables import Child
from tests.conftest import child_facts
from tests.services.county_helpers import TODAY, Clerk, export, merge

ID_A = "110105201503120025"
ID_B = "11010520120415003X"
ID_C = "140702201601010013"


@pytest.fixture
def town(db):
    """A township with two children registered through the services."""
    a = register_child(db, child_facts(), today=TODAY)
    b = register_child(
        db,
        child_facts(name="李浩然", id_number=ID_B, village="西村", guardian_phone="13700001111"),
        today=TODAY,
    )
    return db, a.uid, b.uid


def _book(tmp_path, db, **options):
    path = tmp_path / "county.xlsx"
    export(db, path, **options)
    return path


def _merge_entries(db, uid):
    return [e for e in history(db, uid) if e.source.startswith("合并:")]


def test_rule1_a_workbook_nobody_changed_changes_nothing(town, tmp_path):
    db, a, _b = town
    path = _book(tmp_path, db)
    plan, result = merge(db, path)
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)
    assert result.unchanged == plan.rows == 2
    assert not plan.conflicts and not result.errors
    assert _merge_entries(db, a) == []


def test_rule1_demo_county_round_trip_is_all_unchanged(demo_db, tmp_path):
    path = _book(tmp_path, demo_db)
    plan, result = merge(demo_db, path)
    assert plan.rows > 3000
    assert result.unchanged == plan.rows
    assert (result.created, result.updated, len(plan.conflicts)) == (0, 0, 0)


def test_rule2_change_there_applied_change_here_kept(town, tmp_path):
    db, a, b = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.set("儿童", a, "监护人电话", "13900002222")
    clerk.save()
    update_child(
        db,
        b,
        get_child(db, b).facts.__class__(
            **{**get_child(db, b).facts.as_dict(), "school": "西村小学"}
        ),
        today=TODAY,
    )
    _plan, result = merge(db, path)
    assert result.updated == 1
    assert get_child(db, a).facts.guardian_phone == "13900002222"
    assert get_child(db, b).facts.school == "西村小学"  # changed only here: kept
    changes = _merge_entries(db, a)
    assert [(e.field, e.old_value, e.new_value) for e in changes] == [
        ("监护人电话", "138****5678", "139****2222")
    ]


def test_rule2_clean_merge_of_different_fields_of_one_row(town, tmp_path):
    db, a, _ = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.set("儿童", a, "监护人电话", "13900002222")
    clerk.save()
    facts = get_child(db, a).facts
    update_child(db, a, ChildFacts(**{**facts.as_dict(), "school": "东村小学"}), today=TODAY)
    plan, _result = merge(db, path)
    assert not plan.conflicts
    after = get_child(db, a).facts
    assert (after.guardian_phone, after.school) == ("13900002222", "东村小学")


def test_rule3_both_changed_same_field_is_a_conflict_until_resolved(town, tmp_path):
    db, a, _ = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.set("儿童", a, "监护人电话", "13900002222")
    clerk.save()
    facts = get_child(db, a).facts
    update_child(
        db, a, ChildFacts(**{**facts.as_dict(), "guardian_phone": "13655556666"}), today=TODAY
    )
    plan, result = merge(db, path)
    assert [c.to_json() for c in plan.conflicts] == [
        {
            "sheet": "儿童",
            "row": 2,
            "uid": a,
            "name": get_child(db, a).facts.name,
            "fields": {"监护人电话": ["13655556666", "13900002222"]},
        }
    ]
    assert result.open_conflicts == 1
    assert get_child(db, a).facts.guardian_phone == "13655556666"  # nothing overwritten
    merge(db, path, prefer="ours")
    assert get_child(db, a).facts.guardian_phone == "13655556666"
    merge(db, path, choices={(a, "guardian_phone"): "theirs"})
    assert get_child(db, a).facts.guardian_phone == "13900002222"


def test_rule4_new_row_matched_by_id_number_first(town, tmp_path):
    db, a, _ = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.add(
        "儿童",
        {
            "姓名": "张子涵",
            "公民身份号码": ID_A,
            "乡镇": "宗艾镇",
            "村（社区）": "东村",
            "就读学校": "宗艾镇中心小学",
        },
    )
    clerk.add(
        "儿童",
        {
            "姓名": "王小雨",
            "公民身份号码": ID_C,
            "乡镇": "宗艾镇",
            "村（社区）": "东村",
            "儿童类别": "留守",
            "关爱等级": "重点",
        },
    )
    clerk.save()
    _plan, result = merge(db, path)
    assert (result.created, result.updated) == (1, 1)
    assert get_child(db, a).facts.school == "宗艾镇中心小学"  # known child updated
    with db.reading() as s:
        new_uid = q.child_uid_by_id_number(s, ID_C)
    new = get_child(db, new_uid)
    assert (new.facts.name, new.facts.categories, new.facts.care_level) == (
        "王小雨",
        ("农村留守儿童",),
        "重点",
    )
    assert new.facts.birth_date == date(2016, 1, 1)


def test_rule5_a_row_typed_again_without_its_number_is_not_a_deletion(town, tmp_path):
    db, _a, b = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.delete("儿童", b)  # the county deleted the row and typed the child in again
    clerk.add(
        "儿童",
        {"乡镇": "宗艾镇", "村（社区）": "西村", "姓名": "李浩然", "公民身份号码": ID_B,
         "儿童类别": "农村留守儿童"},
    )  # fmt: skip
    clerk.save()
    plan, result = merge(db, path, accept_deletions=True)
    assert plan.deletions == [] and result.deleted == 0
    assert get_child(db, b).facts.name == "李浩然"  # still in the register


def test_rule5_a_visit_deleted_there_moves_the_childs_last_visit_back(town, tmp_path):
    from carebook.services.visits import VisitInput, log_visit

    db, a, _b = town
    log_visit(db, [a], VisitInput(date(2026, 5, 10), visitor_name="李主任"), today=TODAY)
    (latest,) = log_visit(
        db, [a], VisitInput(date(2026, 9, 20), visitor_name="李主任"), today=TODAY
    )
    assert get_child(db, a).last_visit_on == date(2026, 9, 20)
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.delete("走访记录", latest)  # entered by mistake: the county removed it
    clerk.save()
    _plan, result = merge(db, path, accept_deletions=True)
    assert result.deleted == 1
    child = get_child(db, a)
    assert child.last_visit_on == date(2026, 5, 10)  # not the deleted visit's date
    assert child.next_due_on is not None and child.next_due_on < date(2026, 12, 20)


def test_rule5_deleted_there_reported_and_removed_only_when_accepted(town, tmp_path):
    db, _a, b = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.delete("儿童", b)
    clerk.save()
    plan, result = merge(db, path)
    assert [d.to_json() for d in plan.deletions] == [
        {"sheet": "儿童", "row": 3, "uid": b, "name": "李浩然"}
    ]
    assert result.deleted == 0 and get_child(db, b).facts.name == "李浩然"
    plan, result = merge(db, path, accept_deletions=True)
    assert result.deleted == 1
    with db.reading() as s:
        row = q.row_by_uid(s, "child", b, with_deleted=True)
        assert row.deleted_at is not None and row.name == "李浩然"  # marked, not erased


def test_rule6_reading_the_same_workbook_twice_changes_nothing_the_second_time(demo_db, tmp_path):
    path = _book(tmp_path, demo_db)
    clerk = Clerk(path)
    ws = clerk.sheet("儿童")
    uid = ws.cell(2, 1).value
    last_before = get_child(demo_db, uid).last_visit_on
    child_uid_col = clerk.col("走访记录", "儿童编号")
    clerk.set("儿童", uid, "备注", "县里核实过")
    clerk.add(
        "儿童", {"姓名": "王小雨", "公民身份号码": ID_C, "乡镇": "宗艾镇", "村（社区）": "东村"}
    )
    clerk.add(
        "走访记录",
        {
            "儿童编号": uid,
            "走访日期": date(2026, 11, 20),
            "走访方式": "电话联系",
            "走访人": "县妇联",
            "生活情况": "正常",
        },
    )
    assert child_uid_col
    clerk.save()
    _, first = merge(demo_db, path)
    assert (first.created, first.updated) == (2, 1)
    plan, second = merge(demo_db, path)
    assert (second.created, second.updated, len(plan.conflicts)) == (0, 0, 0)
    assert second.unchanged == plan.rows
    # The county's visit counts towards the schedule unless the child has a later one already.
    expected = max(d for d in (last_before, date(2026, 11, 20)) if d is not None)
    assert get_child(demo_db, uid).last_visit_on == expected


def test_rule8_backup_first_and_one_transaction(town, tmp_path, monkeypatch):
    db, a, b = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.set("儿童", a, "监护人电话", "13900002222")
    clerk.add("走访记录", {"儿童编号": b, "走访日期": date(2026, 11, 2), "走访方式": "入户走访"})
    clerk.save()
    backups = tmp_path / "bk"

    def broken(self, session, change):
        raise RuntimeError("disk full")

    monkeypatch.setattr(county_apply_rows.RowWork, "_visit", broken)
    with pytest.raises(RuntimeError):
        merge(db, path, backups_dir=backups)
    assert list(backups.glob("carebook-merge-*.db"))
    assert get_child(db, a).facts.guardian_phone == "13812345678"  # rolled back as one
    monkeypatch.undo()
    _, result = merge(db, path, backups_dir=backups)
    assert result.updated == 1 and result.created == 1


def test_rule9_bad_cells_reported_as_excel_shows_them_and_change_nothing(town, tmp_path):
    db, a, b = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.set("儿童", a, "公民身份号码", "110105201503120026")  # wrong check digit
    clerk.set("儿童", a, "监护人姓名", "张三")
    clerk.add("走访记录", {"儿童编号": b, "走访日期": "2026年13月45日", "走访方式": "入户走访"})
    clerk.save()
    _plan, result = merge(db, path)
    assert len(result.errors) == 2
    assert result.errors[0].startswith("儿童 第2行 G列（公民身份号码）：")
    assert result.errors[1].startswith("走访记录 第2行 D列（走访日期）：")
    assert get_child(db, a).facts.guardian_name == "张桂兰"  # the bad row changed nothing
    assert result.created == 0


def test_rule7_county_from_two_townships_and_back(tmp_path, isolated_home):
    from carebook.storage.database import open_database

    def fresh(name):
        return open_database(f"sqlite:///{tmp_path / name}.db", backups_dir=tmp_path / "bk")

    east, west, county = fresh("east"), fresh("west"), fresh("county")
    try:
        a = register_child(east, child_facts(), today=TODAY).uid
        register_child(east, child_facts(name="李浩然", id_number=ID_B), today=TODAY)
        register_child(
            west,
            child_facts(name="王小雨", id_number=ID_C, township="朝阳镇", village="北村"),
            today=TODAY,
        )
        # The same child, also on the west township's list (she moved).
        register_child(
            west, child_facts(township="朝阳镇", village="北村", guardian_phone=""), today=TODAY
        )
        export(east, tmp_path / "east.xlsx")
        export(west, tmp_path / "west.xlsx")
        _, r1 = merge(county, tmp_path / "east.xlsx")
        plan2, r2 = merge(county, tmp_path / "west.xlsx")
        assert (r1.created, r2.created) == (2, 1)
        assert any("同一人" in w for w in plan2.warnings)
        with county.reading() as s:
            assert q.count_records(s, "child", None) == 3
        # The county corrects a phone and sends the east township its own list back.
        facts = get_child(county, a).facts
        update_child(
            county, a, ChildFacts(**{**facts.as_dict(), "father_phone": "13911112222"}), today=TODAY
        )
        export(county, tmp_path / "for-east.xlsx", township="宗艾镇")
        plan, result = merge(east, tmp_path / "for-east.xlsx")
        assert not plan.conflicts and not result.errors
        assert (result.created, result.updated) == (0, 1)
        assert get_child(east, a).facts.father_phone == "13911112222"
        assert [e.field for e in _merge_entries(east, a)] == ["父亲电话"]
    finally:
        for d in (east, west, county):
            d.close()


def test_a_masked_workbook_from_elsewhere_warns_its_new_children_have_no_id(tmp_path):
    from carebook.storage.database import open_database

    def fresh(name):
        return open_database(f"sqlite:///{tmp_path / name}.db", backups_dir=tmp_path / "bk")

    west, county, other = fresh("west"), fresh("county"), fresh("other")
    try:
        register_child(west, child_facts(name="王小雨", id_number=ID_C), today=TODAY)
        export(west, tmp_path / "west.xlsx", mask_ids=True)
        plan, result = merge(county, tmp_path / "west.xlsx")
        assert result.created == 1
        assert any("新增的 1 名儿童没有身份证号" in w for w in plan.warnings)
        export(west, tmp_path / "again.xlsx")  # unmasked: nothing is said
        plan, _ = merge(other, tmp_path / "again.xlsx")
        assert not any("身份证号" in w for w in plan.warnings)
    finally:
        for d in (west, county, other):
            d.close()


def test_dry_run_reports_and_changes_nothing(town, tmp_path):
    db, a, _ = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.set("儿童", a, "监护人电话", "13900002222")
    clerk.save()
    plan = run_to_end(plan_merge(db, path))
    result = run_to_end(county_apply.apply_merge(db, plan, backups_dir=tmp_path, dry_run=True))
    assert result.updated == 1 and not result.applied
    assert get_child(db, a).facts.guardian_phone == "13812345678"


def test_a_remark_typed_under_the_table_is_no_new_child(town, tmp_path):
    db, _a, _b = town
    path = _book(tmp_path, db)
    clerk = Clerk(path)
    clerk.add("儿童", {"姓名": "注：以上数据截至2026年11月底"})
    clerk.add("儿童", {"姓名": "填表人李红"})
    clerk.add("儿童", {"姓名": "王小雨"})  # a child named, the rest to come: a child
    clerk.add("爱心妈妈", {"姓名": "以上名单经乡镇妇联审核"})
    clerk.save()
    plan, result = merge(db, path)
    assert result.created == 1
    with db.reading() as s:
        names = set(s.scalars(select(Child.name)))
    assert "王小雨" in names and not {n for n in names if "注" in n or "填表" in n}
    skipped = [w for w in plan.warnings if "看作备注" in w]
    assert len(skipped) == 3 and "注：以上数据截至" in skipped[0]
