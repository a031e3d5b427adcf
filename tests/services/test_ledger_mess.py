"""Ledgers as villages really keep them: merged village cells, tick columns, two phones a cell."""

from __future__ import annotations

from pathlib import Path

import xlwt
from openpyxl import Workbook, load_workbook

from carebook.services.children import find_by_id_number, get_child
from carebook.services.ledger_report import write_error_report
from tests.exchange.builders import child_id, ledger_rows, write_xlsx
from tests.services.test_ledger_import import apply, plan_of

HEADER = ["序号", "姓名", "性别", "身份证号", "出生日期", "村", "监护人", "联系电话"]


def _facts(plan):
    return {(p.sheet, p.row): p.facts for p in plan.parsed if p.facts is not None}


def _issues(plan, kind="warnings"):
    return [(i.row, i.column, i.message) for i in getattr(plan, kind)]


def _rows(count: int) -> list[list[object]]:
    return [row[:8] for row in ledger_rows(count)]


def test_village_merged_down_over_its_children_is_each_ones_village(db, tmp_path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "台账"
    ws.append(["洪善镇留守儿童台账"])
    ws.append(HEADER)
    rows = _rows(6)
    for n, row in enumerate(rows):
        row[5] = {0: "东村", 3: "西村"}.get(n)  # written once per village, then merged
        ws.append(row)
    ws.merge_cells("F3:F5")
    ws.merge_cells("F6:F8")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    plan = plan_of(db, path)
    villages = [f.village for f in _facts(plan).values()]
    assert villages == ["东村"] * 3 + ["西村"] * 3
    notes = plan.sheets[0].notes
    assert any("“村”列有上下合并的单元格" in n and "4 行" in n for n in notes)
    assert not plan.errors


def test_merged_village_in_an_xls_and_a_merge_in_the_header_only(db, tmp_path) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("名单")
    for col, text in enumerate(HEADER):
        ws.write(0, col, text)
    for r, row in enumerate(_rows(4), start=1):
        for c, value in enumerate(row):
            if c != 5:
                ws.write(r, c, value)
    ws.write_merge(1, 3, 5, 5, "南村")  # rows 2-4
    ws.write(4, 5, "")  # row 5: no village written, not merged: stays blank
    path = tmp_path / "merged.xls"
    book.save(str(path))
    villages = [f.village for f in _facts(plan_of(db, path)).values()]
    assert villages == ["南村", "南村", "南村", ""]


def _tick_ledger(path: Path, marks: list[tuple[object, object, object]]) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "名单"
    ws.append(["序号", "姓名", "身份证号", "村", "留守儿童", "是否困境儿童", "孤儿"])
    for n, (left, hard, orphan) in enumerate(marks, start=1):
        ws.append([n, f"李{n}", child_id(n), "东村", left, hard, orphan])
    book.save(path)
    return path


def test_one_tick_column_per_category(db, tmp_path, isolated_home) -> None:
    marks = [("√", None, None), ("✓", "是", None), (1, None, None), ("●", None, "√"),
             (None, None, None), ("?", "否", None)]  # fmt: skip
    path = _tick_ledger(tmp_path / "勾选.xlsx", marks)
    plan = plan_of(db, path)
    got = [f.categories for f in _facts(plan).values()]
    assert got == [
        ("农村留守儿童",),
        ("农村留守儿童", "困境儿童"),
        ("农村留守儿童",),
        ("农村留守儿童", "孤儿"),
        (),
        (),
    ]
    warnings = _issues(plan)
    header = "留守儿童、是否困境儿童、孤儿"
    no_tick = "哪一类都没有勾选，这个儿童暂无类别；请在对应的类别列打 √ 或导入时选择类别。"
    assert (6, header, no_tick) in warnings
    assert any(r == 7 and c == "留守儿童" and "“?”" in m for r, c, m in warnings)
    assert any(r == 6 for r, _c, _m in warnings)  # no tick at all: said, not silent
    notes = " ".join(plan.sheets[0].notes)
    assert "类别按勾选列" in notes and "未识别的列" not in notes
    apply(db, plan, isolated_home)
    child = get_child(db, find_by_id_number(db, child_id(4)))
    assert child.facts.categories == ("农村留守儿童", "孤儿")
    again = plan_of(db, path)
    assert again.counts["create"] == 0 and again.counts["update"] == 0
    # The report shows the rows as they were, with what was read from the ticks.
    out = tmp_path / "问题.xlsx"
    write_error_report(again, out)
    sheet = load_workbook(out).active
    texts = [[c for c in row if c not in (None, "")] for row in sheet.iter_rows(values_only=True)]
    assert any(header in row for row in texts)


def test_a_real_category_column_wins_over_tick_looking_columns(db, tmp_path) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["序号", "姓名", "身份证号", "类别", "孤儿"])
    ws.append([1, "李一", child_id(1), "困境儿童", "√"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    plan = plan_of(db, path)
    assert [f.categories for f in _facts(plan).values()] == [("困境儿童",)]
    assert any("未识别的列" in n and "孤儿" in n for n in plan.sheets[0].notes)


def test_two_phones_or_an_extension_keep_the_first_and_note_the_rest(
    db, tmp_path, isolated_home
) -> None:
    rows = _rows(6)
    rows[0][7] = "13912345678，15812345678"
    rows[1][7] = "13912345678 15812345678"
    rows[2][7] = "0354-3012345转806"
    rows[3][7] = "139 1234 5678"  # one number with spaces: no warning
    rows[4][7] = "13912345678/abc"  # not a list of numbers: still an error
    rows[5][7] = "13912345678或13912345678"  # the same twice: one number
    path = write_xlsx(tmp_path / "电话.xlsx", rows, header=HEADER)
    plan = plan_of(db, path)
    facts = list(_facts(plan).values())
    assert [f.guardian_phone for f in facts[:4]] == ["13912345678"] * 2 + [
        "0354-3012345",
        "13912345678",
    ]
    assert facts[0].notes == facts[1].notes == "监护人电话另有：15812345678"
    assert facts[2].notes == "监护人电话分机：806"
    assert facts[3].notes == ""
    warnings = _issues(plan)
    assert (
        2,
        "联系电话",
        "一格填了几个号码，已取第一个 13912345678，其余（15812345678）记入备注。",
    ) in (warnings)
    assert any(r == 4 and c == "联系电话" and "分机 806" in m for r, c, m in warnings)
    assert not any(r == 5 for r, _c, _m in warnings)
    assert [(e.row, e.column) for e in plan.errors] == [(6, "联系电话")]
    assert facts[5].guardian_phone == "13912345678" and facts[5].notes == ""
    assert any(r == 7 and "填了两遍" in m for r, _c, m in warnings)
    apply(db, plan, isolated_home)
    again = plan_of(db, path)
    assert again.counts["create"] == 0 and again.counts["update"] == 0


def test_birth_month_dates_in_chinese_numerals_and_what_stays_a_problem(db, tmp_path) -> None:
    rows = _rows(6)
    number = child_id(1)  # born 2015-02-02
    rows[0][4] = "2015年2月"  # 出生年月: agrees with the ID
    rows[1][4] = "2015-3"  # its ID says 2015-03-03: agrees
    rows[2][4] = "2015年9月"  # its ID says April: disagrees
    rows[3][4] = "二〇一五年五月五日"
    rows[4][4] = "15.6.6"  # two-digit year: not a date by the domain's rules
    rows[5][3] = ""  # no ID number: the month stands, said
    rows[5][4] = "二〇一五年七月"
    assert number[6:14] == "20150202"
    plan = plan_of(db, write_xlsx(tmp_path / "日期.xlsx", rows, header=HEADER))
    facts = list(_facts(plan).values())
    assert [f.birth_date.isoformat() for f in facts] == [
        "2015-02-02",
        "2015-03-03",
        "2015-04-04",
        "2015-05-05",
        "2015-06-06",
        "2015-07-01",
    ]
    by_row = {}
    for row, column, message in _issues(plan):
        if column == "出生日期":
            by_row[row] = message
    assert set(by_row) == {4, 6, 7}
    assert "出生年月“2015年9月”与身份证号（2015-04-04）不一致" in by_row[4]
    assert "“15.6.6”不是有效日期" in by_row[6]
    assert "只填了年月（二〇一五年七月）" in by_row[7]


def test_a_second_table_below_with_its_own_header_is_read_by_that_header(db, tmp_path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "名单"
    ws.append(["一、农村留守儿童"])
    ws.append(["序号", "姓名", "身份证号", "村", "监护人", "类别"])
    ws.append([1, "甲", child_id(1), "东村", "李一", "留守儿童"])
    ws.append([])
    ws.append(["二、事实无人抚养儿童"])
    ws.append(["序号", "村", "姓名", "公民身份号码", "监护人", "监护人电话", "就读学校"])
    ws.append([1, "北村", "乙", child_id(2), "王二", "13812345678", "北村小学"])
    ws.append([2, "北村", "丙", child_id(3), "王三", "13812345679", "北村小学"])
    # A page's header printed again, as the first: nothing changes below it.
    ws.append(["序号", "姓名", "身份证号", "村", "监护人", "类别"])
    ws.append([3, "丁", child_id(4), "东村", "李四", "困境儿童"])
    path = tmp_path / "两张表.xlsx"
    book.save(path)
    plan = plan_of(db, path)
    facts = {row: (f.name, f.id_number, f.village, f.guardian_phone, f.school, f.categories)
             for (_s, row), f in _facts(plan).items()}  # fmt: skip
    assert facts == {
        3: ("甲", child_id(1), "东村", "", "", ("农村留守儿童",)),
        7: ("乙", child_id(2), "北村", "13812345678", "北村小学", ("事实无人抚养儿童",)),
        8: ("丙", child_id(3), "北村", "13812345679", "北村小学", ("事实无人抚养儿童",)),
        10: ("丁", child_id(4), "东村", "", "", ("困境儿童",)),
    }
    assert not plan.errors and not plan.warnings
    assert "第 6 行是另一张表的表头" in " ".join(plan.sheets[0].notes)


def test_an_age_far_from_the_id_numbers_age_is_warned_about(db, tmp_path) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["序号", "姓名", "身份证号", "年龄", "村"])
    # Born 2015: 11 on TODAY (2026-11-28). 10 (filled last year), 12 (虚岁) and "11岁" are fine.
    for n, age in enumerate([11, 10, 12, "11岁", 4, "", "不详"], start=1):
        ws.append([n, f"赵{n}", child_id(n), age, "东村"])
    path = tmp_path / "年龄.xlsx"
    book.save(path)
    plan = plan_of(db, path)
    warned = [(w.row, w.column) for w in plan.warnings if "年龄" in w.message]
    assert warned == [(6, "年龄")]
    assert (
        "年龄填的是 4 岁" in plan.warnings[0].message and "今天是 11 岁" in plan.warnings[0].message
    )
    assert plan.counts["create"] == 7


def test_formulas_saved_without_their_value_are_said_not_read_as_blank(db, tmp_path) -> None:
    from tests.exchange.builders import rewrite_sheet_xml

    book = Workbook()
    ws = book.active
    ws.append(["序号", "姓名", "身份证号", "村", "监护人"])
    for n in range(1, 5):
        ws.append(["=ROW()-1", f"李{n}", child_id(n), "东村", "王奶奶"])
    ws["D3"] = '=IF(1,"西村","")'  # never computed: read blank
    ws["D4"] = '=IF(1,"南村","")'  # computed by Excel (its value put in below)
    ws["D5"] = '=IF(0,"x","")'  # an empty text result Excel saved: a real blank
    path = tmp_path / "公式.xlsx"
    book.save(path)

    def computed(xml: str) -> str:
        xml = xml.replace('<f>IF(1,"南村","")</f><v />', '<f>IF(1,"南村","")</f><v>南村</v>')
        xml = xml.replace('<c r="D4">', '<c r="D4" t="str">').replace(
            '<c r="D5">', '<c r="D5" t="str">'
        )
        return xml.replace('<f>IF(0,"x","")</f><v />', '<f>IF(0,"x","")</f><v></v>')

    rewrite_sheet_xml(path, computed)
    plan = plan_of(db, path)
    assert [f.village for f in _facts(plan).values()] == ["东村", "", "南村", ""]
    # Not the 序号 formulas; row 3 said once (its formula), row 5 blank below 南村.
    assert [(w.row, w.column) for w in plan.warnings] == [(3, "村"), (5, "村")]
    assert "公式" in plan.warnings[0].message and "保存后再导入" in plan.warnings[0].message
    assert "上面第 4 行是“南村”" in plan.warnings[1].message


def test_a_volunteer_with_two_phones_is_matched_by_the_first(db, tmp_path, isolated_home) -> None:
    from tests.exchange.builders import VOLUNTEER_HEADER, volunteer_rows

    rows = volunteer_rows(2)
    rows[0][3] = "13900000001、15800000001"
    path = write_xlsx(
        tmp_path / "爱心妈妈.xlsx", rows, header=VOLUNTEER_HEADER, title="爱心妈妈名单"
    )
    plan = plan_of(db, path)
    assert plan.counts["create"] == 2 and not plan.errors
    first = plan.parsed[0].facts
    assert first.phone == "13900000001" and first.notes == "另一电话：15800000001"
    assert [(w.row, w.column) for w in plan.warnings] == [(3, "手机")]
    apply(db, plan, isolated_home)
    assert plan_of(db, path).counts["unchanged"] == 2


def _text_ledger(encoding: str, delimiter: str, names: list[str], title: str = "") -> bytes:
    lines = [title] if title else []
    lines.append(delimiter.join(HEADER))
    for n, name in enumerate(names, start=1):
        row = _rows(n)[-1]
        row[1] = name
        lines.append(delimiter.join(str(v) for v in row))
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")  # Excel's 另存为 "Unicode 文本"
    return text.encode(encoding)


def test_excel_unicode_text_gb18030_rare_names_and_a_title_line(db, tmp_path) -> None:
    names = ["王𬌗", "李䶮", "张三"]  # 𬌗 takes four bytes in GB18030
    files = {
        "unicode.txt": _text_ledger("utf-16", "\t", names),
        "unicode.csv": _text_ledger("utf-16", "\t", names),
        "gb.csv": _text_ledger("gb18030", ",", names),
        "titled.csv": _text_ledger("gb18030", ",", names, title="洪善镇东村留守儿童名单,,,"),
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        plan = plan_of(db, path)
        got = [(r, f.name, f.id_number) for (_s, r), f in _facts(plan).items()]
        first = 3 if name == "titled.csv" else 2
        assert got == [(first + i, n, child_id(i + 1)) for i, n in enumerate(names)], name
        assert not plan.errors, name
    assert plan.parsed[0].facts.categories == ("农村留守儿童",)  # from the title line


def test_ticks_add_to_the_titles_category_and_a_column_of_words_is_no_tick_column(
    db, tmp_path
) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["洪善镇农村留守儿童台账"])
    ws.append(["序号", "姓名", "身份证号", "是否低保", "残疾"])
    ws.append([1, "甲", child_id(1), "√", "肢体"])
    ws.append([2, "乙", child_id(2), "", ""])
    ws.append([3, "丙", child_id(3), "否", "智力二级"])
    path = tmp_path / "留守.xlsx"
    book.save(path)
    plan = plan_of(db, path)
    assert [f.categories for f in _facts(plan).values()] == [
        ("农村留守儿童", "困境儿童（家庭经济困难）"),
        ("农村留守儿童",),
        ("农村留守儿童",),
    ]
    assert not plan.warnings and not plan.errors
    notes = " ".join(plan.sheets[0].notes)
    assert "另加勾选的类别" in notes and "未识别的列（未导入）：残疾" in notes


def test_a_repeated_child_in_a_second_table_is_reported_under_its_own_header(db, tmp_path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "名单"
    ws.append(["序号", "姓名", "身份证号", "村"])
    for n in range(1, 40):  # clean rows, whose cells an import lets go
        ws.append([n, f"甲{n}", child_id(n), "东村"])
    ws.append(["序号", "村", "公民身份号码", "姓名"])
    ws.append([1, "北村", child_id(1), "甲1"])  # row 42: 甲1 again
    ws.append([2, "北村", child_id(50), "乙"])  # row 43, its cells let go as clean ...
    ws.append([3, "北村", child_id(50), "乙"])  # ... until row 44 repeats it
    path = tmp_path / "重复.xlsx"
    book.save(path)
    plan = plan_of(db, path)
    assert {w.row for w in plan.warnings} == {2, 42, 43, 44}
    out = write_error_report(plan, tmp_path / "问题.xlsx")
    rows = [r for r in load_workbook(out).active.iter_rows(values_only=True)]
    by_row = {r[0]: r for r in rows if isinstance(r[0], int)}
    assert by_row[2][1:5] == (1, "甲1", child_id(1), "东村")  # under 序号 姓名 身份证号 村
    # The second table's rows as they were, below its own header and where it began.
    assert by_row[42][1:5] == (1, "北村", child_id(1), "甲1")  # under 序号 村 公民身份号码 姓名
    assert by_row[43][1:5] == (2, "北村", child_id(50), "乙")
    at = rows.index(next(r for r in rows if r[1:5] == ("序号", "村", "公民身份号码", "姓名")))
    assert rows[at - 1][0] == "（原表第 41 行起的另一张表）"
    assert rows.index(by_row[2]) < at < rows.index(by_row[42])


def _two_tables(tmp_path: Path, second_band: list[list[object]], rows: list[list[object]]) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "名单"
    ws.append(["一、农村留守儿童"])
    ws.append(["序号", "姓名", "身份证号", "村", "监护人", "监护人电话"])
    ws.append([1, "甲", child_id(1), "东村", "李一", "13812345670"])
    ws.append([])
    ws.append(["二、困境儿童"])
    for band_row in second_band:
        ws.append(band_row)
    for row in rows:
        ws.append(row)
    if len(second_band) == 2:
        ws.merge_cells("E6:F6")  # 监护人 over 姓名 / 电话
        for col in "ABCD":
            ws.merge_cells(f"{col}6:{col}7")
    path = tmp_path / "两张表.xlsx"
    book.save(path)
    return path


def test_a_second_tables_problems_name_its_own_headers(db, tmp_path) -> None:
    path = _two_tables(
        tmp_path,
        [["序号", "儿童姓名", "公民身份号码", "所在村", "监护人", "监护人联系方式"]],
        [
            [1, "乙", "14070220150303002", "北村", "王二", "1381234567"],  # short ID and phone
            [2, "丙", child_id(3), "北村", "王三", "13812345679"],
        ],
    )
    plan = plan_of(db, path)
    problems = {(i.row, i.column) for i in [*plan.errors, *plan.warnings]}
    assert (7, "公民身份号码") in problems and (7, "监护人联系方式") in problems
    assert not {c for _r, c in problems} & {"身份证号", "监护人电话"}
    out = write_error_report(plan, tmp_path / "问题.xlsx")
    rows = [r for r in load_workbook(out).active.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[2] == "儿童姓名")
    assert rows[at - 1][0] == "二、困境儿童"  # the title: its category is read again on re-import
    assert rows[at + 1][:4] == (7, 1, "乙", "14070220150303002")
    assert "【公民身份号码】" in rows[at + 1][-1]


def test_a_second_table_with_a_two_row_header_is_flattened(db, tmp_path) -> None:
    path = _two_tables(
        tmp_path,
        [
            ["序号", "姓名", "公民身份号码", "村", "监护人", None],
            [None, None, None, None, "姓名", "电话"],
        ],
        [
            [1, "乙", child_id(2), "北村", "王二", "13812345678"],
            [2, "丙", child_id(3), "北村", "王三", "1381234567"],  # a digit short
        ],
    )
    plan = plan_of(db, path)
    facts = {
        row: (f.name, f.guardian_name, f.guardian_phone) for (_s, row), f in _facts(plan).items()
    }
    assert facts == {
        3: ("甲", "李一", "13812345670"),
        8: ("乙", "王二", "13812345678"),
        9: ("丙", "王三", "1381234567"),
    }
    assert [(i.row, i.column) for i in plan.errors + plan.warnings] == [(9, "监护人/电话")]
    assert "第 6、7 行是另一张表的表头" in " ".join(plan.sheets[0].notes)
    out = write_error_report(plan, tmp_path / "问题.xlsx")
    rows = [r for r in load_workbook(out).active.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[5] == "姓名" and r[6] == "电话")
    assert rows[at - 1][1:6] == ("序号", "姓名", "公民身份号码", "村", "监护人")
    assert rows[at + 1][:7] == (9, 2, "丙", child_id(3), "北村", "王三", "1381234567")
    # The report, sent back as it is, is read by the same two headers (问题说明 not a
    # guardian's column though it stands beside 监护人's).
    again = plan_of(db, out)
    assert [(i.row, i.column) for i in again.errors + again.warnings] == [(9, "监护人/电话")]
    assert "未识别" not in " ".join(again.sheets[0].notes)


def test_a_village_left_blank_below_a_filled_one_is_warned_not_guessed(db, tmp_path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "名单"
    ws.append(["序号", "姓名", "身份证号", "所在村", "监护人"])
    ws.append([1, "甲", child_id(1), "东村", "李一"])
    ws.append([2, "乙", child_id(2), None, "李二"])  # "same as above", not merged
    ws.append([3, "丙", child_id(3), "  ", "李三"])
    ws.append([4, "丁", child_id(4), "西村", "李四"])
    ws.append([5, "戊", child_id(5), "北村", "李五"])  # merged down over row 7: 北村 too
    ws.append([6, "己", child_id(6), None, "李六"])
    ws.merge_cells("D6:D7")
    path = tmp_path / "村空白.xlsx"
    book.save(path)
    plan = plan_of(db, path)
    villages = {row: f.village for (_s, row), f in _facts(plan).items()}
    assert villages == {2: "东村", 3: "", 4: "", 5: "西村", 6: "北村", 7: "北村"}
    warned = {(i.row, i.column): i.message for i in plan.warnings}
    assert set(warned) == {(3, "所在村"), (4, "所在村")}
    assert "上面第 2 行是“东村”" in warned[(3, "所在村")]
    assert "本行导入后没有村" in warned[(4, "所在村")]
    assert not plan.errors
    # With --village the row takes it, and the warning says so.
    plan = plan_of(db, path, village="南村")
    assert {row: f.village for (_s, row), f in _facts(plan).items()}[3] == "南村"
    assert "本行按指定的村“南村”导入" in {i.row: i.message for i in plan.warnings}[3]


def test_a_second_tables_title_names_its_category_with_no_category_column(db, tmp_path) -> None:
    path = _two_tables(
        tmp_path,
        [["序号", "姓名", "公民身份号码", "村", "监护人", "监护人电话"]],
        [[1, "乙", child_id(2), "北村", "王二", "13812345678"]],
    )
    plan = plan_of(db, path)
    categories = {row: f.categories for (_s, row), f in _facts(plan).items()}
    # Not the first table's 农村留守儿童 (its title line) for everyone.
    assert categories == {3: ("农村留守儿童",), 7: ("困境儿童",)}
    assert not plan.errors and not plan.warnings
    assert "第 6 行起的表按其上方的“二、困境儿童”记为困境儿童" in plan.sheets[0].notes


def test_a_second_tables_own_tick_columns_are_read_and_named(db, tmp_path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "名单"
    ws.append(["序号", "姓名", "身份证号", "村", "留守儿童", "孤儿"])
    ws.append([1, "甲", child_id(1), "东村", "√", None])
    ws.append([])
    ws.append(["序号", "儿童姓名", "公民身份号码", "所在村", "是否留守", "是否孤儿"])
    ws.append([1, "乙", child_id(2), "北村", "√", None])
    ws.append([2, "丙", child_id(3), "北村", "?", "√"])
    path = tmp_path / "两张勾选表.xlsx"
    book.save(path)
    plan = plan_of(db, path)
    got = {row: f.categories for (_s, row), f in _facts(plan).items()}
    assert got == {2: ("农村留守儿童",), 5: ("农村留守儿童",), 6: ("孤儿",)}
    unread = [(r, c) for r, c, m in _issues(plan) if "看不出是否勾选" in m]
    assert unread == [(6, "是否留守")]  # the second table's header, as written
