"""Choosing English (or pseudo-translation) in 设置 is saved and used on the next start."""

from __future__ import annotations

from carebook import i18n
from carebook.gui.pages import settings_page
from carebook.gui.pages.settings_page import SettingsPage
from carebook.services.workspace import load_app_settings


def test_english_chosen_in_settings_applies_on_next_start(qtbot, workspace, monkeypatch):
    notes = []
    monkeypatch.setattr(
        settings_page.QMessageBox, "information", lambda _p, _t, text: notes.append(text)
    )
    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    page.language.setCurrentIndex(page.language.findData("en"))
    page.save()
    assert "重新打开" in notes[0]  # told when it takes effect
    try:
        _paths, settings = load_app_settings()
        assert settings.language == "en"
        assert i18n.current_language() == "en"
        assert i18n.tr("保存设置") == "Save settings"
    finally:
        i18n.set_language("zh_CN")


def test_pseudo_translation_is_a_setting_too(qtbot, workspace, monkeypatch):
    monkeypatch.setattr(settings_page.QMessageBox, "information", lambda *_: None)
    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    page.pseudo.setChecked(True)
    page.save()
    try:
        _paths, settings = load_app_settings()
        assert settings.pseudo_translation
        assert i18n.tr("设置").startswith("[设置")
    finally:
        i18n.set_language("zh_CN")


def test_register_filters_show_the_programs_own_words_in_english(qtbot):
    from carebook.gui.widgets.filter_bar import FilterBar

    i18n.set_language("en")
    try:
        bar = FilterBar()
        qtbot.addWidget(bar)
        status = bar.combos["status"]
        assert status.currentText() == "Registered" and status.currentData() == "在册"
        levels = [bar.combos["care_level"].itemText(i) for i in range(1, 3)]
        assert sorted(levels) == ["Priority", "Standard"]
    finally:
        i18n.set_language("zh_CN")
