"""Wrapping and fitting CJK text: numbers stay whole, no line starts with closing punctuation."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from carebook.printing.pagekit import Pen


@pytest.fixture
def pen(font) -> Pen:
    return Pen(Canvas(io.BytesIO()), font.name)


def test_wrapped_lines_fit_and_keep_all_the_text(pen):
    text = (
        "生活正常，衣食有保障，祖母身体尚可。学习认真，成绩较好，数学较弱，已联系老师课后辅导。" * 2
    )
    lines = pen.wrap(text, 120, 10)
    assert len(lines) > 3
    assert "".join(lines) == text
    assert all(pen.width(line, 10) <= 120 for line in lines)


def test_no_line_starts_with_closing_punctuation(pen):
    text = "一二三四五六七八九十，一二三四五六七八九十。一二三四五六七八九十、"
    for width in range(40, 200, 7):
        for line in pen.wrap(text, width, 10)[1:]:
            assert line[0] not in "，。、", (width, line)


def test_dates_and_id_numbers_are_not_split_when_they_fit(pen):
    lines = pen.wrap("下次走访 2026-12-20 身份证 140725********4678", 110, 10)
    assert any("2026-12-20" in line for line in lines)
    assert any("140725********4678" in line for line in lines)


def test_a_run_longer_than_the_line_is_broken(pen):
    lines = pen.wrap("1" * 60, 50, 10)
    assert len(lines) > 1 and "".join(lines) == "1" * 60


def test_own_line_breaks_are_kept(pen):
    assert pen.wrap("第一行\n第二行", 300, 10) == ["第一行", "第二行"]


def test_cut_text_fits_and_ends_with_an_ellipsis(pen):
    cut = pen.cut("浙江省宁波市鄞州区某某街道某某村", 60, 10)
    assert cut.endswith("…") and pen.width(cut, 10) <= 60


def test_a_character_the_font_lacks_prints_as_a_box_not_as_nothing(pen):
    if pen._glyphs is None:  # the built-in CID font cannot say which characters it has
        assert pen.drawable("王𠮷") == "王𠮷"
        return
    rare = next(ch for ch in "𠮷䶮𪚥" if ord(ch) not in pen._glyphs)
    assert pen.drawable(f"王{rare}") == "王□"
    assert pen.drawable("王小明 2026-11-29") == "王小明 2026-11-29"
    assert pen.missing == {rare}
