"""A village child director's day, driven through the real dialogs: what a slip of a key or a
paper form's odd spelling must not do."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from carebook.gui.dialogs.activity_dialog import ActivityDialog
from carebook.gui.dialogs.assistance_dialog import AssistanceDialog
from carebook.gui.dialogs.visit_dialog import VisitDialog
from carebook.gui.dialogs.volunteer_dialog import VolunteerDialog
from carebook.services import visits as visit_service
from carebook.services.schedule import due_children
from tests.conftest import TODAY


@pytest.fixture
def no_boxes(monkeypatch):
    """Any message box is answered 'Cancel' and remembered, never shown (it would hang)."""
    asked: list[str] = []
    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(
            QMessageBox,
            kind,
            lambda *a, **k: asked.append(str(a[2])) or QMessageBox.StandardButton.Cancel,
        )
    return asked


def test_enter_in_a_visit_field_moves_on_and_saves_nothing(qtbot, demo_workspace, no_boxes):
    child = due_children(demo_workspace.db, today=TODAY)[0]
    before = len(visit_service.visits_of_child(demo_workspace.db, child.uid))
    dialog = VisitDialog(demo_workspace, [child.uid], today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.guardianship.setFocus()
    dialog.guardianship.setText("爷爷年纪大")
    qtbot.keyClick(dialog.guardianship, Qt.Key.Key_Return)
    # Still open, nothing saved: 发现的问题 and 帮扶措施 were not written yet.
    assert dialog.isVisible() and dialog.result() == 0
    assert len(visit_service.visits_of_child(demo_workspace.db, child.uid)) == before
    assert dialog.focusWidget() is dialog.problems  # Enter went on to the next field
    # Enter on the 保存 button itself still saves.
    save = dialog.buttons.buttons()[0]
    assert save.text() == "保存"
    save.setFocus()
    qtbot.keyClick(save, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert len(visit_service.visits_of_child(demo_workspace.db, child.uid)) == before + 1


@pytest.mark.parametrize("which", ["assistance", "volunteer"])
def test_enter_in_a_care_form_field_saves_nothing(qtbot, demo_workspace, no_boxes, which):
    child = due_children(demo_workspace.db, today=TODAY)[0]
    if which == "assistance":
        dialog = AssistanceDialog(demo_workspace, [child.uid], today=TODAY)
        edit = dialog.content  # 价值 and 提供者 below are still to be filled
    else:
        dialog = VolunteerDialog(demo_workspace)
        edit = dialog.name  # her phone and village are still to be filled
    qtbot.addWidget(dialog)
    dialog.show()
    edit.setFocus()
    edit.setText("王")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.focusWidget() is not edit  # on to the next field


def test_enter_in_the_activity_form_shows_no_premature_problem(qtbot, demo_workspace, no_boxes):
    dialog = ActivityDialog(demo_workspace, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title.setFocus()
    dialog.title.setText("六一游园")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
    assert dialog.isVisible() and not no_boxes
    assert dialog.focusWidget() is not dialog.title


PLACES = [
    ("南燕竹镇", "河堡村"),
    ("南燕竹镇", "西马村"),
    ("朝阳镇", "西马村"),  # one name, two townships
    ("朝阳镇", "郭村"),
]


def _form(qtbot):
    from carebook.gui.dialogs.child_form import ChildForm

    form = ChildForm(mask_numbers=True, today=TODAY)
    qtbot.addWidget(form)
    form.set_places(PLACES)
    return form


def _items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count()) if combo.itemText(i)]


def test_the_village_list_follows_the_township(qtbot):
    form = _form(qtbot)
    town, village = form.widgets["township"], form.widgets["village"]
    assert sorted(_items(village)) == ["河堡村", "西马村", "郭村"]
    town.setCurrentText("朝阳镇")
    assert sorted(_items(village)) == ["西马村", "郭村"]
    town.setCurrentText("")
    assert sorted(_items(village)) == ["河堡村", "西马村", "郭村"]


def test_a_village_of_one_township_fills_it_in(qtbot):
    form = _form(qtbot)
    form.widgets["name"].setText("张小梅")
    form.widgets["village"].setCurrentText("郭村")
    assert form.widgets["township"].currentText() == "朝阳镇"
    facts, problems = form.facts()
    assert (facts.township, facts.village) == ("朝阳镇", "郭村") and not problems


def test_a_village_of_two_townships_needs_its_township(qtbot):
    """Saved without one, she went to a new village 西马村 under '未填乡镇'."""
    form = _form(qtbot)
    form.widgets["name"].setText("张小梅")
    form.widgets["village"].setCurrentText("西马村")
    assert form.widgets["township"].currentText() == ""
    _facts, problems = form.facts()
    assert "朝阳镇" in problems["township"] and "南燕竹镇" in problems["township"]
    assert "township" in form.visible_problems()
    form.widgets["township"].setCurrentText("南燕竹镇")
    facts, problems = form.facts()
    assert not problems and (facts.township, facts.village) == ("南燕竹镇", "西马村")
    assert not form.visible_problems()


def test_a_village_under_the_wrong_township_is_pointed_out(qtbot):
    """Chosen from the list of every village, 河堡村 under 朝阳镇 silently made a new village."""
    form = _form(qtbot)
    form.widgets["township"].setCurrentText("朝阳镇")
    form.widgets["village"].setCurrentText("河堡村")
    shown = form.visible_problems().get("village", "")
    assert "南燕竹镇" in shown and "朝阳镇" in shown
    # A new village is allowed: the worker was told, the form still saves.
    _facts, problems = form.facts()
    assert not problems


def test_a_cleared_township_is_not_filled_again_but_saved_right(qtbot):
    form = _form(qtbot)
    form.widgets["name"].setText("张小梅")
    form.widgets["village"].setCurrentText("郭村")
    form.widgets["township"].setCurrentText("")
    assert form.widgets["township"].currentText() == ""  # the worker's clearing stands
    facts, problems = form.facts()
    assert (facts.township, facts.village) == ("朝阳镇", "郭村") and not problems
    form.widgets["village"].setCurrentText("西马村")  # now two townships: she must choose
    assert "township" in form.facts()[1]


def test_the_assistance_project_is_chosen_not_assumed(qtbot, demo_workspace, no_boxes):
    """The project list opened on 春蕾计划 (girls' schooling): a boy's school bag saved under it
    unless the worker thought to change it."""
    from carebook.services.assistance import assistance_of_child

    boy = next(c for c in due_children(demo_workspace.db, today=TODAY) if c.uid)
    before = len(assistance_of_child(demo_workspace.db, boy.uid))
    dialog = AssistanceDialog(demo_workspace, [boy.uid], today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.project.text() == ""
    dialog.content.setText("书包")
    dialog.save()
    assert dialog.result() == 0 and "帮扶项目" in dialog.problem.text()
    assert len(assistance_of_child(demo_workspace.db, boy.uid)) == before
    dialog.project.combo.setCurrentText("爱心妈妈结对")
    dialog.save()
    assert dialog.result() == 1
    assert assistance_of_child(demo_workspace.db, boy.uid)[0].project == "爱心妈妈结对"


def test_the_activity_goods_project_is_chosen_not_assumed(qtbot, demo_workspace):
    dialog = ActivityDialog(demo_workspace, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.project.text() == ""


def _asked_on_esc(qtbot, dialog, monkeypatch, answer) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    return asked


def test_esc_on_a_typed_exit_reason_asks_first(qtbot, monkeypatch):
    from carebook.domain.people import EXIT_REASONS
    from carebook.gui.dialogs.status_dialog import StatusDialog

    dialog = StatusDialog("退出台账", EXIT_REASONS)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not _asked_on_esc(qtbot, dialog, monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not dialog.isVisible()  # nothing typed: Esc closes at once
    dialog.show()
    dialog.reason_box.setFocus()
    dialog.reason_box.setEditText("随父母到浙江宁波上学")
    asked = _asked_on_esc(qtbot, dialog, monkeypatch, QMessageBox.StandardButton.Cancel)
    assert asked and dialog.isVisible() and dialog.reason() == "随父母到浙江宁波上学"
    _asked_on_esc(qtbot, dialog, monkeypatch, QMessageBox.StandardButton.Discard)
    assert not dialog.isVisible()


def test_esc_on_a_pairing_with_a_typed_note_asks_first(qtbot, demo_workspace, monkeypatch):
    from carebook.gui.dialogs.pairing_dialog import PairingDialog

    child = due_children(demo_workspace.db, today=TODAY)[0]
    dialog = PairingDialog(demo_workspace, child_uid=child.uid, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.search.setText("li")  # a search is no typing to keep: Esc closes
    assert not _asked_on_esc(qtbot, dialog, monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not dialog.isVisible()
    dialog.show()
    dialog.notes.setFocus()
    dialog.notes.setText("每月电话问候一次，每学期走访一次")
    asked = _asked_on_esc(qtbot, dialog, monkeypatch, QMessageBox.StandardButton.Cancel)
    assert asked and dialog.isVisible()


def test_esc_on_a_typed_end_of_pairing_reason_asks_first(qtbot, demo_workspace, monkeypatch):
    from carebook.gui.dialogs.pairing_dialog import EndPairingDialog
    from carebook.services.pairings import pairings_of_child

    child = next(c for c in due_children(demo_workspace.db, today=TODAY) if c.volunteer)
    row = next(p for p in pairings_of_child(demo_workspace.db, child.uid) if p.active)
    dialog = EndPairingDialog(demo_workspace, row, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reason.setFocus()
    dialog.reason.setEditText("爱心妈妈搬到县城居住")
    asked = _asked_on_esc(qtbot, dialog, monkeypatch, QMessageBox.StandardButton.Cancel)
    assert asked and dialog.isVisible()


def test_enter_in_the_visit_rules_does_not_reschedule_the_register(
    qtbot, demo_workspace, monkeypatch
):
    """Enter in a months box pressed 保存并重新排期: the whole register was rescheduled on a
    rule half changed; Esc then dropped the changes without a word."""
    from carebook.gui.dialogs import visit_rules_dialog as rules_module

    started: list[object] = []
    monkeypatch.setattr(rules_module, "start_job", lambda *a, **k: started.append(a))
    before = demo_workspace.settings.visit_rules
    dialog = rules_module.VisitRulesDialog(demo_workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    months = dialog.rows[0].months
    months.setFocus()
    months.setValue(months.value() + 1)
    qtbot.keyClick(months, Qt.Key.Key_Return)
    assert dialog.isVisible() and not started
    assert demo_workspace.settings.visit_rules == before
    asked = _asked_on_esc(qtbot, dialog, monkeypatch, QMessageBox.StandardButton.Cancel)
    assert asked and dialog.isVisible()


def test_a_parent_coming_home_points_to_the_left_behind_category(qtbot):
    """Recording that the father came home left the child a 农村留守儿童 without a word."""
    from carebook.domain.records import ChildFacts

    form = _form(qtbot)
    form.set_facts(
        ChildFacts(
            name="张小梅",
            categories=("农村留守儿童",),
            father_status="外出务工",
            mother_status="外出务工",
        )
    )
    assert not form.visible_problems()  # as loaded: nothing said
    form.widgets["father_status"].setCurrentText("在家")
    note = form.visible_problems().get("categories", "")
    assert "农村留守儿童" in note and "退出台账" in note
    facts, problems = form.facts()
    assert not problems and facts.father_status == "在家"  # a note: saving goes on
    form.widgets["father_status"].setCurrentText("外出务工")
    assert "categories" not in form.visible_problems()


def test_an_activity_is_shown_as_typed_even_with_angle_brackets(qtbot, demo_workspace):
    """The detail beside the list is rich text: '<安全>' in a title was read as a tag and
    vanished, so 防溺水<安全>讲座 showed as 防溺水讲座."""
    from carebook.gui.pages.activities_page import ActivitiesPage
    from carebook.services import activities as activity_service

    child = due_children(demo_workspace.db, today=TODAY)[0]
    activity_service.record_activity(
        demo_workspace.db,
        activity_service.ActivityInput(
            held_on=TODAY, title="防溺水<安全>讲座", organiser="镇妇联&团委", place="村委会"
        ),
        [child.uid],
        [],
        None,
        today=TODAY,
    )
    page = ActivitiesPage(demo_workspace, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    row = next(r for r in range(page.model.rowCount()) if "讲座" in str(page.model.rows[r][1]))
    page.table.selectRow(row)
    shown = page.detail.text()
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(shown)
    assert "防溺水<安全>讲座" in document.toPlainText()
    assert "镇妇联&团委" in document.toPlainText()


def test_a_visit_logged_from_a_volunteers_list_is_hers(qtbot, demo_workspace, monkeypatch):
    """走访 narrowed to one 爱心妈妈 (her sheets being entered): the visit form still named
    儿童主任 as the visitor, and her visits were credited to the director."""
    from carebook.gui.dialogs import visit_dialog as visit_module
    from carebook.gui.pages.visits_page import VisitsPage

    page = VisitsPage(demo_workspace, today=TODAY)
    qtbot.addWidget(page)
    assert page.list_key == "overdue"
    for index in range(1, page.volunteer.count()):  # the first 爱心妈妈 with a child overdue
        page.volunteer.setCurrentIndex(index)
        if page.model.rowCount():
            break
    her = page.volunteer.currentData()
    assert her and page.model.rowCount()
    page.table.selectRow(0)
    seen: list[object] = []
    monkeypatch.setattr(
        visit_module.VisitDialog, "exec", lambda self: seen.append(self.visitor.currentData())
    )
    page.log_visit()
    assert seen == [her]
