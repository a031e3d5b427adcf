"""The written workbook as a person sees it in Excel: formats, filters, drop-downs, hidden base."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from carebook.exchange.county.columns import CHILDREN, DATA_SHEETS, VISITS
from carebook.exchange.county.crypto import decrypt_to_memory, encrypt_file
from carebook.exchange.county.reader import CountyWorkbook, is_county_workbook
from carebook.exchange.county.values import CellError, canonical, column_letter, signature
from carebook.exchange.county.writer import CountyWorkbookWriter

UID = "a" * 32


def _child_row(**changes):
    values = {c.field: "" for c in CHILDREN.columns}
    values.update(
        uid=UID,
        township="宗艾镇",
        village="东村",
        name="张子涵",
        sex="女",
        id_number="110105201503120025",
        birth_date=date(2015, 3, 12),
        categories="农村留守儿童",
        care_level="一般",
        status="在册",
        father_phone="13987654321",
        notes="=1+1",
        updated_at=datetime(2026, 11, 1, 9, 30),
    )
    values.update(changes)
    return [values[c.field] for c in CHILDREN.columns]


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "book.xlsx"
    writer = CountyWorkbookWriter(
        path, {"workbook_uid": "w" * 32, "origin_uid": "o" * 32, "masked_ids": "false", "scope": {}}
    )
    values = _child_row()
    texts = [canonical(c, values[i]) for i, c in enumerate(CHILDREN.columns) if c.merged]
    writer.add_row(CHILDREN, values, signature(texts))
    writer.write_cover([("导出时间", "2026-11-28")], "关爱簿数据交换")
    writer.write_stats(
        ["乡镇", "村（社区）", "在册儿童", "结对率"],
        [["宗艾镇", "东村", 1, 0.5], ["合计", "", 1, 0.5]],
    )
    writer.close()
    return path


def test_sheets_in_contract_order_and_base_very_hidden(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["说明", *[s.name for s in DATA_SHEETS], "统计", "_carebook"]
    assert wb["_carebook"].sheet_state == "veryHidden"
    assert is_county_workbook(book)


def test_cells_follow_the_cell_rules(book):
    ws = openpyxl.load_workbook(book)["儿童"]
    header = [c.value for c in ws[1]]
    assert header == list(CHILDREN.headers)
    row = {h: ws.cell(2, i + 1) for i, h in enumerate(header)}
    assert (row["公民身份号码"].value, row["公民身份号码"].number_format) == (
        "110105201503120025",
        "@",
    )
    assert row["公民身份号码"].data_type == "s"
    assert row["父亲电话"].number_format == "@" and row["父亲电话"].value == "13987654321"
    assert row["出生日期"].value == datetime(2015, 3, 12)
    assert row["出生日期"].number_format == "yyyy-mm-dd"
    assert (row["备注"].value, row["备注"].data_type) == ("=1+1", "s")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{column_letter(len(header) - 1)}2"
    assert "不要修改" in ws["A1"].comment.text
    assert ws["A2"].fill.fgColor.rgb.endswith("D9D9D9")
    assert ws.column_dimensions["G"].width >= 20
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["E2"] == '"男,女"'
    assert lists["K2"] == '"在册,退出"'
    visits = openpyxl.load_workbook(book)["走访记录"]
    assert any("入户走访" in dv.formula1 for dv in visits.data_validations.dataValidation)


def test_reader_finds_columns_by_header_and_reports_cells_as_excel_shows_them(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["儿童"]
    ws.cell(2, 8).value = "2015-02-30"  # 出生日期, column H
    wb.save(book)
    with CountyWorkbook(book) as cb:
        assert cb.meta.workbook_uid == "w" * 32
        assert list(cb.base["c"]) == [UID]
        layout, rows = cb.read_sheet(CHILDREN)
        (row,) = list(rows)
    assert layout.missing == [] and layout.extra == []
    assert [(p.sheet, p.row, p.column, p.header) for p in row.problems] == [
        ("儿童", 2, "H", "出生日期")
    ]


def test_canonical_values():
    col = VISITS.column("visited_on")
    assert canonical(col, "2026年3月5日") == "2026-03-05"
    assert canonical(col, datetime(2026, 3, 5)) == "2026-03-05"
    with pytest.raises(CellError):
        canonical(col, "下周")
    assert canonical(CHILDREN.column("id_number"), "110105201503120025 ") == "110105201503120025"
    with pytest.raises(CellError, match="数字"):
        canonical(CHILDREN.column("id_number"), 1.10105201503120e17)
    assert (
        canonical(CHILDREN.column("categories"), "留守,重残")
        == "农村留守儿童、困境儿童（重病重残）"
    )
    assert column_letter(0) == "A" and column_letter(27) == "AB"


def test_encrypt_and_decrypt(book, tmp_path):
    locked = tmp_path / "locked.xlsx"
    encrypt_file(book, locked, "密码123")
    assert is_county_workbook(locked)  # unreadable without a password, so it may be one
    assert is_county_workbook(locked, "密码123")
    assert decrypt_to_memory(locked, "密码123").read(2) == b"PK"


def test_a_cancelled_export_leaves_no_temporary_sheets_and_no_file(demo_db, tmp_path):
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    from carebook.services.county_exchange import export_workbook

    before = set(ALL_TEMP_FILES)
    out = tmp_path / "县.xlsx"
    job = export_workbook(demo_db, out)
    for progress in job:
        if "保存" in progress.message:  # every row written, the workbook not saved yet
            break
    job.close()  # what the GUI's cancel button and Ctrl-C do
    left = [f for f in ALL_TEMP_FILES if f not in before]
    assert left == [] and list(tmp_path.glob("*.xlsx")) == []


def test_a_county_workbook_saved_again_as_xls_is_recognised_and_explained(tmp_path):
    import xlwt

    from carebook.exchange.county.reader import CountyWorkbook, WorkbookError, is_county_workbook

    def xls(name, sheets):
        book = xlwt.Workbook()
        for sheet in sheets:
            book.add_sheet(sheet).write(0, 0, "carebook" if sheet == "_carebook" else "姓名")
        book.save(str(tmp_path / name))
        return tmp_path / name

    resaved = xls("县里另存.xls", ["说明", "儿童", "_carebook"])
    ledger = xls("名单.xls", ["名单"])
    # Only an .xlsx can be merged; reading it back explains what to do.
    assert not is_county_workbook(resaved) and not is_county_workbook(ledger)
    with pytest.raises(WorkbookError, match="另存为“Excel 工作簿"):
        CountyWorkbook(resaved)


def test_a_county_workbook_saved_again_as_xls_is_not_imported_as_a_ledger(db, tmp_path):
    # Imported as a ledger it would copy the county's values over the register, unmerged.
    import xlwt

    from carebook.services.ledger_import import build_plan
    from carebook.services.ledger_plan import ImportRefused
    from carebook.services.progress import run_to_end

    book = xlwt.Workbook()
    children = book.add_sheet("儿童")
    for c, header in enumerate(("姓名", "身份证号", "村")):
        children.write(0, c, header)
    for c, value in enumerate(("张子涵", "110105201503120025", "东村")):
        children.write(1, c, value)
    book.add_sheet("_carebook").write(0, 0, "carebook")
    path = tmp_path / "县里另存.xls"
    book.save(str(path))
    with pytest.raises(ImportRefused, match=r"交换工作簿.*另存为"):
        run_to_end(build_plan(db, path))


def test_a_full_disk_while_saving_says_so_once_with_no_traceback(db, tmp_path, monkeypatch):
    # openpyxl leaves its zip archive open when writing fails; the archive then tried to close
    # itself at garbage collection, failed again on the full disk and printed a traceback
    # ("Exception ignored in: ZipFile.__del__ ... No space left on device") under the message.
    import errno
    import gc
    import sys
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    from carebook.services.county_exchange import export_workbook
    from carebook.services.errors import ServiceError
    from carebook.services.progress import run_to_end

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ExcelWriter, "write_data", full)
    monkeypatch.setattr(zipfile.ZipFile, "_write_end_record", full)
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(ServiceError, match="磁盘已满"):
        run_to_end(export_workbook(db, tmp_path / "县.xlsx"))
    gc.collect()
    assert unraisable == [] and list(tmp_path.glob("*.xlsx")) == []
