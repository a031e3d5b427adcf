"""The main window: every navigation entry opens its page; crashes are logged."""

from __future__ import annotations

import logging
import sys

from carebook.gui.crash import install_crash_handler
from carebook.gui.main_window import MainWindow
from carebook.gui.pages import page_specs

EXPECTED = [
    "儿童台账", "爱心妈妈", "结对", "走访", "帮扶", "活动", "统计", "数据交换", "设置", "操作记录",
]  # fmt: skip


def test_navigation_has_every_entry_and_each_page_opens(qtbot, workspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == EXPECTED
    for row, spec in enumerate(page_specs()):
        window.nav.setCurrentRow(row)
        assert window.stack.currentWidget() is window.page(spec.key)
    assert len(window.pages) == len(EXPECTED)


def test_title_names_the_database(qtbot, workspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert "carebook.db" in window.windowTitle()


def test_settings_page_saves_the_worker(qtbot, workspace, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    page = window.show_page("settings")
    page.worker.setText("王主任")
    page.villages.setText("东村、西村")
    page.save()
    saved = workspace.paths.settings_file.read_text(encoding="utf-8")
    assert "王主任" in saved and "西村" in saved
    # A Chinese keyboard's full-width comma separates villages too, as in the welcome.
    page.villages.setText("东村，西村 南村")
    page.save()
    assert workspace.settings.villages == ["东村", "西村", "南村"]


def test_crash_handler_writes_the_traceback_to_the_log(tmp_path, monkeypatch) -> None:
    log_file = tmp_path / "carebook.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    logging.getLogger("carebook.crash").addHandler(handler)
    previous = sys.excepthook
    try:
        install_crash_handler(log_file, show_dialog=False)
        try:
            raise RuntimeError("测试崩溃")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
        logging.getLogger("carebook.crash").removeHandler(handler)
        handler.close()
    text = log_file.read_text(encoding="utf-8")
    assert "测试崩溃" in text and "Traceback" in text


def test_windows_fit_a_small_laptop_screen(qtbot, workspace, tmp_path) -> None:
    """A 1366×768 laptop (the tests' screen is smaller still): no window opens taller or wider
    than the screen, or its buttons and status bar sit below the taskbar."""
    from carebook.gui.dialogs.activity_dialog import ActivityDialog
    from carebook.gui.dialogs.child_dialog import ChildDialog
    from carebook.gui.dialogs.print_preview import PrintPreviewDialog

    window = MainWindow(workspace)
    qtbot.addWidget(window)
    area = window.screen().availableGeometry()
    assert area.height() < 1000  # the preview asked for 1000 pixels
    preview = PrintPreviewDialog(window, tmp_path / "x.pdf", title="t", suggested_name="x.pdf")
    for widget in (window, preview, ActivityDialog(workspace), ChildDialog(workspace, None)):
        qtbot.addWidget(widget)
        assert widget.height() <= area.height() and widget.width() <= area.width(), widget


def test_settings_say_when_they_apply_and_masking_applies_at_once(
    qtbot, demo_workspace, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    notes: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: notes.append(a[2]))
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    register = window.show_page("children")
    phone = next(
        register.model.display(register.model.row_at(r), "guardian_phone")
        for r in range(register.model.rowCount())
        if register.model.row_at(r).guardian_phone
    )
    assert "****" in phone
    settings = window.show_page("settings")
    settings.mask.setChecked(False)
    settings.font_scale.setValue(1.3)
    settings.save()
    assert "文字大小" in notes[-1]  # the fonts change on the next start: say so
    window.show_page("children")
    row = next(
        register.model.row_at(r)
        for r in range(register.model.rowCount())
        if register.model.row_at(r).guardian_phone
    )
    assert register.model.display(row, "guardian_phone") == row.guardian_phone
