"""Finding a volunteer by typing (新建结对, 登记活动): the one saved is the one visibly chosen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from carebook.domain.records import VolunteerFacts
from carebook.gui.dialogs.activity_dialog import ActivityDialog
from carebook.gui.dialogs.pairing_dialog import PairingDialog
from carebook.services.activities import get_activity, list_activities
from carebook.services.pairings import pairings_of_child, pairings_of_volunteer
from carebook.services.volunteers import register_volunteer
from tests.conftest import TODAY


@pytest.fixture
def no_boxes(monkeypatch):
    """Message boxes are recorded, not shown (a modal box hangs offscreen)."""
    shown: list[str] = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, **k: shown.append(a[2]))
    return shown


@pytest.fixture
def namesakes(demo_workspace):
    """Two volunteers of one name in different villages, told apart by place and phone."""
    db = demo_workspace.db
    first = register_volunteer(
        db,
        VolunteerFacts(name="欧阳娟", township="朝阳镇", village="郭村", phone="13811112222"),
    )
    second = register_volunteer(
        db,
        VolunteerFacts(name="欧阳娟", township="朝阳镇", village="李庄村", phone="13933334444"),
    )
    return first, second


def open_pairing(qtbot, workspace) -> PairingDialog:
    dialog = PairingDialog(workspace, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_namesakes_are_told_apart_and_the_picked_one_is_paired(
    qtbot, demo_workspace, namesakes, no_boxes
):
    first, second = namesakes
    dialog = open_pairing(qtbot, demo_workspace)
    finder = dialog.finder
    assert not dialog.ok_button.isEnabled()  # no one picked yet
    finder.search.setText("欧阳娟")
    shown = finder.model.payloads
    assert [m.uid for m in shown] == [first, second] or [m.uid for m in shown] == [second, first]
    assert {(m.village, m.masked_phone) for m in shown} == {
        ("郭村", "138****2222"),
        ("李庄村", "139****4444"),
    }
    assert finder.chosen is None and not dialog.ok_button.isEnabled()  # highlighted, not picked
    row = [m.uid for m in shown].index(second)
    finder.pick_row(row)
    assert finder.chosen.uid == second
    assert "李庄村" in finder.chosen_label.text() and "139****4444" in finder.chosen_label.text()
    assert "欧阳娟" in dialog.heading.text() and dialog.ok_button.isEnabled()
    assert dialog.model.rowCount() > 0  # her children to choose from
    child = dialog.model.payload(0)
    dialog.table.selectRow(0)
    dialog.ok_button.click()
    assert dialog.result() and len(dialog.created) == 1 and not no_boxes
    paired = pairings_of_child(demo_workspace.db, child.uid)
    assert [p.volunteer_uid for p in paired if p.active] == [second]
    assert pairings_of_volunteer(demo_workspace.db, first) == []


def test_editing_the_text_after_a_pick_drops_it_and_nothing_can_be_saved(
    qtbot, demo_workspace, namesakes, no_boxes
):
    first, _second = namesakes
    dialog = open_pairing(qtbot, demo_workspace)
    finder = dialog.finder
    finder.search.setText("郭村")
    finder.pick_row([m.uid for m in finder.model.payloads].index(first))
    assert finder.chosen.uid == first and dialog.ok_button.isEnabled()
    dialog.table.selectRow(0)
    finder.search.setText("郭村 欧")  # typing on: the text no longer says who she is
    assert finder.chosen is None
    assert not dialog.ok_button.isEnabled()
    assert "欧阳娟" not in dialog.heading.text() and "欧阳娟" not in finder.chosen_label.text()
    assert dialog.model.rowCount() == 0  # no children offered for nobody
    assert finder.table.isVisible()  # the list is back to pick from
    dialog.save()  # even called directly, nothing is paired
    assert not dialog.created and dialog.isVisible() and not dialog.result()
    assert pairings_of_volunteer(demo_workspace.db, first) == []


def test_arrows_and_enter_pick_and_enter_never_saves(qtbot, demo_workspace, namesakes, no_boxes):
    first, second = namesakes
    dialog = open_pairing(qtbot, demo_workspace)
    finder = dialog.finder
    finder.search.setFocus()
    qtbot.keyClicks(finder.search, "oyj")  # initials of 欧阳娟
    assert {m.uid for m in finder.model.payloads} == {first, second}
    qtbot.keyClick(finder.search, Qt.Key.Key_Down)
    qtbot.keyClick(finder.search, Qt.Key.Key_Return)
    wanted = finder.model.payload(1)
    assert finder.chosen == wanted  # the second row, walked to with the arrow
    assert dialog.isVisible() and not dialog.created and not no_boxes
    assert not finder.table.isVisible()  # no list left whose highlight could say otherwise
    # Enter again (in the search box, and in the children's search) still saves nothing.
    qtbot.keyClick(finder.search, Qt.Key.Key_Return)
    dialog.table.selectRow(0)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.created and not no_boxes
    assert finder.chosen == wanted
    # The arrow brings the list back: choosing again, so the pick is dropped until Enter.
    qtbot.keyClick(finder.search, Qt.Key.Key_Up)
    assert finder.chosen is None and not dialog.ok_button.isEnabled()
    assert finder.table.isVisible()


def test_a_volunteer_is_found_by_phone_digits_and_village(qtbot, demo_workspace, namesakes):
    first, second = namesakes
    dialog = open_pairing(qtbot, demo_workspace)
    finder = dialog.finder
    finder.search.setText("3333")
    assert [m.uid for m in finder.model.payloads] == [second]
    finder.search.setText("李庄村")
    assert second in {m.uid for m in finder.model.payloads}
    assert first not in {m.uid for m in finder.model.payloads}
    finder.search.setText("没有这个人")
    assert finder.model.rowCount() == 0 and "没有找到" in finder.found_label.text()
    assert not dialog.ok_button.isEnabled()


def test_the_list_is_short_and_says_how_many_more(qtbot, demo_workspace, monkeypatch):
    from carebook.gui.widgets import volunteer_finder

    monkeypatch.setattr(volunteer_finder, "SHOWN_MATCHES", 3)
    finder = volunteer_finder.VolunteerFinder(demo_workspace.db)
    qtbot.addWidget(finder)
    assert finder.model.rowCount() == 3 and finder.total > 3
    assert str(finder.total) in finder.found_label.text()


def test_a_volunteer_fixed_on_opening_stays_fixed(qtbot, demo_workspace, namesakes, no_boxes):
    first, _second = namesakes
    dialog = PairingDialog(demo_workspace, volunteer_uid=first, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.finder is None and dialog.chosen_volunteer() == first
    assert "欧阳娟" in dialog.heading.text() and dialog.ok_button.isEnabled()
    dialog.search.setText("zzz")  # the children's search cannot change her
    assert dialog.chosen_volunteer() == first
    dialog.search.clear()
    dialog.table.selectRow(0)
    dialog.save()
    assert dialog.result() and [
        p.volunteer_uid for p in pairings_of_volunteer(demo_workspace.db, first)
    ] == [first]


def test_from_a_child_the_volunteers_are_searched_and_the_selected_saved(
    qtbot, demo_workspace, namesakes, no_boxes
):
    from carebook.services.schedule import due_children

    first, second = namesakes
    child = due_children(demo_workspace.db, today=TODAY)[0]
    dialog = PairingDialog(demo_workspace, child_uid=child.uid, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.search.isVisible() and 0 < dialog.model.rowCount() <= 200
    dialog.search.setText("4444")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # searches, saves nothing
    assert dialog.isVisible() and not dialog.created and not no_boxes
    assert [c.uid for c in dialog.model.payloads] == [second]
    dialog.table.selectRow(0)
    dialog.save()
    assert dialog.result()
    assert {
        p.volunteer_uid for p in pairings_of_child(demo_workspace.db, child.uid) if p.active
    } >= {second}
    assert pairings_of_volunteer(demo_workspace.db, first) == []


def test_activity_volunteers_are_found_by_typing_and_the_ticked_stay(
    qtbot, demo_workspace, namesakes
):
    first, second = namesakes
    before = len(list_activities(demo_workspace.db))
    dialog = ActivityDialog(demo_workspace, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    checklist = dialog.volunteers
    assert 0 < checklist.list.count() <= 50  # a short list, not the whole county

    def shown() -> dict[str, Qt.CheckState]:
        items = (checklist.list.item(n) for n in range(checklist.list.count()))
        return {i.data(Qt.ItemDataRole.UserRole): i.checkState() for i in items}

    checklist.search.setText("13811")
    assert list(shown()) == [first]
    checklist.list.item(0).setCheckState(Qt.CheckState.Checked)
    assert "1" in checklist.ticked_label.text()
    checklist.search.setText("李庄村")
    assert next(iter(shown())) == first  # the ticked one stays in sight, on top
    assert shown()[first] == Qt.CheckState.Checked
    assert second in shown() and shown()[second] == Qt.CheckState.Unchecked
    # Enter in the search box narrows only: the activity is not saved half-filled.
    qtbot.keyClick(checklist.search, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    checklist.search.clear()
    assert shown()[first] == Qt.CheckState.Checked
    assert dialog.volunteer_uids() == [first]
    # Unticked, she leaves what is saved; the saved activity names the ticked one only.
    checklist.search.setText("李庄村")
    row = list(shown()).index(second)
    checklist.list.item(row).setCheckState(Qt.CheckState.Checked)
    checklist.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.volunteer_uids() == [second]
    dialog.title.setText("防溺水讲座")
    dialog.picker.add(dialog.picker.found_model.payloads[:1])
    dialog.save()
    assert dialog.result(), dialog.problem.text()
    saved = get_activity(demo_workspace.db, dialog.saved_uid)
    assert len(list_activities(demo_workspace.db)) == before + 1
    assert [uid for uid, _name, _village in saved.volunteers] == [second]


def test_a_big_register_waits_for_a_filter_and_reads_schools_when_wanted(
    qtbot, demo_workspace, monkeypatch
):
    from carebook.gui.dialogs import child_picker

    monkeypatch.setattr(child_picker, "LIST_AT_ONCE", 10)  # the demo county counts as big
    picker = child_picker.ChildPicker(demo_workspace)
    qtbot.addWidget(picker)
    picker.show()
    assert (
        picker.found_model.rowCount() == 0 and str(picker.in_register) in picker.found_label.text()
    )
    assert not picker.school.loaded and picker.school.count() == 1
    picker.school.setFocus()
    qtbot.waitUntil(lambda: picker.school.loaded)
    assert picker.school.count() > 1
    picker.school.setCurrentIndex(1)
    school = picker.school.itemData(1)
    assert picker.found_model.rowCount() > 0
    assert {p.school for p in picker.found_model.payloads} == {school}
    monkeypatch.setattr(child_picker, "FOUND_LIMIT", 2)
    picker.school.setCurrentIndex(0)
    picker.find()
    assert picker.found_model.rowCount() == 2 and "只列出前 2 名" in picker.found_label.text()


def test_enter_in_the_list_itself_picks_the_row_and_saves_nothing(
    qtbot, demo_workspace, namesakes, no_boxes
):
    first, second = namesakes
    dialog = open_pairing(qtbot, demo_workspace)
    finder = dialog.finder
    finder.search.setText("欧阳娟")
    finder.table.setFocus()
    finder.table.setCurrentIndex(finder.model.index(1, 0))
    wanted = finder.model.payload(1)
    qtbot.keyClick(finder.table, Qt.Key.Key_Return)
    assert finder.chosen == wanted and wanted.uid in (first, second)
    assert dialog.isVisible() and not dialog.created and not no_boxes
    assert dialog.chosen_volunteer() == wanted.uid
