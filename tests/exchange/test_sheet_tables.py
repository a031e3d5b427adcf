"""Finding the table: header band under titles, merged two-row headers, footers, summary sheets."""
# ruff: noqa: E501

from __future__ import annotations

from carebook.exchange.columns import header_key, synonyms
from carebook.exchange.readers import RawSheet
from carebook.exchange.sheet_tables import SheetTable, SkippedSheet, find_table, is_footer


def _sheet(rows, name="名单"):
    return RawSheet(name, [(n, tuple(r)) for n, r in enumerate(rows, start=1) if any(r)])


def test_header_below_title_and_filler_lines() -> None:
    table = find_table(
        _sheet(
            [
                ["宗艾镇困境儿童信息登记表"],
                ["填报单位：宗艾镇人民政府", "", "", "填报日期：2026年9月"],
                ["序号", "儿童\n姓名", "公民身份号码", "村（社区）", "监护人 电话"],
                [1, "张三", "140728201501010011", "东村", "13800000000"],
            ]
        )
    )
    assert isinstance(table, SheetTable)
    assert table.header_rows == (3,)
    assert "宗艾镇困境儿童信息登记表" in table.title
    fields = table.field_columns()
    assert fields == {"name": 1, "id_number": 2, "village": 3, "guardian_phone": 4}


def test_merged_two_row_header_is_flattened() -> None:
    table = find_table(
        _sheet(
            [
                ["序号", "儿童姓名", "身份证号", "父亲情况", "", "", "监护人", "", "母亲"],
                ["", "", "", "姓名", "电话", "务工地点", "姓名", "关系", "状态"],
                [
                    1,
                    "张三",
                    "140728201501010011",
                    "张父",
                    "13800000000",
                    "太原",
                    "李奶",
                    "祖母",
                    "在家",
                ],
            ]
        )
    )
    assert table.header_rows == (1, 2)
    fields = table.field_columns()
    assert fields["father_name"] == 3 and fields["father_phone"] == 4
    assert fields["father_work_place"] == 5 and fields["guardian_name"] == 6
    assert fields["guardian_relation"] == 7 and fields["mother_status"] == 8
    assert table.columns[4].header == "父亲情况/电话"
    assert [n for n, _ in table.data] == [3]


def test_group_row_above_the_main_header() -> None:
    table = find_table(
        _sheet(
            [
                ["基本情况", "", "", "监护人情况", ""],
                ["姓名", "性别", "身份证号码", "姓名", "联系电话"],
                ["张三", "男", "140728201501010011", "李奶", "13800000000"],
            ]
        )
    )
    assert table.header_rows == (1, 2)
    assert table.field_columns() == {
        "name": 0, "sex": 1, "id_number": 2, "guardian_name": 3, "guardian_phone": 4,
    }  # fmt: skip


def test_footers_repeated_headers_and_blank_rows_are_not_data() -> None:
    header = ["序号", "姓名", "身份证号", "村"]
    table = find_table(
        _sheet(
            [
                header,
                [1, "张三", "140728201501010011", "东村"],
                header,
                [2, "李四", "140728201501010038", "东村"],
                ["合计", "", "2人"],
                ["制表人：王芳", "", "审核人：", ""],
                ["注：身份证号请设为文本格式"],
            ]
        )
    )
    assert [n for n, _ in table.data] == [2, 4]
    assert table.ignored_rows == 4


def test_text_rows_and_numbered_rows_are_sorted_out_alike() -> None:
    """Rows as csv gives them (all text) and as a spreadsheet does (a 序号 number, empty cells)."""
    header = ["序号", "姓名", "身份证号", "村"]
    for number in (str, float):
        table = find_table(
            _sheet(
                [
                    header,
                    [number(1), "张三", "140728201501010011", "东村"],
                    [number(2), " 姓名 ", "身份证号 ", "村"],  # the header again, spaced out
                    [number(3), "李四", "140728201501010038", None if number is float else ""],
                    ["  ", "", " ", ""],
                    [number(4), "姓名", "王五", "东村"],  # one header word is not a header row
                    ["合计", "", "2人", ""],
                    [" 5", "赵六", "140728201501010054", "西村"],
                ]
            )
        )
        assert [n for n, _ in table.data] == [2, 4, 6, 8], number
        assert table.ignored_rows == 3, number


