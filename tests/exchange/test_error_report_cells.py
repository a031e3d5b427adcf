"""The import error report gives cells back as they were read: text stays text."""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook

from carebook.exchange.error_report import ReportSheet, write_report


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    rows = [(2, ("张三", "=见上一行", '=HYPERLINK("http://x","点我")'), "错误：身份证号不对")]
    sheet = ReportSheet("名单", (("姓名", "备注", "其他"),), rows, title="=标题")
    path = write_report(tmp_path / "问题.xlsx", [sheet], source="名单.xlsx")
    with zipfile.ZipFile(path) as book:
        xml = "".join(book.read(n).decode() for n in book.namelist() if "worksheets" in n)
    assert "<f>" not in xml
    values = [c for row in load_workbook(path).active.iter_rows(values_only=True) for c in row]
    assert "=见上一行" in values and "=标题" in values
