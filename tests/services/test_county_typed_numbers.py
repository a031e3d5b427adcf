"""What a clerk types into 编号: serial numbers on added rows, a note under the table.

编号 is carebook's own identifier; the cover sheet says to leave it empty on an added row. A
clerk numbering her added rows 1, 2, 3 made children with the 编号 "1", and the next workbook
whose added row was also numbered 1 merged a different child into that one. A note typed into
the first column was taken for a child with no name and reported as an error.
"""

from __future__ import annotations

from carebook.services.children import find_by_id_number, get_child, register_child
from tests.conftest import child_facts
from tests.services.county_helpers import TODAY, Clerk, export, merge

WANG = {
    "姓名": "王一",
    "公民身份号码": "14072520150101007X",
    "乡镇": "宗艾镇",
    "村（社区）": "东村",
}
LI = {"姓名": "李二", "公民身份号码": "140725201601020021", "乡镇": "宗艾镇", "村（社区）": "东村"}


def _added(db, tmp_path, name, row):
    path = tmp_path / name
    export(db, path)
    clerk = Clerk(path)
    clerk.add("儿童", row)
    clerk.save()
    return merge(db, path)


def test_added_rows_numbered_by_the_clerk_stay_two_children(db, tmp_path) -> None:
    register_child(db, child_facts(), today=TODAY)
    _, first = _added(db, tmp_path, "一.xlsx", {"编号": 1, **WANG})
    _, second = _added(db, tmp_path, "二.xlsx", {"编号": "1", **LI})
    assert (first.created, second.created) == (1, 1)
    wang, li = (
        find_by_id_number(db, WANG["公民身份号码"]),
        find_by_id_number(db, LI["公民身份号码"]),
    )
    assert wang and li and wang != li
    assert len(wang) == 32 and wang != "1"
    assert (get_child(db, wang).facts.name, get_child(db, li).facts.name) == ("王一", "李二")
    assert any("编号" in w for w in first.warnings)


def test_a_note_under_the_table_is_skipped_not_an_error(db, tmp_path) -> None:
    register_child(db, child_facts(), today=TODAY)
    plan, result = _added(db, tmp_path, "注.xlsx", {"编号": "注：以上数据经县民政局核对"})
    assert result.errors == [] and result.created == 0
    assert any("备注" in w for w in result.warnings)
    assert not any("没有身份证号" in w for w in plan.warnings)
