"""What the domain and exchange layers say about bad input comes in the worker's language."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest

from carebook import i18n
from carebook.domain.child_rules import check_child_values
from carebook.domain.dates import parse_date, parse_period
from carebook.domain.errors import DateParseError, IdNumberError, PhoneError
from carebook.domain.id_numbers import parse_id
from carebook.domain.phones import normalize_phone
from carebook.domain.schedule import rules_from_json
from carebook.exchange.errors import FileRefused, PasswordNeeded, WrongPassword
from carebook.exchange.readers import RawSheet, read_workbook
from carebook.exchange.sheet_tables import SkippedSheet, find_table
from tests.conftest import TODAY
from tests.exchange.builders import bad_check, child_id, ledger_rows, write_xlsx

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_wrong_check_digit_is_explained_in_the_chosen_language(language) -> None:
    with pytest.raises(IdNumberError) as caught:
        parse_id(bad_check(child_id(7)), today=TODAY)
    assert caught.value.code == "check"
    expected = {
        "zh_CN": "身份证号码校验不通过（最后一位校验码不对），可能有数字填错，请核对后重新填写。",
        "en": "The ID number fails its check (the last character, the check character, "
        "does not fit); a digit may be wrong. Please check it and enter it again.",
    }
    assert caught.value.message == expected[language]
    assert str(caught.value) == expected[language]


def test_an_id_number_excel_damaged_says_so_in_english(english) -> None:
    for damaged in (1.40702199001011e17, "1.40702E+17"):
        with pytest.raises(IdNumberError) as caught:
            parse_id(damaged, today=TODAY)
        assert caught.value.code == "excel_damaged"
        assert caught.value.message.startswith("Excel saved this ID number as a number")
        assert not CJK.search(caught.value.message)
    with pytest.raises(IdNumberError, match=r"^An ID number has 18 characters; this one has 15 "):
        parse_id("140728150101001", today=TODAY)


def test_an_unreadable_date_is_explained_in_english_even_when_read_before(english) -> None:
    # Text dates are cached per (text, today) during an import: a refusal must not be, or the
    # Chinese message made before the switch would come back.
    i18n.set_language("zh_CN")
    with pytest.raises(DateParseError, match="不是有效日期（没有这一天）"):
        parse_date("2015-02-30", today=TODAY)
    i18n.set_language("en")
    with pytest.raises(DateParseError) as caught:
        parse_date("2015-02-30", today=TODAY)
    assert caught.value.message == (
        "“2015-02-30” is not a valid date (there is no such day). Please write it like 2015-03-12."
    )
    with pytest.raises(DateParseError, match=r"^“2015” is not a valid date: it looks like a year"):
        parse_date(2015, today=TODAY)
    with pytest.raises(ValueError, match=r"^“someday” is not a period carebook can read\. Write"):
        parse_period("someday", today=TODAY)


def test_phone_problems_and_visit_rule_problems_in_english(english) -> None:
    with pytest.raises(PhoneError, match=r"^“1.38123E\+10” is Excel's scientific notation"):
        normalize_phone("1.38123E+10")
    with pytest.raises(PhoneError, match=r"^“12345” is not a valid phone number\. A mobile"):
        normalize_phone("12345")
    with pytest.raises(ValueError, match=r"^Visit rule 1: “紫色” is not a care level"):
        rules_from_json([{"category": None, "care_level": "紫色", "interval_months": 1}])


def test_form_problems_follow_a_language_change_despite_the_caches() -> None:
    values = {
        "name": "王小明",
        "id_number": child_id(3),
        "birth_date": date(2014, 1, 1),
        "categories": ("留守", "外星"),
        "care_level": "紫色",
        "guardian_phone": "12345",
    }
    chinese = check_child_values(values, today=TODAY)
    assert chinese.errors["categories"].startswith("“外星”不是可识别的儿童类别。")
    assert chinese.errors["care_level"].startswith("“紫色”不是可识别的关爱等级。")
    assert chinese.errors["guardian_phone"].startswith("监护人电话：“12345”不是有效的电话号码")
    i18n.set_language("en")
    try:
        english = check_child_values(values, today=TODAY)
    finally:
        i18n.set_language("zh_CN")
    assert english.facts == chinese.facts
    assert english.errors["categories"].startswith("“外星” is not a child category carebook")
    assert english.errors["care_level"].startswith("“紫色” is not a care level carebook knows.")
    # The field label is data the form shows beside the box; the sentence after it is English.
    assert english.errors["guardian_phone"].startswith("监护人电话: “12345” is not a valid phone")
    assert english.warnings["birth_date"] == (
        f"The birth date 2014-01-01 does not match the ID number; it was changed to "
        f"{english.facts.birth_date.isoformat()} as the ID number says."
    )
    assert check_child_values(values, today=TODAY).errors == chinese.errors


def test_a_wps_et_file_is_refused_in_the_chosen_language(tmp_path: Path, language) -> None:
    path = tmp_path / "名单.et"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(FileRefused) as caught:
        read_workbook(path)
    expected = {
        "zh_CN": "“名单.et”是 WPS 表格专用格式（.et），请在 WPS 或 Excel 中打开，"
        "另存为 .xlsx 格式后再导入。",
        "en": "“名单.et” is in WPS Spreadsheets' own format (.et). "
        "Open it in WPS or Excel, save it as .xlsx, then import that.",
    }
    assert caught.value.message == expected[language]


def test_damaged_and_locked_workbooks_are_refused_in_english(tmp_path: Path, english) -> None:
    cut = tmp_path / "cut.xlsx"
    whole = write_xlsx(tmp_path / "whole.xlsx", ledger_rows(20)).read_bytes()
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(FileRefused, match=r"^The file “cut\.xlsx” is damaged or incomplete"):
        read_workbook(cut)
    locked = tmp_path / "locked.xlsx"
    out = io.BytesIO()
    with (tmp_path / "whole.xlsx").open("rb") as fh:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("secret", out)
    locked.write_bytes(out.getvalue())
    with pytest.raises(PasswordNeeded, match=r"^The file “locked\.xlsx” has a password"):
        read_workbook(locked)
    with pytest.raises(WrongPassword, match=r"^The password for the file “locked\.xlsx” is wrong"):
        read_workbook(locked, password="wrong")


def test_import_report_notes_come_in_english(tmp_path: Path, english) -> None:
    empty = find_table(RawSheet("Sheet2", []))
    assert empty == SkippedSheet("Sheet2", "the sheet is empty")
    summary = find_table(RawSheet("汇总", [(1, ("乡镇", "人数")), (2, ("东镇", 3))]))
    assert isinstance(summary, SkippedSheet)
    assert summary.reason == "a summary or notes sheet, not a list; skipped"
    header = ("序号", "姓名", "身份证号", "身份证号码")
    table = find_table(RawSheet("名单", [(1, header), (2, (1, "张三", child_id(1), ""))]))
    assert table.columns[3].note == "means the same as the “身份证号” column; not used"
    csv_file = tmp_path / "list.csv"
    csv_file.write_bytes("序号,姓名\n1,张三\n".encode("gb18030"))
    assert read_workbook(csv_file).sheets[0].note == (
        "Text file read as GB18030/GBK (the Chinese Windows default), separated by commas; "
        "row numbers are text line numbers"
    )


def test_input_problems_are_chinese_by_default(tmp_path: Path) -> None:
    assert i18n.current_language() == "zh_CN"
    with pytest.raises(IdNumberError, match=r"^身份证号码被 Excel 当成数字保存"):
        parse_id(1.40702199001011e17, today=TODAY)
    with pytest.raises(DateParseError, match=r"^“明天”不是有效日期。请按 2015-03-12 这样的格式"):
        parse_date("明天", today=TODAY)
    missing = tmp_path / "none.xlsx"
    with pytest.raises(FileRefused, match=r"^找不到文件“.*none\.xlsx”。$"):
        read_workbook(missing)
    assert find_table(RawSheet("Sheet2", [])).reason == "工作表是空的"