def test_summary_sheet_is_skipped_with_a_reason() -> None:
    skipped = find_table(_sheet([["村", "人数"], ["东村", 3]], name="汇总"))
    assert isinstance(skipped, SkippedSheet)
    assert "汇总" in skipped.reason
    nothing = find_table(_sheet([["一些说明文字"], ["第二行"]], name="Sheet3"))
    assert isinstance(nothing, SkippedSheet) and "表头" in nothing.reason


def test_unknown_column_is_reported_and_can_be_mapped() -> None:
    table = find_table(
        _sheet([["姓名", "身份证号", "爱好"], ["张三", "140728201501010011", "画画"]])
    )
    unknown = [c for c in table.columns if c.field is None]
    assert [c.header for c in unknown] == ["爱好"]
    mapped = table.with_mapping({header_key("爱好"): "notes"})
    assert mapped.field_columns()["notes"] == 2
    assert mapped.signature == table.signature


def test_duplicate_meaning_uses_the_first_column() -> None:
    table = find_table(
        _sheet(
            [["姓名", "身份证号", "监护人电话", "联系电话"], ["张", "140728201501010011", "1", "2"]]
        )
    )
    assert table.field_columns()["guardian_phone"] == 2
    assert "含义相同" in table.columns[3].note


def test_volunteer_list_is_recognised() -> None:
    table = find_table(
        _sheet(
            [
                ["序号", "姓名", "手机号码", "身份", "工作单位"],
                [1, "王芳", "13900000000", "妇联执委", "县妇联"],
            ]
        )
    )
    assert table.kind == "volunteer"
    assert table.field_columns() == {"name": 1, "phone": 2, "identities": 3, "work_unit": 4}


def test_header_spellings() -> None:
    table = synonyms()
    for text, field in [
        ("公民身份号码", "id_number"), ("证件号码", "id_number"), ("身份证号 码", "id_number"),
        ("村（社区）", "village"), ("村居", "village"), ("所在村", "village"),
        ("出生日期(年月日)", "birth_date"), ("儿童姓名*", "name"), ("监护人\n电话", "guardian_phone"),
    ]:  # fmt: skip
        assert table.field_for("child", text) == field, text
    assert is_footer(("审核人：", "", "")) and not is_footer(("张三", "男"))


def test_header_after_a_long_filling_guide() -> None:
    guide = [["填报说明："]] + [
        [f"{n}. 身份证号、出生日期、监护人电话请按文本格式填写，不得合并单元格。"]
        for n in range(1, 26)
    ]
    rows = [["洪善镇农村留守儿童信息台账"], ["填报单位（盖章）：", "", "填报日期："], *guide]
    rows += [["序号", "姓名", "身份证号", "村"], [1, "张三", "140728201501010011", "东村"]]
    table = find_table(_sheet(rows))
    assert isinstance(table, SheetTable)
    assert table.header_rows == (29,)
    assert [n for n, _cells in table.data] == [30]


def test_a_two_row_header_printed_again_on_each_page_changes_nothing() -> None:
    top = ["序号", "儿童姓名", "身份证号", "父亲情况", "", "母亲情况", ""]
    sub = ["", "", "", "姓名", "电话", "姓名", "电话"]
    rows = [
        top,
        sub,
        [1, "张一", "140728201501010011", "张父", "13800000001", "李母", "13900000001"],
    ]
    rows += [
        top,
        sub,
        [2, "张二", "140728201501020013", "王父", "13800000002", "赵母", "13900000002"],
    ]
    table = find_table(_sheet(rows))
    assert isinstance(table, SheetTable)
    assert table.header_rows == (1, 2) and not table.notes
    fields = table.field_columns()
    assert [cells[fields["father_name"]] for _n, cells in table.data] == ["张父", "王父"]
    assert [cells[fields["mother_phone"]] for _n, cells in table.data] == [
        "13900000001",
        "13900000002",
    ]
