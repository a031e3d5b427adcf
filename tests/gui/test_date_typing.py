"""Dates typed into the visit form the ways village workers type them, with the keyboard only."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from carebook.gui.dialogs import visit_dialog as visit_dialog_module
from carebook.gui.dialogs.visit_dialog import VisitDialog
from carebook.gui.widgets import form_footer
from carebook.gui.widgets.date_field import read_typed_day
from carebook.services import child_file
from carebook.storage.tables import Child
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def _closing_drops_the_typing(monkeypatch):
    """The form asks before closing drops typing; a modal question would hang offscreen."""
    monkeypatch.setattr(
        form_footer.QMessageBox,
        "question",
        lambda *a: form_footer.QMessageBox.StandardButton.Discard,
    )


def _child(workspace) -> str:
    with workspace.db.reading() as session:
        return session.query(Child.uid).filter(Child.status == "在册").first()[0]


def _form(qtbot, workspace) -> VisitDialog:
    form = VisitDialog(workspace, [_child(workspace)], today=TODAY)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()  # leaving a field (editingFinished) needs the window active
    qtbot.waitUntil(form.isActiveWindow)
    return form


def _type(qtbot, field, text: str) -> None:
    """Into the date field as from the keyboard: select what is there, type, Tab on."""
    edit = field.lineEdit()
    edit.setFocus()
    edit.selectAll()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:  # QTest cannot type Chinese: an input method hands the text over at once
        edit.insert(text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


@pytest.mark.parametrize(
    "typed",
    ["2026-11-03", "2026-11-3", "2026.11.3", "2026/11/03", "20261103", "2026年11月3日", "11月3日"],
)
def test_a_visit_date_typed_as_people_type_it(qtbot, demo_workspace, typed):
    form = _form(qtbot, demo_workspace)
    _type(qtbot, form.visited_on, typed)
    assert form.visit_input().visited_on == date(2026, 11, 3)
    assert form.visited_on.lineEdit().text() == "2026-11-03"  # shown back the one way
    # The next visit follows the typed date at once, as it does for a picked one.
    assert form.next_note.text()


def test_a_day_without_its_year_is_the_nearest_one_the_field_allows():
    assert read_typed_day("12月28日", today=date(2027, 1, 5), latest=date(2027, 1, 5)) == date(
        2026, 12, 28
    )
    assert read_typed_day("2.28", today=date(2026, 11, 29)) == date(2027, 2, 28)
    assert read_typed_day("11/3", today=date(2026, 11, 29)) == date(2026, 11, 3)


def test_a_date_that_cannot_be_read_is_said_kept_and_not_saved(qtbot, demo_workspace, monkeypatch):
    told: list[str] = []
    monkeypatch.setattr(visit_dialog_module, "show_error", lambda _p, e: told.append(e.message))
    form = _form(qtbot, demo_workspace)
    child = form.child_uids[0]
    before = len(child_file.visits(demo_workspace.db, child))
    _type(qtbot, form.visited_on, "11月31日")
    assert form.visited_on.lineEdit().text() == "11月31日"  # kept, to be put right
    assert "没有这一天" in form.visited_on.problem.text()
    assert form.visited_on.problem.isVisibleTo(form)
    form.save()
    assert told and "没有这一天" in told[0] and form.isVisible()
    assert len(child_file.visits(demo_workspace.db, child)) == before
    _type(qtbot, form.visited_on, "2026-12-25")  # after today: said, not silently made today
    assert "晚于" in form.visited_on.problem.text()
    _type(qtbot, form.visited_on, "2026.11.2")
    assert not form.visited_on.problem.isVisibleTo(form)
    form.save()
    assert child_file.visits(demo_workspace.db, child)[0].visited_on == date(2026, 11, 2)


def test_arrows_step_the_day_and_tab_goes_on_to_the_next_field(qtbot, demo_workspace):
    form = _form(qtbot, demo_workspace)
    form.visited_on.setDate(QDate(2026, 11, 20))
    edit = form.visited_on.lineEdit()
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert form.visit_input().visited_on == date(2026, 11, 21)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert form.focusWidget() is form.way  # not the calendar's button


def test_alt_down_opens_the_calendar_and_enter_takes_its_day(qtbot, demo_workspace):
    form = _form(qtbot, demo_workspace)
    edit = form.visited_on.lineEdit()
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = form.visited_on.calendar
    assert calendar.isVisible() and calendar.maximumDate() == QDate(2026, 11, 28)
    calendar.setSelectedDate(QDate(2026, 11, 10))
    calendar.activated.emit(QDate(2026, 11, 10))  # Enter on a day
    assert not calendar.isVisible() and form.visit_input().visited_on == date(2026, 11, 10)


def test_the_day_a_child_leaves_is_typed_as_people_type_it(qtbot):
    from datetime import timedelta

    from carebook.domain.people import EXIT_REASONS
    from carebook.gui.dialogs.status_dialog import StatusDialog

    asked = StatusDialog("退出台账", EXIT_REASONS)
    qtbot.addWidget(asked)
    asked.show()
    asked.activateWindow()
    qtbot.waitUntil(asked.isActiveWindow)
    asked.reason_box.setCurrentText("父母返乡")
    day = date.today() - timedelta(days=3)
    _type(qtbot, asked.date, f"{day.year}.{day.month}.{day.day}")
    assert asked.on() == day
    _type(qtbot, asked.date, f"{day.month}月{day.day}日")
    assert asked.on() == day
    _type(qtbot, asked.date, "13月1日")
    asked.ok_button.click()
    assert asked.isVisible() and "不是有效日期" in asked.date.problem.text()
    _type(qtbot, asked.date, day.strftime("%Y%m%d"))
    asked.ok_button.click()
    assert not asked.isVisible() and asked.on() == day


def test_enter_walks_the_whole_form_one_field_a_press_and_never_saves_it(qtbot, demo_workspace):
    """Enter on a tick box (见到的人) saved the visit half written; an editable choice
    (走访人, 生活情况) needed two Enters."""
    form = _form(qtbot, demo_workspace)
    form.visited_on.lineEdit().setFocus()
    walked = []
    for _ in range(12):
        widget = form.focusWidget()
        walked.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        assert form.isVisible() and form.result() == 0
    assert walked[:3] == [form.visited_on.lineEdit(), form.way, form.visitor]
    assert walked[3:7] == form.met
    assert walked[7:12] == list(form.aspects.values())
    assert form.focusWidget() is form.guardianship


def test_the_form_opens_in_the_date_and_typing_replaces_it(qtbot, demo_workspace):
    form = _form(qtbot, demo_workspace)
    edit = form.visited_on.lineEdit()
    qtbot.waitUntil(lambda: form.focusWidget() is edit and edit.selectedText() == edit.text())
    qtbot.keyClicks(edit, "20261103")  # no selecting first: straight after the form opens
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert form.visit_input().visited_on == date(2026, 11, 3)
    assert form.focusWidget() is form.way  # Enter moved on
