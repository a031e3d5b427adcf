"""The streaming sheet reader used for very large sheets reads exactly what calamine reads."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.exchange.county import reader as reader_module
from carebook.exchange.county.columns import DATA_SHEETS
from carebook.exchange.county.reader import CountyWorkbook
from tests.services.county_helpers import Clerk, export


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
        clerk.save()
    whole = _everything(path, monkeypatch, 10**9)
    streamed = _everything(path, monkeypatch, 0)
    assert streamed == whole
    assert sum(len(v) for v in whole["base"].values()) > 3000
