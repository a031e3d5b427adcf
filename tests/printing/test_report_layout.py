"""Multi-page reports: tables run over pages with their header repeated, landscape rosters fit."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from carebook.printing.records import Report, Section
from carebook.printing.report import write_report
from tests.printing.pdf_helpers import dark_columns, dark_rows, grey_page, page_texts

COLUMNS = (("姓名", 40), ("村（社区）", 50), ("儿童类别", 90), ("监护人电话", 60))


def roster(rows: int, landscape: bool = True, **kw) -> Report:
    table = tuple((f"儿童{i:03d}", "沟坪村", "农村留守儿童", "138****5678") for i in range(rows))
    return Report(
        title="寿阳县沟坪村留守儿童和困境儿童花名册",
        subtitle=f"在册 {rows} 名",
        sections=(Section("", columns=COLUMNS, rows=table, numbered=True, **kw),),
        printed_on="2026-11-28",
        landscape=landscape,
        running_title="沟坪村花名册",
        signatures=("制表人", "审核人"),
    )


def test_a_long_table_runs_over_pages_with_its_header_on_each(tmp_path, font):
    out = tmp_path / "roster.pdf"
    progress = list(write_report(out, roster(120), font.name))
    texts = page_texts(out)
    assert len(texts) == progress[-1][1] > 2
    for number, text in enumerate(texts, start=1):
        assert "姓名" in text and "监护人电话" in text
        assert f"第 {number} 页  共 {len(texts)} 页" in text
    everything = "".join(texts)
    assert all(f"儿童{i:03d}" in everything for i in range(120))
    assert "花名册（续）" in texts[1]
    assert "制表人" in texts[-1]


def test_rows_are_numbered_in_order(tmp_path, font):
    out = tmp_path / "roster.pdf"
    list(write_report(out, roster(30), font.name))
    text = "".join(page_texts(out))
    assert text.index("儿童000") < text.index("儿童029")
    assert "30" in text


def test_landscape_pages_keep_their_top_binding_margin_clear(tmp_path, font):
    out = tmp_path / "roster.pdf"
    list(write_report(out, roster(60), font.name))
    page = PdfReader(out).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    dpi = 40
    width, height, pixels = grey_page(out, dpi=dpi, page=2)
    rows = dark_rows(width, height, pixels)
    columns = dark_columns(width, height, pixels)
    to_px = dpi / 72
    # Only the small running title sits in the 22 mm top margin: the binding edge stays clear.
    assert sum(rows[: int(15 * mm * to_px)]) == 0
    assert sum(columns[: int(11 * mm * to_px)]) == 0
    assert sum(columns[-int(11 * mm * to_px) :]) == 0
    assert sum(rows[-int(8 * mm * to_px) :]) == 0


def test_a_sign_in_sheet_leaves_room_to_sign(tmp_path, font):
    out_tight = tmp_path / "tight.pdf"
    out_roomy = tmp_path / "roomy.pdf"
    list(write_report(out_tight, roster(60, landscape=False), font.name))
    list(write_report(out_roomy, roster(60, landscape=False, min_row_height=26), font.name))
    assert len(PdfReader(out_roomy).pages) > len(PdfReader(out_tight).pages)


def test_an_empty_section_says_so(tmp_path, font):
    out = tmp_path / "case.pdf"
    report = Report(
        title="儿童档案（一人一档）：张子涵",
        subtitle="",
        sections=(
            Section("一、基本情况", facts=(("姓名", "张子涵"), ("性别", "女"), ("住址", "东村"))),
            Section("三、爱心妈妈结对", columns=COLUMNS, rows=(), empty_note="（尚未结对）"),
        ),
        printed_on="2026-11-28",
        code="编码 7K3M-Q9XA-B2FC",
        qr_value="CBZF:7K3MQ9XAB2FC:" + "AB" * 16,
    )
    list(write_report(out, report, font.name))
    (text,) = page_texts(out)
    for expected in (
        "一、基本情况",
        "张子涵",
        "三、爱心妈妈结对",
        "（尚未结对）",
        "7K3M-Q9XA-B2FC",
    ):
        assert expected in text


@pytest.mark.parametrize("rows", [1, 17, 18, 19, 40])
def test_no_row_is_drawn_below_the_bottom_margin(tmp_path, font, rows):
    out = tmp_path / "r.pdf"
    list(write_report(out, roster(rows, landscape=False, min_row_height=40), font.name))
    for page in range(1, len(PdfReader(out).pages) + 1):
        width, height, pixels = grey_page(out, dpi=30, page=page)
        bottom = dark_rows(width, height, pixels)[-int(8 * mm / 72 * 30) :]
        assert sum(bottom) == 0
