"""Readers: every format a township sends, and bad files refused in bounded time and memory."""
# ruff: noqa: E501

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest

from carebook.exchange.errors import FileRefused, PasswordNeeded, WrongPassword
from carebook.exchange.readers import read_workbook
from carebook.exchange.text_files import detect_delimiter, detect_encoding
from tests.exchange.builders import (
    HEADER,
    ledger_rows,
    rewrite_sheet_xml,
    write_csv,
    write_merged_xls,
    write_ods,
    write_xlsx,
)


def _cells(book, sheet=0):
    return book.sheets[sheet].rows


def test_xlsx_rows_keep_excel_row_numbers_and_skip_blank_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", ledger_rows(3), title="东村留守儿童台账")
    book = read_workbook(path)
    numbers = [n for n, _ in _cells(book)]
    assert numbers[:5] == [1, 2, 3, 4, 5]
    assert 6 not in numbers  # the blank row before the footer
    assert _cells(book)[1][1][3] == "身份证号"


def test_number_id_cell_arrives_as_a_number(tmp_path: Path) -> None:
    rows = ledger_rows(1)
    rows[0][3] = 1.40728201501010e17
    book = read_workbook(write_xlsx(tmp_path / "a.xlsx", rows))
    assert isinstance(book.sheets[0].rows[1][1][3], float)


def test_xls_with_merged_header(tmp_path: Path) -> None:
    rows = [r[:2] + r[3:4] for r in ledger_rows(2)]
    book = read_workbook(
        write_merged_xls(tmp_path / "a.xls", [[1, "后沟村", *r[1:], "孤儿"] for r in rows])
    )
    assert [s.name for s in book.sheets] == ["困境儿童", "汇总"]
    assert book.sheets[0].rows[0][1][5] == "监护人"
    assert book.sheets[0].merged


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gb18030", ","), ("utf-8-sig", ","), ("utf-8", "\t"), ("gbk", ";")],
)
def test_text_files_in_every_encoding_and_delimiter(tmp_path: Path, encoding, delimiter) -> None:
    path = write_csv(tmp_path / "a.csv", ledger_rows(2), encoding=encoding, delimiter=delimiter)
    book = read_workbook(path)
    first = book.sheets[0].rows[0][1]
    assert first[0] == "序号" and first[1] == "姓名"  # no BOM left on the first header
    assert book.sheets[0].line_numbers


def test_encoding_and_delimiter_sniffing() -> None:
    assert detect_encoding("姓名".encode("gb18030")) == "gb18030"
    assert detect_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"
    assert detect_encoding("姓名".encode()) == "utf-8"
    assert detect_delimiter("a;b;c\n1;2;3\n") == ";"
    assert detect_delimiter("a\tb,c\n1\t2,3\n4\t5\n") == "\t"


def test_ods(tmp_path: Path) -> None:
    book = read_workbook(write_ods(tmp_path / "a.ods", ledger_rows(2)))
    assert book.kind == "ods"
    assert book.sheets[0].rows[0][1][:2] == ("序号", "姓名")
    assert book.sheets[0].rows[1][1][1] == "张二1"


def test_encrypted_workbook_asks_for_its_password(tmp_path: Path) -> None:
    plain = write_xlsx(tmp_path / "plain.xlsx", ledger_rows(2))
    encrypted = tmp_path / "locked.xlsx"
    out = io.BytesIO()
    with plain.open("rb") as fh:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("秘密123", out)
    encrypted.write_bytes(out.getvalue())
    with pytest.raises(PasswordNeeded, match="密码"):
        read_workbook(encrypted)
    with pytest.raises(WrongPassword, match="密码不对"):
        read_workbook(encrypted, password="wrong")
    assert read_workbook(encrypted, password="秘密123").sheets[0].rows[1][1][1] == "张二1"


def test_wps_et_is_refused_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "名单.et"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(FileRefused, match=r"另存为 \.xlsx"):
        read_workbook(path)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.xlsx", b"", "空的"),
        ("text.xlsx", "姓名,身份证号\n张三,1\n".encode(), "不是表格"),
        ("cut.xlsx", None, "损坏"),
        ("junk.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 2000, "损坏"),
        ("noexcel.xlsx", "zip", "没有工作表"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "不能导入"),
    ],
)
def test_bad_files_are_refused_with_one_sentence(tmp_path: Path, name, content, words) -> None:
    path = tmp_path / name
    if content is None:
        whole = write_xlsx(tmp_path / "whole.xlsx", ledger_rows(50)).read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    elif content == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        path.write_bytes(content)
    with pytest.raises(FileRefused, match=words) as caught:
        read_workbook(path)
    assert "\n" not in caught.value.message


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "lol.xlsx", ledger_rows(1))
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{"&lol;" * 10 if i == 1 else f"&lol{i - 1};" * 10}">'
            for i in range(1, 9)
        )
        + "]>"
    )
    rewrite_sheet_xml(
        path,
        lambda text: bomb + text.split("?>", 1)[-1].replace("<sheetData>", "<sheetData>&lol8;"),
    )
    with pytest.raises(FileRefused, match="实体"):
        read_workbook(path)


def test_sheet_declaring_a_million_rows_holding_two(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "dim.xlsx", ledger_rows(2), footer=False)
    rewrite_sheet_xml(
        path,
        lambda t: t.replace('<dimension ref="A1:I3"', '<dimension ref="A1:XFD1048576"').replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
        ),
    )
    book = read_workbook(path)
    numbers = [n for n, _ in book.sheets[0].rows]
    assert numbers == [1, 2, 3, 1048576]
    assert len(book.sheets[0].rows[1][1]) <= 16384


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1 << 20)
            for _ in range(60):
                part.write(chunk)
    with pytest.raises(FileRefused, match="异常"):
        read_workbook(path)


def test_header_row_of_a_csv_is_line_one(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("\n".join([",".join(HEADER), "", "1,张三,男"]), encoding="utf-8")
    rows = read_workbook(path).sheets[0].rows
    assert [n for n, _ in rows] == [1, 3]
