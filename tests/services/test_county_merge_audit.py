"""Every reading of a county workbook leaves one 合并 entry: who, which file, what it did."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.domain.records import VolunteerFacts
from carebook.services.audit import Origin
from carebook.services.audit_log import LogFilter, log_lines
from carebook.services.children import register_child
from carebook.services.volunteers import register_volunteer
from tests.conftest import child_facts
from tests.services.county_helpers import TODAY, Clerk, export, merge

CLERK = Origin("王督导", "界面")


@pytest.fixture
def township(db):
    uid = register_child(db, child_facts(), today=TODAY).uid
    return db, uid


def _merges(db):
    return log_lines(db, LogFilter(action="merge"))


def test_a_merge_is_logged_with_its_file_and_counts(township, tmp_path) -> None:
    db, uid = township
    path = tmp_path / "县里返回.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.set("儿童", uid, "监护人电话", "13900001111")
    clerk.save()
    merge(db, path, origin=CLERK)
    (line,) = _merges(db)
    assert (line.actor, line.action, line.entity) == ("王督导", "合并", "workbook")
    assert "县里返回.xlsx" in (line.old_value, line.new_value)
    assert "修改 1" in line.new_value
    # Read again: nothing changes, and the reading is still on the record.
    merge(db, path, origin=CLERK)
    again = _merges(db)
    assert len(again) == 2 and "修改 0" in again[0].new_value
    # The log's own search finds it by the file's name.
    assert log_lines(db, LogFilter(action="merge", text="县里返回"))


def test_a_dry_run_leaves_no_entry(township, tmp_path) -> None:
    db, _ = township
    path = tmp_path / "w.xlsx"
    export(db, path)
    merge(db, path, origin=CLERK, dry_run=True)
    assert _merges(db) == []


def test_rows_a_merge_adds_say_whose_they_are(db, tmp_path) -> None:
    """A visit, pairing or assistance row from a village's workbook names its child in the
    log, as one entered by hand does: the supervisor reads who was visited, not "登记 走访"."""
    child = register_child(db, child_facts(name="李小花"), today=TODAY).uid
    mother = register_volunteer(db, VolunteerFacts(name="赵爱华", phone="13800001111"))
    path = tmp_path / "河堡村.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.add(
        "走访记录", {"儿童编号": child, "走访日期": date(2026, 11, 20), "走访方式": "入户走访"}
    )
    clerk.add("结对", {"儿童编号": child, "爱心妈妈编号": mother, "开始日期": date(2026, 11, 1)})
    clerk.add("帮扶记录", {"儿童编号": child, "日期": date(2026, 11, 21), "帮扶内容": "书包"})
    clerk.save()
    _plan, result = merge(db, path, origin=CLERK)
    assert result.created == 3
    created = {line.entity: line.new_value for line in log_lines(db, LogFilter(action="create"))}
    assert created["visit"] == "李小花 2026-11-20 入户走访"
    assert created["pairing"] == "赵爱华 ↔ 李小花（2026-11-01起）"
    assert created["assistance"] == "李小花 2026-11-21 书包"
