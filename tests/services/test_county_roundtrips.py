"""Round trips through edits a county clerk makes in Excel, each asserting exactly what changed."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from carebook.domain.records import ChildFacts
from carebook.services.audit import history
from carebook.services.children import get_child, register_child, update_child
from carebook.services.county_merge import PasswordNeeded
from carebook.storage import exchange_queries as q
from tests.conftest import child_facts
from tests.services.county_helpers import TODAY, Clerk, export, merge


@pytest.fixture
def town(db):
    a = register_child(db, child_facts(), today=TODAY).uid
    b = register_child(
        db, child_facts(name="李浩然", id_number="11010520120415003X", village="西村"), today=TODAY
    ).uid
    return db, a, b


def _merged_fields(db, uid):
    return [(e.field, e.new_value) for e in history(db, uid) if e.source.startswith("合并:")]


def test_change_a_phone(town, tmp_path):
    db, a, b = town
    path = tmp_path / "w.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.set("儿童", a, "父亲电话", "139 1111 2222")
    clerk.save()
    _, result = merge(db, path)
    assert (result.updated, result.created) == (1, 0)
    assert _merged_fields(db, a) == [("父亲电话", "139****2222")]  # the log masks phones
    assert _merged_fields(db, b) == []


def test_add_a_column_and_sort_the_sheet_change_nothing(town, tmp_path):
    db, _a, _b = town
    path = tmp_path / "w.xlsx"
    export(db, path)
    book = openpyxl.load_workbook(path)
    ws = book["儿童"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    rows.sort(key=lambda r: r[3], reverse=True)  # by 姓名, descending
    for i, values in enumerate(rows, start=2):
        for j, v in enumerate(values, start=1):
            ws.cell(i, j).value = v
    ws.insert_cols(3)
    ws.cell(1, 3).value = "县里备注"
    ws.cell(2, 3).value = "已核"
    book.save(path)
    plan, result = merge(db, path)
    assert (result.updated, result.created, len(plan.conflicts)) == (0, 0, 0)
    assert result.unchanged == 2
    assert any("县里备注" in w for w in result.warnings)


def test_delete_a_row(town, tmp_path):
    db, a, b = town
    path = tmp_path / "w.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.delete("儿童", a)
    clerk.save()
    plan, result = merge(db, path, accept_deletions=True)
    assert [d.uid for d in plan.deletions] == [a] and result.deleted == 1
    with db.reading() as s:
        assert q.row_by_uid(s, "child", a) is None
        assert q.row_by_uid(s, "child", b) is not None


def test_type_a_date_as_text(town, tmp_path):
    db, a, _ = town
    path = tmp_path / "w.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.add(
        "走访记录",
        {"儿童编号": a, "走访日期": "2026/3/5", "走访方式": "入户走访", "走访人": "县妇联 王芳"},
    )
    clerk.save()
    _, result = merge(db, path)
    assert result.created == 1
    assert get_child(db, a).last_visit_on == date(2026, 3, 5)


def test_add_a_child_with_empty_uid(town, tmp_path):
    db, _, _ = town
    path = tmp_path / "w.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.add(
        "儿童",
        {
            "姓名": "赵一诺",
            "公民身份号码": "140702201601010013",
            "乡镇": "宗艾镇",
            "村（社区）": "南村",
            "儿童类别": "困境儿童（重病重残）",
            "监护人电话": "13600001111",
        },
    )
    clerk.save()
    _, result = merge(db, path)
    assert (result.created, result.updated) == (1, 0)
    with db.reading() as s:
        uid = q.child_uid_by_id_number(s, "140702201601010013")
    facts = get_child(db, uid).facts
    assert (facts.village, facts.guardian_phone, facts.sex) == ("南村", "13600001111", "男")


def test_formula_looking_values_stay_text(town, tmp_path):
    db, a, _ = town
    facts = get_child(db, a).facts
    update_child(
        db,
        a,
        ChildFacts(
            **{
                **facts.as_dict(),
                "notes": '=HYPERLINK("x")',
                "school": "+86 小学",
                "grade": "-",
                "current_address": "@家",
            }
        ),
        today=TODAY,
    )
    path = tmp_path / "w.xlsx"
    export(db, path)
    book = openpyxl.load_workbook(path)
    clerk = Clerk(path)
    for header, text in (
        ("备注", '=HYPERLINK("x")'),
        ("就读学校", "+86 小学"),
        ("年级", "-"),
        ("家庭住址", "@家"),
    ):
        cell = book["儿童"].cell(clerk.row_of("儿童", a), clerk.col("儿童", header))
        assert (cell.value, cell.data_type) == (text, "s")
    _, result = merge(db, path)
    assert result.unchanged == 2 and result.updated == 0


def test_masked_round_trip_never_touches_id_numbers(town, tmp_path):
    db, a, _ = town
    path = tmp_path / "w.xlsx"
    export(db, path, mask_ids=True)
    clerk = Clerk(path)
    assert clerk.get("儿童", a, "公民身份号码") == "110105********0025"
    cover = [r[1].value for r in clerk.sheet("说明").iter_rows(min_row=3) if r[1].value]
    assert any("已打码" in text for text in cover)
    clerk.set("儿童", a, "公民身份号码", "110105********0026")  # typed over: still ignored
    clerk.set("儿童", a, "监护人电话", "13900002222")
    clerk.save()
    plan, _result = merge(db, path)
    assert plan.meta.masked_ids
    child = get_child(db, a)
    assert child.facts.id_number == "110105201503120025"
    assert child.facts.guardian_phone == "13900002222"
    assert _merged_fields(db, a) == [("监护人电话", "139****2222")]


def test_password_round_trip(town, tmp_path):
    db, _a, _ = town
    path = tmp_path / "w.xlsx"
    export(db, path, password="县里2026")
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted package
    with pytest.raises(PasswordNeeded):
        merge(db, path)
    with pytest.raises(PasswordNeeded, match="密码不对"):
        merge(db, path, password="wrong")
    plan, result = merge(db, path, password="县里2026")
    assert result.unchanged == plan.rows == 2


def test_export_and_its_recipient_go_to_the_audit_log(town, tmp_path):
    db, _, _ = town
    result = export(db, tmp_path / "w.xlsx", recipient="县民政局", mask_ids=True)
    (logged,) = history(db, result.workbook_uid)
    assert (logged.action, logged.field, logged.old_value) == ("export", "文件", "w.xlsx")
    # Read as one line (文件：w.xlsx；接收单位：县民政局（…）), the file is not taken for the
    # recipient: it was logged as 接收单位：w.xlsx；县民政局（…）.
    assert logged.new_value.startswith("接收单位：县民政局") and "已打码" in logged.new_value
    with db.reading() as s:
        (row,) = s.query(q.ExchangeExport).all()
    assert (row.recipient, row.masked_ids, row.row_count) == ("县民政局", True, 2)


def test_masked_workbook_new_child_with_a_full_id_is_matched(town, tmp_path):
    db, a, _ = town
    path = tmp_path / "w.xlsx"
    export(db, path, mask_ids=True)
    clerk = Clerk(path)
    clerk.add("儿童", {"姓名": "张子涵", "公民身份号码": "110105201503120025", "年级": "三年级"})
    clerk.add("儿童", {"姓名": "某某", "公民身份号码": "110105********0099"})
    clerk.save()
    _, result = merge(db, path)
    assert result.updated == 1 and get_child(db, a).facts.grade == "三年级"
    # A masked number cannot identify anyone: that row is created without an ID number.
    assert result.created == 1
