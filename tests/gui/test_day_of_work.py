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
