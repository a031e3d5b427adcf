"""设置 takes a backup of the register onto a chosen file (a USB stick), as `carebook backup`."""

from __future__ import annotations

import sqlite3

from carebook.gui.pages import settings_page
from carebook.gui.pages.settings_page import SettingsPage
from carebook.services.children import register_child
from tests.conftest import TODAY, child_facts


def test_backup_from_settings_copies_the_register(qtbot, workspace, monkeypatch, tmp_path):
    # Only the command line could take a backup; a worker who never opens a terminal had the
    # automatic daily copy in a hidden folder and no way to put one on her USB stick.
    register_child(workspace.db, child_facts(), today=TODAY)
    target = tmp_path / "U盘" / "关爱簿备份.db"
    target.parent.mkdir()
    monkeypatch.setattr(
        settings_page.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "")
    )
    notes = []
    monkeypatch.setattr(
        settings_page.QMessageBox, "information", lambda _p, _t, text: notes.append(text)
    )
    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    page.backup_button.click()
    assert target.exists() and str(target) in notes[0]
    names = sqlite3.connect(target).execute("SELECT name FROM children").fetchall()
    assert names == [("张子涵",)]


def test_a_backup_that_cannot_be_written_says_why(qtbot, workspace, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(
        settings_page.QFileDialog,
        "getSaveFileName",
        lambda *_a, **_k: (str(blocker / "备份.db"), ""),
    )
    errors = []
    monkeypatch.setattr(settings_page, "show_error", lambda _p, e: errors.append(str(e)))
    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    page.backup_button.click()
    assert errors and "无法写入" in errors[0]
