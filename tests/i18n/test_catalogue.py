"""The English catalogue covers every string the program shows; Qt's own dialogs follow suit."""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

import pytest

from carebook import i18n

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import i18n_extract  # noqa: E402

sys.path.remove(str(ROOT / "tools"))


@pytest.fixture(autouse=True)
def chinese_again():
    yield
    i18n.set_language("zh_CN")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_in_src_has_an_english_entry():
    found = i18n_extract.collect()
    gaps = i18n_extract.missing(found, i18n_extract.load_catalogue())
    assert not gaps, (
        f"{len(gaps)} strings lack English; run `python tools/i18n_extract.py > missing.json`, "
        f"fill it, then `python tools/i18n_extract.py --merge missing.json`: {gaps[:5]}"
    )


def test_no_tr_call_builds_its_string_at_run_time():
    assert i18n_extract.untranslatable_calls() == []


def test_built_strings_in_tr_are_found(tmp_path):
    source = tmp_path / "src" / "bad.py"
    source.parent.mkdir()
    source.write_text(
        'tr(f"共 {n} 名")\ntr("共" + str(n))\ntr("共 {n} 名", n=n)\n', encoding="utf-8"
    )
    assert i18n_extract.untranslatable_calls(source.parent) == ["src/bad.py:1", "src/bad.py:2"]


def test_english_keeps_every_placeholder_and_adds_none():
    for chinese, english in i18n_extract.load_catalogue().items():
        assert fields(chinese) == fields(i18n.strip_plurals(english)), chinese
        # A plural choice counts one of the string's own values.
        for name in re.findall(r"\{(\w+)\|", english):
            assert name in fields(chinese), (chinese, name)


def test_english_says_one_row_and_two_rows(monkeypatch):
    i18n.set_language("en")
    assert i18n.tr("共 {n} 页", n=1) == "1 page"
    assert i18n.tr("共 {n} 页", n=2) == "2 pages"
    assert i18n.tr("共 {n} 页", n=0) == "0 pages"
    # Several counts in one sentence each choose their own word.
    text = "进行中的结对 {n} 对，涉及儿童 {c} 名、爱心妈妈 {v} 位"
    assert i18n.tr(text, n=1, c=1, v=2) == "1 active pairing: 1 child, 2 caring mothers"
    i18n.set_language("zh_CN")
    assert i18n.tr("共 {n} 页", n=1) == "共 1 页"


def test_english_entries_are_english():
    for chinese, english in i18n_extract.load_catalogue().items():
        assert not re.search(r"[\u4e00-\u9fff]", english.replace("、", "")), (chinese, english)


def test_extractor_finds_literals_in_every_shown_form(tmp_path):
    source = tmp_path / "src" / "sample.py"
    source.parent.mkdir()
    source.write_text(
        'tr("甲")\nlabel = tr(name or "乙")\ntr("丙" if x else "丁")\n'
        'PageSpec("k", "戊", build)\nplaceholder("己", "庚")\nprint("不显示")\ntr(variable)\n',
        encoding="utf-8",
    )
    found = i18n_extract.collect(source.parent)
    assert {"甲", "乙", "丙", "丁", "戊", "己", "庚"} <= set(found)
    assert "不显示" not in found
    assert found["甲"] == ["src/sample.py:1"]


def test_extractor_prints_missing_strings_as_fillable_json(capsys, monkeypatch):
    monkeypatch.setattr(i18n_extract, "load_catalogue", lambda: {})
    assert i18n_extract.main([]) == 0
    import json

    printed = json.loads(capsys.readouterr().out)
    assert printed["设置"] == ""
    assert i18n_extract.main(["--check"]) == 1


def test_tr_switches_language_and_pseudo_stretches():
    i18n.set_language("en")
    assert i18n.tr("设置") == "Settings"
    assert i18n.tr("已备份到 {path}", path="/x") == "Backed up to /x"
    i18n.set_language("zh_CN", pseudo=True)
    stretched = i18n.tr("设置")
    assert stretched.startswith("[设置") and len(stretched) > len("设置") * 2
    i18n.set_language("klingon")
    assert i18n.current_language() == "zh_CN"


@pytest.mark.parametrize(("language", "cancel"), [("zh_CN", "取消"), ("en", "Cancel")])
def test_qt_own_dialogs_speak_the_chosen_language(qapp, language, cancel):
    from PySide6.QtCore import QCoreApplication, QLocale
    from PySide6.QtWidgets import QDialogButtonBox

    from carebook.gui.application import install_qt_translator

    translator = install_qt_translator(qapp, language)
    try:
        assert translator is not None
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == cancel
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") in {
            cancel,
            f"{cancel}(C)",
        }
        expected = "zh" if language == "zh_CN" else "en"
        assert QLocale().name().startswith(expected)
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
