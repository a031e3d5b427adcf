"""Spreadsheets as townships send them, built in code: titles, merged headers, damaged IDs."""
# ruff: noqa: E501

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import xlwt
from openpyxl import Workbook

from carebook.domain.id_numbers import make_id

REGION = "140728"


def child_id(n: int, year: int = 2015) -> str:
    return make_id(REGION, date(year, 1 + n % 12, 1 + n % 28), n % 1000)


def bad_check(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def ledger_rows(count: int, start: int = 1) -> list[list[object]]:
    """Plain child rows: 序号 姓名 性别 身份证号 出生日期 村 监护人 电话 类别."""
    rows = []
    for n in range(start, start + count):
        number = child_id(n)
        sex = "男" if int(number[16]) % 2 else "女"
        rows.append(
            [n, f"张{'一二三四五六七八九'[n % 9]}{n}", sex, number, f"{number[6:10]}.{int(number[10:12])}."
             f"{int(number[12:14])}", "东村", "李桂兰", f"138{n:08d}", "留守"]
        )  # fmt: skip
    return rows


HEADER = ["序号", "姓名", "性别", "身份证号", "出生日期", "村", "监护人", "联系电话", "类别"]


def write_xlsx(path: Path, rows: list[list[object]], *, title: str | None = None,
               header: list[str] = HEADER, footer: bool = True, sheets: dict | None = None) -> Path:  # fmt: skip
    book = Workbook()
    ws = book.active
    ws.title = "名单"
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    if footer:
        ws.append([])
        ws.append(["填表人：", "", "审核人：", "", "日期：2026年9月1日"])
    for name, content in (sheets or {}).items():
        extra = book.create_sheet(name)
        for row in content:
            extra.append(row)
    book.save(path)
    return path


def write_merged_xls(path: Path, rows: list[list[object]]) -> Path:
    """序号 村名 儿童姓名 公民身份号码 困境类别 | 监护人 (姓名 关系 电话) merged across two rows."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("困境儿童")
    for col, text in enumerate(["序号", "村名", "儿童姓名", "公民身份号码", "困境类别"]):
        ws.write_merge(0, 1, col, col, text)
    ws.write_merge(0, 0, 5, 7, "监护人")
    for col, text in enumerate(["姓名", "关系", "电话"], start=5):
        ws.write(1, col, text)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    summary = book.add_sheet("汇总")
    summary.write(0, 0, "村")
    summary.write(0, 1, "人数")
    summary.write(1, 0, "后沟村")
    summary.write(1, 1, 3)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "gb18030",
              delimiter: str = ",", header: list[str] = HEADER) -> Path:  # fmt: skip
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_ods(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    def cell(value: object) -> str:
        if isinstance(value, int):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
        for row in [header, *rows]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="名单">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)  # fmt: skip
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def rewrite_sheet_xml(path: Path, change) -> Path:
    """Rewrite xl/worksheets/sheet1.xml of an .xlsx through change(text) -> text."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = change(parts[sheet].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def volunteer_rows(count: int) -> list[list[object]]:
    return [
        [n, f"王{n}妈", "女", f"139{n:08d}", "妇联执委", "县妇联", "东村"]
        for n in range(1, count + 1)
    ]


VOLUNTEER_HEADER = ["序号", "姓名", "性别", "手机", "身份", "工作单位", "村"]
