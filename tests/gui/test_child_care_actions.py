"""From the child's file: log a visit, pair, and leave the register ending the pairings."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QMessageBox

from carebook.gui.dialogs import child_dialog as child_dialog_module
from carebook.gui.dialogs.child_dialog import ChildDialog
from carebook.services import child_file
from carebook.services.pairings import pairings_of_child
from carebook.storage.tables import Child, Pairing


def _paired_child_uid(workspace) -> str:
    with workspace.db.reading() as session:
        return (
            session.query(Child.uid)
            .join(Pairing, Pairing.child_id == Child.id)
            .filter(Pairing.ended_on.is_(None), Child.status == "在册")
            .first()[0]
        )


class _Asked:
    """Stands in for the reason dialog: a date and a reason, accepted."""

    def __init__(self, *args) -> None:
        pass

    def exec(self):
        return QDialog.DialogCode.Accepted

    def on(self) -> date:
        return date(2026, 11, 28)

    def reason(self) -> str:
        return "父母返乡"


def test_leaving_the_register_can_end_the_pairings(qtbot, demo_workspace, monkeypatch) -> None:
    uid = _paired_child_uid(demo_workspace)
    dialog = ChildDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    assert dialog.visit_button.isVisibleTo(dialog) and dialog.pair_button.isVisibleTo(dialog)
    monkeypatch.setattr(child_dialog_module, "StatusDialog", _Asked)
    asked: list[int] = []
    monkeypatch.setattr(
        child_dialog_module, "ask_end_pairings", lambda parent, n: asked.append(n) or True
    )
    dialog.exit_button.click()
    assert asked and asked[0] >= 1
    assert dialog.record.status == "退出"
    lines = child_file.pairings(demo_workspace.db, uid)
    assert lines and all(not line.active and line.end_reason == "父母返乡" for line in lines)
    assert not dialog.pair_button.isVisibleTo(dialog)


def test_cancelling_the_pairings_question_keeps_the_child(qtbot, demo_workspace, monkeypatch):
    uid = _paired_child_uid(demo_workspace)
    dialog = ChildDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(child_dialog_module, "StatusDialog", _Asked)
    monkeypatch.setattr(child_dialog_module, "ask_end_pairings", lambda parent, n: None)
    dialog.exit_button.click()
    assert dialog.record.status == "在册"
    assert any(p.ended_on is None for p in pairings_of_child(demo_workspace.db, uid))


def test_visit_button_opens_the_visit_form_for_this_child(qtbot, demo_workspace, monkeypatch):
    uid = _paired_child_uid(demo_workspace)
    opened: list[list[str]] = []

    class FakeVisitDialog:
        def __init__(self, workspace, child_uids, parent=None) -> None:
            opened.append(list(child_uids))

        def exec(self):
            return QDialog.DialogCode.Rejected

    import carebook.gui.dialogs.visit_dialog as visit_dialog_module

    monkeypatch.setattr(visit_dialog_module, "VisitDialog", FakeVisitDialog)
    dialog = ChildDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    dialog.visit_button.click()
    assert opened == [[uid]]


def test_leaving_asks_for_a_reason_and_no_date_after_today(qtbot) -> None:
    from PySide6.QtCore import QDate

    from carebook.domain.people import EXIT_REASONS
    from carebook.gui.dialogs.status_dialog import StatusDialog

    asked = StatusDialog("退出台账", EXIT_REASONS)
    qtbot.addWidget(asked)
    assert asked.reason() == "" and not asked.ok_button.isEnabled()  # nothing chosen for her
    asked.reason_box.setCurrentText("父母返乡")
    assert asked.ok_button.isEnabled() and asked.reason() == "父母返乡"
    asked.date.setDate(QDate.currentDate().addYears(3))
    assert asked.on() == date.today()


def test_a_visit_logged_from_the_file_keeps_its_unsaved_typing(qtbot, demo_workspace, monkeypatch):
    import carebook.gui.dialogs.visit_dialog as visit_dialog_module

    uid = _paired_child_uid(demo_workspace)
    monkeypatch.setattr(
        visit_dialog_module.VisitDialog, "exec", lambda self: (self.save(), self.result())[1]
    )
    dialog = ChildDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    visits_before = dialog.lists["visits"].rowCount()
    dialog.form.widgets["school"].setText("新学校")
    dialog.visit_button.click()
    assert dialog.lists["visits"].rowCount() == visits_before + 1
    assert dialog.form.widgets["school"].text() == "新学校" and dialog.dirty  # nothing lost
    dialog.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # closing after the test
