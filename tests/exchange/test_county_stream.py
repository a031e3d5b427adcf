"""The streaming sheet reader used for very large sheets reads exactly what calamine reads."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.exchange.county import reader as reader_module
from carebook.exchange.county.columns import DATA_SHEETS
from carebook.exchange.county.reader import CountyWorkbook
from tests.services.county_helpers import Clerk, export, merge


def _everything(path, monkeypatch, threshold):
    monkeypatch.setattr(reader_module, "STREAM_ABOVE_ROWS", threshold)
    with CountyWorkbook(path) as book:
        out = {"meta": book.meta, "base": book.base}
        for spec in DATA_SHEETS:
            layout, rows = book.read_sheet(spec)
            out[spec.name] = (layout.positions, layout.extra, [vars(r) for r in rows])
    return out


@pytest.mark.parametrize("edited", [False, True])
def test_stream_reader_matches_calamine(demo_db, tmp_path, monkeypatch, edited):
    path = tmp_path / "w.xlsx"
    export(demo_db, path)
    if edited:  # saved by a spreadsheet program: shared strings, a column added, a text date
        clerk = Clerk(path)
        uid = clerk.sheet("儿童").cell(2, 1).value
        clerk.set("儿童", uid, "备注", "县里 <核实> & 改过")
        clerk.add("走访记录", {"儿童编号": uid, "走访日期": "2026/3/5", "走访方式": "入户走访"})
        clerk.add("走访记录", {"儿童编号": uid, "走访日期": date(2026, 3, 6)})
        clerk.sheet("结对").insert_cols(2)
        clerk.sheet("结对").cell(1, 2).value = "县里备注"
        clerk.sheet("结对").cell(3, 2).value = "=1+1"  # a formula: read by the general patterns
        clerk.sheet("结对").cell(4, 2).value = True
        clerk.sheet("帮扶记录").cell(2, 7).value = 2.5
        clerk.save()
    whole = _everything(path, monkeypatch, 10**9)
    streamed = _everything(path, monkeypatch, 0)
    assert streamed == whole
    assert sum(len(v) for v in whole["base"].values()) > 3000


def _as_exported(path, monkeypatch, threshold):
    """Per sheet: (uids read as exported by fingerprint, uids read in full)."""
    monkeypatch.setattr(reader_module, "STREAM_ABOVE_ROWS", threshold)
    out = {}
    with CountyWorkbook(path) as book:
        for spec in DATA_SHEETS:
            _layout, rows = book.read_sheet(spec, book.fingerprints[spec.code])
            rows = list(rows)
            out[spec.name] = (
                {r.uid for r in rows if r.as_exported},
                {r.uid for r in rows if not r.as_exported},
            )
    return out


@pytest.mark.parametrize("threshold", [10**9, 0], ids=["calamine", "streamed"])
def test_fingerprints_pass_untouched_rows_and_only_those(demo_db, tmp_path, monkeypatch, threshold):
    path = tmp_path / "w.xlsx"
    export(demo_db, path)
    fresh = _as_exported(path, monkeypatch, threshold)
    assert all(not full and same for same, full in fresh.values())
    # Saved again by a spreadsheet program: shared strings, dates re-written, yet the same values.
    clerk = Clerk(path)
    child = clerk.sheet("儿童").cell(2, 1).value
    visit = clerk.sheet("走访记录").cell(3, 1).value
    pairing = clerk.sheet("结对").cell(2, 1).value
    clerk.set("儿童", child, "备注", "县里 <核实> & 改过")
    clerk.set("走访记录", visit, "走访日期", "2026/3/5")  # a date typed as text
    clerk.set("结对", pairing, "结束原因", "县里更正")
    ws = clerk.sheet("帮扶记录")
    ws.insert_cols(3)  # a column added: positions move, fingerprints still found by header
    ws.cell(1, 3).value = "县里备注"
    clerk.save()
    saved = _as_exported(path, monkeypatch, threshold)
    same, full = saved["儿童"]
    assert full == {child} and child not in same
    same, full = saved["走访记录"]
    assert full == {visit} and len(same) == len(fresh["走访记录"][0]) - 1
    assert saved["帮扶记录"] == fresh["帮扶记录"]
    assert saved["爱心妈妈"] == fresh["爱心妈妈"]
    assert saved["结对"] == (fresh["结对"][0] - {pairing}, {pairing})


def test_workbooks_without_fingerprints_still_merge(demo_db, tmp_path, monkeypatch):
    """A workbook exported before fingerprints has three columns of base: the full path reads it."""
    path = tmp_path / "w.xlsx"
    export(demo_db, path)
    clerk = Clerk(path)
    for row in clerk.sheet("_carebook").iter_rows():
        if len(row) > 3:
            row[3].value = None
    clerk.save()
    plan, result = merge(demo_db, path)
    assert result.unchanged == plan.rows > 3000
    assert (result.created, result.updated, len(plan.conflicts)) == (0, 0, 0)


def test_cell_shapes_excel_and_wps_write(tmp_path):
    """Plain cells read by the row pattern; anything else by the general one, same values."""
    import zipfile

    from carebook.exchange.county.stream import iter_cells, row_values

    sheet = (
        '<worksheet><sheetData><row r="1" spans="1:4"><c r="A1" s="1" t="s"><v>0</v></c>'
        '<c r="B1" t="inlineStr"><is><t xml:space="preserve">a &amp; b</t></is></c>'
        '<c r="D1" s="2"><v>45741</v></c></row><row r="3"/>'
        '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4"><f>1+1</f><v>2</v></c>'
        '<c r="C4" t="inlineStr"><is><r><t>县</t></r><r><t>里</t></r></is></c>'
        '<c r="E4" s="3" t="n"><v>2.5</v></c></row>'
        '<row r="5"><c r="A5" s="1" t="s"/><c r="B5" t="str"><v>x&lt;y</v></c></row>'
        "</sheetData><rowBreaks/></worksheet>"
    )
    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sheet.xml", sheet)
    with zipfile.ZipFile(path) as archive:
        rows = [(n, row_values(c)) for n, c in iter_cells(archive, "sheet.xml", ["县妇联"])]
    assert rows == [
        (1, ["县妇联", "a & b", "", 45741]),
        (4, [True, 2, "县里", "", 2.5]),
        (5, ["", "x<y"]),
    ]
