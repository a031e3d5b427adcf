"""Turning masking off in 设置 shows every number in full without a reveal each: it is logged."""

from __future__ import annotations

from carebook.gui.pages.settings_page import SettingsPage
from carebook.services.audit_log import LogFilter, change_text, log_lines


def test_turning_masking_off_and_on_is_logged_with_who(qtbot, workspace, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    page.worker.setText("王主任")
    page.save()  # nothing about masking changed: nothing logged
    assert log_lines(workspace.db, LogFilter(action="update")) == []
    page.mask.setChecked(False)
    page.save()
    page.mask.setChecked(True)
    page.save()
    on, off = log_lines(workspace.db, LogFilter(action="update"))
    assert off.actor == "王主任" and off.subject == "设置"
    assert change_text(off) == "是 → 否" and change_text(on) == "否 → 是"
    assert off.field == "默认隐藏身份证号和电话号码的中间部分"
