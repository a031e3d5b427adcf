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
    qtbot.waitUntil(lambda: bool(notes), timeout=10000)  # taken off the GUI thread
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
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert "无法写入" in errors[0]


def _restore_with(monkeypatch, page, backup, answer):
    monkeypatch.setattr(
        settings_page.QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(backup), "")
    )
    monkeypatch.setattr(settings_page.QMessageBox, "question", lambda *_a, **_k: answer)
    notes, quits = [], []
    monkeypatch.setattr(
        settings_page.QMessageBox, "information", lambda _p, _t, text: notes.append(text)
    )
    monkeypatch.setattr(settings_page.QApplication, "quit", lambda: quits.append(True))
    page.restore_button.click()
    return notes, quits


def test_restore_from_settings_puts_the_backup_back_and_ends(
    qtbot, workspace, monkeypatch, tmp_path
):
    # After an import gone wrong the copy taken before it was there, but only `carebook
    # restore` in a terminal could put it back.
    from carebook.services.backup import make_backup

    register_child(workspace.db, child_facts(), today=TODAY)
    backup = make_backup(workspace.db, tmp_path / "backups", "manual")
    register_child(
        workspace.db, child_facts(name="李四", id_number="110105201503120041"), today=TODAY
    )
    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    notes, quits = _restore_with(monkeypatch, page, backup, settings_page.QMessageBox.No)
    assert not quits and not workspace.db.closed  # asked, declined: nothing replaced
    notes, quits = _restore_with(monkeypatch, page, backup, settings_page.QMessageBox.Yes)
    assert quits and workspace.db.closed and backup.name in notes[0]
    file = sqlite3.connect(workspace.db.file)
    assert file.execute("SELECT name FROM children").fetchall() == [("张子涵",)]
    # The restore is in the restored data's own log; the data replaced was set aside first.
    assert file.execute(
        "SELECT new_value, source FROM audit_log WHERE action = 'restore'"
    ).fetchall() == [(backup.name, "窗口")]
    aside = list(workspace.paths.backups_dir.glob("carebook-beforerestore-*.db"))
    assert len(aside) == 1 and str(aside[0]) in notes[0]
    names = sqlite3.connect(aside[0]).execute("SELECT name FROM children ORDER BY id")
    assert names.fetchall() == [("张子涵",), ("李四",)]


def test_a_damaged_backup_is_refused_and_the_data_stays(qtbot, workspace, monkeypatch, tmp_path):
    register_child(workspace.db, child_facts(), today=TODAY)
    bad = tmp_path / "坏的备份.db"
    bad.write_bytes(b"not a database at all" * 100)
    errors = []
    monkeypatch.setattr(settings_page, "show_error", lambda _p, e: errors.append(str(e)))
    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    _notes, quits = _restore_with(monkeypatch, page, bad, settings_page.QMessageBox.Yes)
    assert errors and not quits and not workspace.db.closed
    names = sqlite3.connect(workspace.db.file).execute("SELECT name FROM children")
    assert names.fetchall() == [("张子涵",)]
