"""The visit sheet's layout: everything on one A4 page, inside the margins, headings in place."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from carebook.printing.visit_record import write_visit_records
from carebook.printing.visit_sheet import SIGNATURES, WAYS, write_visit_sheets
from tests.printing.pdf_helpers import (
    dark_columns,
    dark_rows,
    grey_page,
    page_texts,
    sample_child,
    sample_visit,
    text_positions,
)

A4_W, A4_H = 595.2756, 841.8898


@pytest.fixture
def sheet(tmp_path, header, font):
    out = tmp_path / "sheet.pdf"
    children = [sample_child(), sample_child(name="李小明", uid="cd" * 16)]
    list(write_visit_sheets(out, header, children, 2, font.name))
    return out


def test_one_a4_page_per_child(sheet):
    reader = PdfReader(sheet)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4_W, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(A4_H, abs=0.5)


def test_title_facts_ways_and_signatures_are_text(sheet):
    first, second = page_texts(sheet)
    assert "寿阳县宗艾镇留守儿童和困境儿童走访记录表" in first
    assert "张子涵" in first and "李小明" in second
    for way in WAYS:
        assert way in first
    for label, _height in SIGNATURES:
        assert label in first
    for aspect in ("生活", "学习", "健康", "安全", "心理", "发现的问题", "帮扶措施", "下一步计划"):
        assert aspect in first
    assert "7K3M-Q9XA-B2FC" in first
    assert "第 1 页  共 2 页" in first and "第 2 页  共 2 页" in second


def test_headings_sit_in_order_down_the_page_inside_the_margins(sheet):
    placed = text_positions(sheet)
    order = ["姓名", "本次走访记录", "走访方式", "生活", "心理", "下一步计划", "走访人（签字）"]
    ys = [next(y for text, _x, y in placed if text.startswith(t)) for t in order]
    assert ys == sorted(ys, reverse=True), list(zip(order, ys, strict=True))
    title_y = next(y for t, _x, y in placed if t.endswith("走访记录表"))
    assert title_y > A4_H - 30 * mm
    for text, x, y in placed:
        assert 25 * mm - 0.5 <= x <= A4_W - 15 * mm, (text, x)
        assert 8 * mm <= y <= A4_H - 14 * mm, (text, y)


def test_nothing_is_drawn_in_the_binding_margin_or_off_the_page(sheet):
    width, height, pixels = grey_page(sheet, dpi=40)
    columns = dark_columns(width, height, pixels)
    binding = int(24 * mm / 72 * 40)
    assert sum(columns[:binding]) == 0, "something is drawn in the 25 mm binding margin"
    assert sum(columns[-int(13 * mm / 72 * 40) :]) == 0, "something runs into the right margin"
    rows = dark_rows(width, height, pixels)
    assert sum(rows[: int(12 * mm / 72 * 40)]) == 0, "something runs into the top margin"
    assert sum(rows[-int(8 * mm / 72 * 40) :]) == 0, "something runs off the bottom"
    assert sum(columns) > 5000  # and the page is not blank


def test_a_filled_record_shows_the_visit_and_ticks_its_way(tmp_path, header, font):
    out = tmp_path / "record.pdf"
    visit = sample_visit(problems="冬衣不足", help_given="送去冬衣一套")
    child = sample_child()
    list(write_visit_records(out, header, [(child, visit)], font.name))
    (text,) = page_texts(out)
    for value in ("2026-11-20", "李红", "衣食有保障", "冬衣不足", "送去冬衣一套", "2026-12-20"):
        assert value in text
    assert "（存档）" in text


def test_very_long_visit_text_stays_inside_its_box_and_goes_on_a_continuation_page(
    tmp_path, header, font
):
    out = tmp_path / "long.pdf"
    child = sample_child()
    long_text = "家中整洁，饮食规律，祖母身体尚可。" * 30 + "全文结束"
    visit = sample_visit(life=long_text)
    pages = list(write_visit_records(out, header, [(child, visit)], font.name))
    assert pages == [2]
    first, second = page_texts(out)
    assert "第 1 页  共 2 页" in first and "第 2 页  共 2 页" in second
    assert "（见续页）" in first and "全文结束" not in first
    assert "张子涵 走访记录（续页）" in second
    assert long_text in second.replace("\n", "")
    placed = text_positions(out)
    life_y = next(y for t, _x, y in placed if t == "生活")
    study_y = next(y for t, _x, y in placed if t == "学习")
    lines = [(t, y) for t, _x, y in placed if t.startswith(("家中整洁", "饮食规律", "祖母身体"))]
    assert lines and all(study_y + 5 < y < life_y + 25 for _t, y in lines)


def test_text_that_fits_by_shrinking_needs_no_continuation(tmp_path, header, font):
    out = tmp_path / "fits.pdf"
    child = sample_child()
    visit = sample_visit(life="家中整洁，饮食规律，祖母身体尚可。" * 5)
    assert list(write_visit_records(out, header, [(child, visit)], font.name)) == [1]
    assert "续页" not in page_texts(out)[0]
