"""Finding a CJK font, honouring the user's choice, and falling back to the built-in CID font."""

from __future__ import annotations

from pathlib import Path

from carebook.printing.fonts import CID_FONT, choose_font, parse_font_setting, usable_fonts
from carebook.printing.visit_sheet import write_visit_sheets
from tests.printing.pdf_helpers import page_texts, sample_child


def test_a_truetype_cjk_font_on_this_machine_is_found_and_embedded(font):
    assert font.embedded, font.note
    assert font.path.exists()
    assert font.note == ""


def test_no_font_anywhere_falls_back_to_the_cid_font_and_says_so(tmp_path, header):
    choice = choose_font("", (tmp_path,))
    assert choice.name == CID_FONT
    assert not choice.embedded
    assert "STSong-Light" in choice.note and "没有找到" in choice.note
    out = tmp_path / "cid.pdf"
    list(write_visit_sheets(out, header, [sample_child()], 1, choice.name))
    (text,) = page_texts(out)
    assert "张子涵" in text and "走访记录表" in text


def test_a_chosen_font_that_is_no_font_is_reported_and_another_is_used(tmp_path):
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"this is not a font")
    choice = choose_font(str(bogus))
    assert f"设置的字体 {bogus} 无法使用" in choice.note
    assert choice.path != bogus


def test_a_missing_chosen_font_falls_back_to_the_cid_font_when_nothing_else_is_there(tmp_path):
    choice = choose_font(str(tmp_path / "gone.ttc"), (tmp_path,))
    assert choice.name == CID_FONT
    assert "文件不存在或打不开" in choice.note


def test_the_user_can_ask_for_the_cid_font():
    assert choose_font(CID_FONT).name == CID_FONT


def test_the_users_font_is_used_with_its_subfont_index(font):
    choice = choose_font(f"{font.path}#0")
    assert choice.path == font.path and choice.embedded and choice.note == ""


def test_font_setting_with_an_index():
    assert parse_font_setting("C:/Windows/Fonts/simsun.ttc#1") == (
        Path("C:/Windows/Fonts/simsun.ttc"),
        1,
    )
    assert parse_font_setting(" /a/b.ttf ") == (Path("/a/b.ttf"), 0)


def test_fonts_offered_in_settings_are_the_usable_ones(font, tmp_path):
    offered = usable_fonts()
    assert font.path in [path for _, path in offered]
    assert usable_fonts((tmp_path,)) == []
