"""The ledger import: plan, apply in one transaction, re-import changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from carebook.exchange.columns import header_key
from carebook.services.audit import history
from carebook.services.children import find_by_id_number, get_child
from carebook.services.ledger_import import (
    ImportOptions,
    apply_import,
    build_plan,
    categories_from_title,
    save_mapping,
    township_from_title,
)
from carebook.services.ledger_plan import ImportPasswordNeeded, ImportRefused
from carebook.services.ledger_report import write_error_report
from carebook.services.progress import run_to_end
from carebook.services.stats import register_stats
from tests.conftest import TODAY
from tests.exchange.builders import (
    VOLUNTEER_HEADER,
    bad_check,
    child_id,
    ledger_rows,
    volunteer_rows,
    write_csv,
    write_merged_xls,
    write_xlsx,
)


def plan_of(db, path, **options):
    return run_to_end(build_plan(db, path, ImportOptions(today=TODAY, **options)))


def apply(db, plan, home: Path, **kw):
    return run_to_end(apply_import(db, plan, backups_dir=home / "backups", today=TODAY, **kw))


def messy_ledger(tmp_path: Path) -> Path:
    rows = ledger_rows(12)
    rows[2][3] = bad_check(rows[2][3])  # row 5: check digit wrong
    rows[4][3] = float(rows[4][3][:-1] + "0")  # row 7: stored as a number by Excel
    full = rows[6][3]
    rows[6][3] = (
        " "
        + full[:6].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        + " "
        + full[6:]
    )
    rows[9] = list(rows[8])  # row 12 repeats row 11
    rows[9][0] = 10
    rows[10][1] = ""  # row 13: no name
    return write_xlsx(tmp_path / "东村留守儿童台账.xlsx", rows, title="宗艾镇东村留守儿童台账")


def test_plan_reports_every_fault_at_its_row(db, tmp_path) -> None:
    plan = plan_of(db, messy_ledger(tmp_path))
    errors = {(e.row, e.column): e.message for e in plan.errors}
    assert "校验" in errors[(5, "身份证号")]
    assert "Excel" in errors[(7, "身份证号")]
    assert "姓名" in errors[(13, "姓名")]
    warnings = {(w.row, w.column): w.message for w in plan.warnings}
    assert "全角" in warnings[(9, "身份证号")]
    assert "第 12 行" in warnings[(11, "")] and "第 11 行" in warnings[(12, "")]
    counts = plan.counts
    assert (counts["create"], counts["skipped"], counts["update"]) == (8, 4, 0)
    assert plan.to_json()["rows"] == 12
    assert register_stats(db).total == 0  # a plan writes nothing


def test_apply_then_reimport_changes_nothing(db, tmp_path, isolated_home) -> None:
    path = messy_ledger(tmp_path)
    result = apply(db, plan_of(db, path), isolated_home)
    assert result.backup is not None and result.backup.exists()
    assert result.plan.applied
    uid = find_by_id_number(db, child_id(1))
    child = get_child(db, uid)
    assert child.facts.township == "宗艾镇" and child.facts.village == "东村"
    assert child.facts.categories == ("农村留守儿童",)
    assert child.facts.guardian_phone == "13800000001"
    assert child.next_due_on is not None
    assert history(db, uid)[0].source == "导入:东村留守儿童台账.xlsx"
    again = plan_of(db, path)
    assert again.counts["create"] == 0 and again.counts["update"] == 0
    assert again.counts["unchanged"] == 8
    second = apply(db, again, isolated_home)
    assert second.backup is None  # nothing to write, nothing to back up
    assert register_stats(db).total == 8


def test_update_names_old_and_new_and_blank_cells_erase_nothing(
    db, tmp_path, isolated_home
) -> None:
    rows = ledger_rows(2)
    apply(db, plan_of(db, write_xlsx(tmp_path / "a.xlsx", rows)), isolated_home)
    rows[0][6] = "王秀英"  # a new guardian
    rows[1][7] = ""  # a phone left blank this time
    plan = plan_of(db, write_xlsx(tmp_path / "b.xlsx", rows))
    first = next(r for r in plan.rows if r.row == 2)
    assert first.action == "update"
    assert [(c.field, c.old, c.new) for c in first.changes] == [("监护人姓名", "李桂兰", "王秀英")]
    assert next(r for r in plan.rows if r.row == 3).action == "unchanged"
    apply(db, plan, isolated_home)
    uid = find_by_id_number(db, child_id(2))
    assert get_child(db, uid).facts.guardian_phone == "13800000002"
    changed = [h for h in history(db, find_by_id_number(db, child_id(1))) if h.action == "update"]
    assert changed[0].old_value == "李桂兰" and changed[0].source == "导入:b.xlsx"


def test_strict_refuses_the_whole_file(db, tmp_path, isolated_home) -> None:
    plan = plan_of(db, messy_ledger(tmp_path))
    with pytest.raises(ImportRefused, match="严格"):
        apply(db, plan, isolated_home, strict=True)
    assert register_stats(db).total == 0


def test_cancel_leaves_the_database_as_it_was(db, tmp_path, isolated_home, monkeypatch) -> None:
    from carebook.services import ledger_write

    monkeypatch.setattr(ledger_write, "CHUNK", 10)
    plan = plan_of(db, write_xlsx(tmp_path / "a.xlsx", ledger_rows(50)))
    job = apply_import(db, plan, backups_dir=isolated_home / "backups", today=TODAY)
    steps = [next(job), next(job), next(job)]
    assert steps[-1].done == 20
    job.close()
    assert register_stats(db).total == 0


def test_refused_files_leave_the_database_unchanged(db, tmp_path) -> None:
    bad = tmp_path / "名单.xlsx"
    bad.write_text("这不是表格", encoding="utf-8")
    with pytest.raises(ImportRefused, match="不是表格"):
        plan_of(db, bad)
    empty = write_xlsx(tmp_path / "empty.xlsx", [], header=["随便", "什么"], footer=False)
    with pytest.raises(ImportRefused, match="没有可以导入的名单"):
        plan_of(db, empty)
    assert register_stats(db).total == 0


def test_merged_header_xls_with_summary_sheet(db, tmp_path, isolated_home) -> None:
    rows = [
        [n, "后沟村", f"孙{n}", child_id(n), "低保家庭儿童", "孙奶", "祖母", f"1590000000{n}"]
        for n in range(1, 4)
    ]
    rows[1][2] = ""
    plan = plan_of(db, write_merged_xls(tmp_path / "乌金山镇困境儿童.xls", rows))
    assert [(s.name, s.skipped) for s in plan.sheets] == [("困境儿童", False), ("汇总", True)]
    assert [(e.row, e.column) for e in plan.errors] == [(4, "儿童姓名")]
    apply(db, plan, isolated_home)
    child = get_child(db, find_by_id_number(db, child_id(1)))
    assert child.facts.categories == ("困境儿童（家庭经济困难）",)
    assert child.facts.guardian_relation == "祖母" and child.facts.guardian_name == "孙奶"
    assert child.facts.township == "乌金山镇"


def test_gbk_csv_with_category_option(db, tmp_path, isolated_home) -> None:
    rows = [r[:8] for r in ledger_rows(3)]
    header = ["序号", "姓名", "性别", "证件号码", "出生日期", "村居", "监护人", "联系电话"]
    path = write_csv(tmp_path / "名单.csv", rows, header=header)
    plan = plan_of(db, path, category="困境", township="宗艾镇")
    assert plan.errors == []
    assert "GB18030" in plan.sheets[0].notes[0]
    apply(db, plan, isolated_home)
    child = get_child(db, find_by_id_number(db, child_id(2)))
    assert child.facts.categories == ("困境儿童",) and child.facts.township == "宗艾镇"


def test_sex_and_birth_disagreeing_with_id_warn_and_id_wins(db, tmp_path) -> None:
    rows = ledger_rows(1)
    rows[0][2] = "女" if rows[0][2] == "男" else "男"
    rows[0][4] = "2001-01-01"
    plan = plan_of(db, write_xlsx(tmp_path / "a.xlsx", rows))
    columns = {w.column for w in plan.warnings}
    assert {"性别", "出生日期"} <= columns and not plan.errors


def test_status_column_takes_a_child_off_the_register(db, tmp_path, isolated_home) -> None:
    header = ["姓名", "身份证号", "村", "类别", "状态", "变动原因"]
    rows = [["张一", child_id(1), "东村", "留守", "正常", ""]]
    apply(db, plan_of(db, write_xlsx(tmp_path / "a.xlsx", rows, header=header)), isolated_home)
    rows[0][4:] = ["退出", "父母返乡"]
    plan = plan_of(db, write_xlsx(tmp_path / "b.xlsx", rows, header=header))
    assert plan.rows[0].action == "update"
    apply(db, plan, isolated_home)
    child = get_child(db, find_by_id_number(db, child_id(1)))
    assert (child.status, child.status_reason) == ("退出", "父母返乡")
    assert (
        plan_of(db, write_xlsx(tmp_path / "c.xlsx", rows, header=header)).rows[0].action
        == "unchanged"
    )


def test_volunteer_list_matched_by_phone(db, tmp_path, isolated_home) -> None:
    rows = volunteer_rows(3)
    rows[2][3] = "123"  # not a phone number
    path = write_xlsx(
        tmp_path / "爱心妈妈.xlsx", rows, header=VOLUNTEER_HEADER, title="爱心妈妈名单"
    )
    plan = plan_of(db, path)
    assert plan.counts["create"] == 2 and [e.row for e in plan.errors] == [5]
    apply(db, plan, isolated_home)
    rows[0][5] = "镇妇联"
    again = plan_of(db, write_xlsx(tmp_path / "b.xlsx", rows, header=VOLUNTEER_HEADER))
    assert [r.action for r in again.rows] == ["update", "unchanged", "skipped"]
    assert again.rows[0].changes[0].old == "县妇联"
    apply(db, again, isolated_home)
    assert register_stats(db).volunteers == 2


def test_corrected_mapping_is_remembered(db, tmp_path) -> None:
    header = ["姓名", "身份证号", "爱好"]
    path = write_xlsx(tmp_path / "a.xlsx", [["张一", child_id(1), "画画"]], header=header)
    plan = plan_of(db, path)
    assert "爱好" in plan.sheets[0].notes[-1]
    plan = plan_of(db, path, mappings={"名单": {header_key("爱好"): "notes"}})
    save_mapping(db, plan.tables[0])
    again = plan_of(
        db, write_xlsx(tmp_path / "b.xlsx", [["李二", child_id(2), "唱歌"]], header=header)
    )
    assert again.tables[0].field_columns()["notes"] == 2


def test_password_is_asked_for(db, tmp_path) -> None:
    import io

    import msoffcrypto.format.ooxml

    plain = write_xlsx(tmp_path / "a.xlsx", ledger_rows(1))
    out = io.BytesIO()
    with plain.open("rb") as fh:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("pw", out)
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(out.getvalue())
    with pytest.raises(ImportPasswordNeeded):
        plan_of(db, locked)
    assert plan_of(db, locked, password="pw").counts["create"] == 1


def test_error_report_holds_the_rows_as_they_were(db, tmp_path) -> None:
    plan = plan_of(db, messy_ledger(tmp_path))
    out = write_error_report(plan, tmp_path / "问题.xlsx")
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "原行号")
    assert header[1:4] == ("序号", "姓名", "性别") and header[-1] == "问题说明"
    body = [r for r in rows[rows.index(header) + 1 :]]
    assert [r[0] for r in body] == [5, 7, 9, 11, 12, 13]
    damaged = next(r for r in body if r[0] == 7)
    assert isinstance(damaged[4], float) and "Excel" in damaged[-1]
    # The corrected report can be imported again: same rows, same places.
    assert {e.row for e in plan_of(db, out).errors} == {4, 5, 9}


def test_title_inference() -> None:
    assert township_from_title("洪善镇农村留守儿童台账（2026年9月）") == "洪善镇"
    assert township_from_title("示例-乌金山镇困境儿童") == "乌金山镇"
    assert categories_from_title("洪善镇农村留守儿童台账") == ("农村留守儿童",)
    assert categories_from_title("留守儿童和困境儿童名单") == ()


def test_ods_imports_like_xlsx(db, tmp_path, isolated_home) -> None:
    from tests.exchange.builders import write_ods

    plan = plan_of(db, write_ods(tmp_path / "东村名单.ods", ledger_rows(3)), township="宗艾镇")
    assert plan.counts["create"] == 3 and not plan.errors
    apply(db, plan, isolated_home)
    assert get_child(db, find_by_id_number(db, child_id(3))).facts.categories == ("农村留守儿童",)


def test_child_deleted_between_plan_and_apply_is_not_recreated(db, tmp_path, isolated_home) -> None:
    from datetime import datetime

    from carebook.storage.tables import Child

    rows = ledger_rows(2)
    apply(db, plan_of(db, write_xlsx(tmp_path / "a.xlsx", rows)), isolated_home)
    rows[1][6] = "王秀英"
    plan = plan_of(db, write_xlsx(tmp_path / "b.xlsx", rows))  # row 2 unchanged, row 3 changed
    with db.transaction() as session:  # soft-deleted, as the register deletes
        session.query(Child).filter(Child.id_number == child_id(1)).update(
            {Child.deleted_at: datetime.now()}
        )
    result = apply(db, plan, isolated_home)
    assert [r.action for r in result.plan.rows] == ["skipped", "update"]
    assert "删除" in result.plan.rows[0].warnings[0].message


def test_deleted_child_is_not_created_again(db, tmp_path, isolated_home) -> None:
    from datetime import datetime

    from carebook.storage.tables import Child

    path = write_xlsx(tmp_path / "a.xlsx", ledger_rows(2))
    apply(db, plan_of(db, path), isolated_home)
    with db.transaction() as session:
        session.query(Child).filter(Child.id_number == child_id(2)).update(
            {Child.deleted_at: datetime.now()}
        )
    result = apply(db, plan_of(db, path), isolated_home)
    assert [r.action for r in result.plan.rows] == ["unchanged", "skipped"]
    assert "删除" in result.plan.rows[1].warnings[0].message
