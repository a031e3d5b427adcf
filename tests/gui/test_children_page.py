"""The register page in the real main window, offscreen, driven the way a worker would."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from carebook.gui.main_window import MainWindow
from carebook.gui.models.children_model import COLUMN_KEYS
from carebook.services.audit import history
from carebook.services.children import get_child

ID_NUMBER = "110105201503120025"


@pytest.fixture(autouse=True)
def qsettings_in_tmp(tmp_path: Path):
    """Column widths and window geometry go to a folder of the test, never the user's."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def window(qtbot, workspace):
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


@pytest.fixture
def demo_window(qtbot, demo_workspace):
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def type_text(qtbot, widget, text: str) -> None:
    """Type as a worker does: letters and digits as keys, Chinese committed by the input method."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def shown_names(page) -> list[str]:
    return [page.model.row_at(r).name for r in range(page.model.rowCount())]


def search(qtbot, page, text: str) -> list[str]:
    page.search.clear()
    type_text(qtbot, page.search, text)
    return shown_names(page)


def open_register_form(qtbot, window):
    page = window.page("children")
    page.register_action.trigger()
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    return page, dialog


def fill_new_child(qtbot, dialog) -> None:
    form = dialog.form
    type_text(qtbot, form.widgets["name"], "单丽娟")
    qtbot.keyClicks(form.widgets["id_number"].edit, ID_NUMBER)
    form.widgets["township"].setCurrentText("宗艾镇")
    form.widgets["village"].setCurrentText("东村")
    type_text(qtbot, form.widgets["guardian_name"], "单桂兰")
    form.widgets["guardian_relation"].setCurrentText("祖母")
    qtbot.keyClicks(form.widgets["guardian_phone"].edit, "13812345678")
    form.widgets["categories"].boxes["农村留守儿童"].setChecked(True)


def test_register_find_edit_and_exit_a_child(qtbot, window, workspace):
    page, dialog = open_register_form(qtbot, window)
    fill_new_child(qtbot, dialog)
    form = dialog.form
    # The ID number filled birth date, sex and age as it was typed.
    assert form.widgets["birth_date"].text() == "2015-03-12"
    assert form.widgets["sex"].currentText() == "女"
    assert "11 岁" in form.age_label.text()
    with qtbot.waitSignal(page.childSaved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_note.text() == "已保存"
    uid = dialog.uid
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()

    assert search(qtbot, page, "dlj") == ["单丽娟"]  # initials, with 单 read dan
    assert search(qtbot, page, "slj") == ["单丽娟"]  # ... and read shan
    assert search(qtbot, page, "20150312") == ["单丽娟"]  # part of the ID number
    assert search(qtbot, page, "5678") == ["单丽娟"]  # part of the guardian's phone
    assert search(qtbot, page, "zzz") == []
    assert "显示 0 名" in page.count_label.text()

    # Enter on the list opens the child's file.
    search(qtbot, page, "单丽")
    page.view.setFocus()
    page.view.selectRow(0)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    dialog = page.dialog
    assert dialog.uid == uid and dialog.title.text() == "单丽娟"
    school = dialog.form.widgets["school"]
    type_text(qtbot, school, "宗艾小学")
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    with qtbot.waitSignal(page.childSaved):
        qtbot.keyClick(school, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    history_model = dialog.lists["history"]
    newest = history_model.row_values(0)
    assert newest[1:5] == ("修改", "就读学校", "", "宗艾小学")
    assert newest[5] == "测试员" and newest[6] == "手工录入"
    assert dialog.tabs.tabText(5) == "历史（2）"

    # Leaving the register: gone from the default list, found under 退出. Registered by hand
    # today (the clock's, not TODAY's): she cannot leave before that.
    with qtbot.waitSignal(page.childSaved):
        assert dialog.exit_child(date.today(), "父母返乡")
    assert "已退出" in dialog.status_label.text() and "父母返乡" in dialog.status_label.text()
    assert dialog.reenter_button.isVisibleTo(dialog) and not dialog.exit_button.isVisibleTo(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert search(qtbot, page, "单丽娟") == []
    status = page.filters.combos["status"]
    status.setCurrentIndex(status.findData("退出"))
    status.activated.emit(status.currentIndex())
    assert shown_names(page) == ["单丽娟"]
    assert get_child(workspace.db, uid).status == "退出"

    # Re-entry, with its own reason and date, brings the child back to the default list.
    page.open_child(uid)
    with qtbot.waitSignal(page.childSaved):
        assert page.dialog.reenter_child(date.today(), "父母外出务工")
    assert page.dialog.status_label.text().startswith("在册")
    assert page.dialog.lists["history"].row_values(0)[1] == "重新纳入"
    page.dialog.done(0)
    page.clear_filters()
    assert search(qtbot, page, "单丽娟") == ["单丽娟"]


def test_a_duplicate_id_is_refused_with_a_way_to_open_that_child(qtbot, window):
    page, dialog = open_register_form(qtbot, window)
    fill_new_child(qtbot, dialog)
    with qtbot.waitSignal(page.childSaved):
        dialog.save()
    first_uid = dialog.uid
    dialog.done(0)

    page, second = open_register_form(qtbot, window)
    type_text(qtbot, second.form.widgets["name"], "单小娟")
    qtbot.keyClicks(second.form.widgets["id_number"].edit, ID_NUMBER)
    # Refused as soon as the number is complete, before saving.
    assert second.duplicate_bar.isVisibleTo(second)
    assert "单丽娟" in second.duplicate_text.text()
    assert "不能重复登记" in second.form.visible_problems()["id_number"]
    assert second.save() is False
    second.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    qtbot.mouseClick(second.open_duplicate, Qt.MouseButton.LeftButton)
    assert page.dialog is not second and page.dialog.uid == first_uid


def test_problems_show_beside_the_fields_in_chinese(qtbot, window):
    _page, dialog = open_register_form(qtbot, window)
    form = dialog.form
    qtbot.keyClicks(form.widgets["id_number"].edit, "11010519491231002")
    assert "17" in form.visible_problems()["id_number"]  # "已输入 17 位，共 18 位"
    qtbot.keyClicks(form.widgets["id_number"].edit, "1")
    assert "校验" in form.visible_problems()["id_number"] or form.visible_problems()["id_number"]
    form.widgets["id_number"].edit.clear()
    qtbot.keyClicks(form.widgets["guardian_phone"].edit, "12345")
    assert dialog.save() is False
    problems = form.visible_problems()
    assert "姓名不能为空" in problems["name"]
    assert "监护人电话" in problems["guardian_phone"]
    type_text(qtbot, form.widgets["birth_date"], "2015年13月40日")
    assert form.visible_problems().get("birth_date")


def test_closing_a_changed_form_asks_first(qtbot, window):
    _page, dialog = open_register_form(qtbot, window)
    type_text(qtbot, dialog.form.widgets["name"], "王芳")
    asked = []
    dialog.ask_unsaved = lambda: asked.append(1) or QMessageBox.StandardButton.Cancel
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    assert dialog.form.widgets["name"].text() == "王芳"  # nothing lost
    dialog.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_numbers_are_masked_and_revealing_one_is_logged(qtbot, demo_window, demo_workspace):
    page = demo_window.page("children")
    page.view.selectRow(0)
    page.open_child(page.current_uid())
    dialog = page.dialog
    record = dialog.record
    field = dialog.form.widgets["id_number"]
    assert field.is_masked() and field.edit.text() != record.facts.id_number
    assert field.edit.text()[:6] == record.facts.id_number[:6]
    qtbot.mouseClick(field.button, Qt.MouseButton.LeftButton)
    assert field.edit.text() == record.facts.id_number and not field.is_masked()
    entries = history(demo_workspace.db, record.uid)
    assert entries[0].action == "reveal" and entries[0].field == "公民身份号码"
    assert dialog.lists["history"].row_values(0)[1] == "查看完整号码"
    assert not dialog.dirty  # revealing is not an edit


def test_enter_in_a_field_reveals_nothing_and_opens_nothing(qtbot, demo_window, demo_workspace):
    page = demo_window.page("children")
    page.view.selectRow(0)
    page.open_child(page.current_uid())
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    opened = []
    dialog.exit_button.clicked.connect(lambda: opened.append("exit"))
    for name in ("name", "school", "guardian_name"):
        qtbot.keyClick(dialog.form.widgets[name], Qt.Key.Key_Return)
    assert dialog.form.widgets["id_number"].is_masked() and not opened
    assert [e.action for e in history(demo_workspace.db, dialog.uid)].count("reveal") == 0
    assert dialog.isVisible()


def test_filters_show_counts_and_chips_clear_in_one_click(qtbot, demo_window):
    page = demo_window.page("children")
    all_shown = page.result.total
    village = page.filters.combos["village"]
    village.setCurrentIndex(1)
    village.activated.emit(1)
    page._update_facets()
    name = village.currentData()
    count = len(shown_names(page))
    assert 0 < count < all_shown
    assert all(page.model.row_at(r).village == name for r in range(count))
    assert village.currentText() == f"{name}（{count}）"
    chip = page.chips.chip("village")
    assert chip is not None and f"（{count}）" in chip.text()
    overdue = page.filters.overdue
    overdue.setChecked(True)
    page._update_facets()
    assert all(page.model.row_at(r).overdue for r in range(page.model.rowCount()))
    qtbot.mouseClick(page.chips.chip("village"), Qt.MouseButton.LeftButton)
    assert page.query.village == "" and page.query.overdue
    page._update_facets()
    qtbot.mouseClick(page.chips._clear, Qt.MouseButton.LeftButton)
    assert page.result.total == all_shown
    page._update_facets()
    assert not page.chips.isVisibleTo(page)


def test_keyboard_shortcuts_and_sorting(qtbot, demo_window):
    page = demo_window.page("children")
    page.open_action.trigger()  # nothing chosen: no file opens, no blank form either
    assert page.dialog is None
    demo_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo_window)
    page.view.setFocus()
    qtbot.keyClick(demo_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "z")
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    qtbot.keyClick(demo_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.dialog is not None and page.dialog.uid is None
    page.dialog.done(0)
    page.view.sortByColumn(COLUMN_KEYS.index("age"), Qt.SortOrder.DescendingOrder)
    ages = [page.model.row_at(r).age for r in range(page.model.rowCount())]
    known = [a for a in ages if a is not None]
    assert known == sorted(known, reverse=True) and page.query.sort == "age"
    # A click on a column's title sorts by it, as the mouse user does it.
    header = page.view.horizontalHeader()
    village = COLUMN_KEYS.index("village")
    where = QPoint(header.sectionViewportPosition(village) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert page.query.sort == "village" and header.sortIndicatorSection() == village
    assert header.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu


def test_column_choice_and_order_are_remembered(qtbot, workspace):
    first = MainWindow(workspace)
    qtbot.addWidget(first)
    page = first.page("children")
    header = page.view.horizontalHeader()
    sex = COLUMN_KEYS.index("sex")
    township = COLUMN_KEYS.index("township")
    assert header.isSectionHidden(township)
    page.columns.show_column(sex, False)
    page.columns.show_column(township, True)
    header.moveSection(header.visualIndex(COLUMN_KEYS.index("village")), 0)
    header.resizeSection(0, 321)
    page.columns.save()
    second = MainWindow(workspace)
    qtbot.addWidget(second)
    again = second.page("children").view.horizontalHeader()
    assert again.isSectionHidden(sex) and not again.isSectionHidden(township)
    assert again.logicalIndex(0) == COLUMN_KEYS.index("village")
    assert again.sectionSize(0) == 321
    second.page("children").columns.reset()
    assert again.isSectionHidden(township) and not again.isSectionHidden(sex)


def test_a_large_register_shows_a_first_page_then_loads_in_the_background(qtbot, demo_workspace):
    from carebook.gui.pages.children_page import ChildrenPage
    from carebook.services import register_search

    register_search._INDEXES.clear()
    page = ChildrenPage(demo_workspace, background_above=10)
    qtbot.addWidget(page)
    first = page.model.rowCount()
    assert first > 0 and "正在载入" in page.count_label.text()
    # The loader's signal is queued to this thread, so it cannot arrive before we wait for it.
    with qtbot.waitSignal(page.indexReady, timeout=20_000):
        pass
    with qtbot.waitSignal(page.countsShown, timeout=20_000):  # counted off the GUI thread
        qtbot.keyClicks(page.search, "zh")
    assert 0 < page.model.rowCount() < first + 300
    unpaired = page.filters.unpaired.text()
    expected = sum(1 for r in page.result.all_rows() if not r.volunteers)
    assert unpaired == f"未结对（{expected}）"
    assert all(
        "zh" in page.index._keys[page.index._position[page.model.row_at(r).id]]
        for r in range(page.model.rowCount())
    )


def test_a_birth_date_against_the_id_number_is_flagged_before_saving(qtbot, window):
    _page, dialog = open_register_form(qtbot, window)
    form = dialog.form
    qtbot.keyClicks(form.widgets["id_number"].edit, ID_NUMBER)  # born 2015-03-12
    birth = form.widgets["birth_date"]
    birth.clear()
    qtbot.keyClicks(birth, "2014-01-01")
    assert "2015-03-12" in form.visible_problems().get("birth_date", "")
    birth.clear()
    qtbot.keyClicks(birth, "2015-03-12")
    assert "birth_date" not in form.visible_problems()
    dialog.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # closing after the test
