"""What the county workbook read-back tells the worker comes in the chosen language."""

from __future__ import annotations

import re

import pytest

from carebook import i18n
from carebook.services import children as child_service
from carebook.services.county_merge import plan_merge
from carebook.services.errors import ServiceError
from carebook.services.progress import run_to_end
from tests.conftest import TODAY, child_facts
from tests.services.county_helpers import Clerk, export

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_wrong_workbook_password_is_refused_in_the_chosen_language(db, tmp_path, language):
    child_service.register_child(db, child_facts(), today=TODAY)
    path = tmp_path / "县里.xlsx"
    export(db, path, password="对的密码")
    with pytest.raises(ServiceError) as wrong:
        run_to_end(plan_merge(db, path, "错的密码"))
    with pytest.raises(ServiceError) as missing:
        run_to_end(plan_merge(db, path, None))
    if language == "en":
        assert str(wrong.value) == (
            "The password for the workbook 县里.xlsx is wrong; please enter it again."
        )
        assert str(missing.value) == "The workbook 县里.xlsx has an open password; please enter it."
    else:
        assert str(wrong.value) == "工作簿 县里.xlsx 的密码不对，请重新输入。"
        assert str(missing.value) == "工作簿 县里.xlsx 设有打开密码，请输入密码。"


def test_a_bad_cell_and_a_foreign_column_are_reported_in_the_chosen_language(
    db, tmp_path, language
):
    uid = child_service.register_child(db, child_facts(), today=TODAY).uid
    path = tmp_path / "book.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.set("儿童", uid, "出生日期", "2015-02-30")
    clerk.sheet("儿童").cell(1, 40).value = "县里加的列"
    clerk.save()
    plan = run_to_end(plan_merge(db, path))
    (problem,) = plan.problems
    column = problem.column
    if language == "en":
        assert problem.text() == (
            f"儿童 row 2, column {column} (出生日期): “2015-02-30” is not a valid date "
            "(there is no such day). Please write it like 2015-03-12."
        )
        assert plan.warnings == [
            "The columns 县里加的列 in the sheet “儿童” are not part of the exchange format "
            "and were ignored."
        ]
    else:
        assert problem.text().startswith(
            f"儿童 第2行 {column}列（出生日期）：“2015-02-30”不是有效日期（没有这一天）"
        )
        assert plan.warnings == ["“儿童”表中的列 县里加的列 不属于交换格式，已忽略。"]


def test_a_file_that_is_no_workbook_is_refused_in_english(db, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    i18n.set_language("en")
    try:
        with pytest.raises(ServiceError) as caught:
            run_to_end(plan_merge(db, path))
    finally:
        i18n.set_language("zh_CN")
    assert str(caught.value).startswith("Cannot open the workbook notes.xlsx: the file is damaged")
    assert not CJK.search(str(caught.value))
