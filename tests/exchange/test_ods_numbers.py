"""An .ods number cell whose text holds all 18 digits of an ID number is read as those digits."""

from __future__ import annotations

import zipfile
from pathlib import Path

from carebook.exchange.readers import read_workbook
from carebook.exchange.sheet_tables import find_table
from tests.exchange.builders import child_id

_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _text(value: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    )


def _number(value: str, shown: str) -> str:
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}">'
        f"<text:p>{shown}</text:p></table:table-cell>"
    )


def _ods(path: Path, rows: list[str], name: str = "名单") -> Path:
    body = "".join(rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{name}">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", content)
    return path


def _row(*cells: str, repeated: int = 1) -> str:
    attr = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{attr}>{''.join(cells)}</table:table-row>"


def test_exact_text_of_a_number_cell_gives_the_id_number(tmp_path: Path) -> None:
    exact, rounded, shown_short = child_id(1), child_id(2), child_id(3)
    gap = '<table:table-cell table:number-columns-repeated="2"/>'
    path = _ods(
        tmp_path / "a.ods",
        [
            _row(_text("东村留守儿童名单")),
            _row(repeated=3),  # empty rows LibreOffice writes as one
            _row(_text("序号"), _text("姓名"), gap, _text("身份证号")),
            _row(_number("1", "1"), _text("甲"), gap, _number(exact, exact)),
            # LibreOffice shows a float to 15 digits: the zeros are not the number typed.
            _row(_number("2", "2"), _text("乙"), gap, _number(rounded, rounded[:15] + "000")),
            _row(_number("3", "3"), _text("丙"), gap, _number(shown_short, "1.40728E+17")),
            # Text and value that disagree: the value is what the cell holds.
            _row(_number("4", "4"), _text("丁"), gap, _number("2" + exact[1:], exact)),
        ],
    )
    rows = dict(read_workbook(path).sheets[0].rows)
    assert rows[5][0] == "序号"
    assert rows[6][4] == int(exact)
    assert type(rows[7][4]) is float  # left as calamine read it: reported as damaged
    assert type(rows[8][4]) is float
    assert type(rows[9][4]) is float
    assert rows[6][:2] == (1.0, "甲")


def test_an_ods_without_long_texts_is_read_once(tmp_path: Path, monkeypatch) -> None:
    from carebook.exchange import ods_numbers

    def fail(_archive):
        raise AssertionError("parsed again without need")

    monkeypatch.setattr(ods_numbers, "long_integers", fail)
    path = _ods(tmp_path / "b.ods", [_row(_text("姓名")), _row(_text(child_id(1)))])
    assert read_workbook(path).sheets[0].rows[1][1] == (child_id(1),)


def test_the_id_number_imports_with_a_warning_to_store_it_as_text(db, tmp_path) -> None:
    from tests.services.test_ledger_import import plan_of

    number = child_id(1)
    path = _ods(
        tmp_path / "东村留守儿童.ods",
        [
            _row(_text("序号"), _text("姓名"), _text("身份证号")),
            _row(_number("1", "1"), _text("张一"), _number(number, number)),
        ],
    )
    plan = plan_of(db, path)
    assert plan.counts["create"] == 1 and not plan.errors
    assert plan.parsed[0].facts.id_number == number
    assert [(w.row, w.column) for w in plan.warnings] == [(2, "身份证号")]
    assert "存成了数字" in plan.warnings[0].message


def test_cells_merged_down_in_an_ods_are_known(tmp_path: Path) -> None:
    merged = (
        '<table:table-cell table:number-rows-spanned="2" office:value-type="string">'
        "<text:p>东村</text:p></table:table-cell>"
    )
    covered = "<table:covered-table-cell/>"
    path = _ods(
        tmp_path / "c.ods",
        [
            _row(_text("序号"), _text("姓名"), _text("身份证号"), _text("村")),
            _row(_number("1", "1"), _text("甲"), _text(child_id(1)), merged),
            _row(_number("2", "2"), _text("乙"), _text(child_id(2)), covered),
            _row(_number("3", "3"), _text("丙"), _text(child_id(3)), _text("西村")),
        ],
    )
    sheet = read_workbook(path).sheets[0]
    assert sheet.merged == ((1, 3, 2, 3),)
    table = find_table(sheet)
    assert [cells[3] for _n, cells in table.data] == ["东村", "东村", "西村"]
