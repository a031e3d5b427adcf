"""A wrong visit is corrected (or deleted) from the child's file, as from 走访记录; a typed
sheet code is not thrown away by Esc."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from carebook.gui import child_actions
from carebook.gui.dialogs import visit_dialog as visit_dialog_module
from carebook.gui.dialogs.child_dialog import ChildDialog
from carebook.gui.dialogs.paper_visit_entry import PaperVisitEntryDialog
from carebook.gui.dialogs.visit_dialog import VisitDialog
from carebook.gui.widgets import form_footer
from carebook.services import child_file
from carebook.services import visits as visit_service
from carebook.services.children import get_child
from carebook.services.pairings import end_pairing, pairings_of_child
from carebook.storage.tables import AuditEntry, Child, Visit
from tests.conftest import TODAY


def _child_with_visits(workspace) -> str:
    """A child in the register whose two newest visits are days apart."""
    with workspace.db.reading() as session:
        uids = [uid for (uid,) in session.query(Child.uid).filter(Child.status == "在册")]
    for uid in uids:
        lines = child_file.visits(workspace.db, uid)
        if len(lines) >= 2 and (lines[0].visited_on - lines[1].visited_on).days >= 3:
            return uid
    raise AssertionError("the demo county has no child visited twice")


def _open_file(qtbot, workspace, uid: str) -> ChildDialog:
    dialog = ChildDialog(workspace, uid)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(2)  # 走访
    return dialog


def _saving_with_date(monkeypatch, day: date) -> list[object]:
    """The visit form, shown modally in real use, gets a new date and is saved."""
    opened: list[object] = []

    def exec_(self):
        opened.append(self)
        self.visited_on.setDate(QDate(day.year, day.month, day.day))
        self.save()
        return self.result()

    monkeypatch.setattr(visit_dialog_module.VisitDialog, "exec", exec_)
    return opened


def test_a_wrong_visit_date_is_corrected_from_the_childs_file(qtbot, demo_workspace, monkeypatch):
    uid = _child_with_visits(demo_workspace)
    dialog = _open_file(qtbot, demo_workspace, uid)
    assert not dialog.edit_visit_button.isEnabled()  # nothing chosen yet
    newest, second = child_file.visits(demo_workspace.db, uid)[:2]
    corrected = newest.visited_on - timedelta(days=1)  # typed a day late on the form
    assert second.visited_on < corrected
    opened = _saving_with_date(monkeypatch, corrected)
    dialog.list_views["visits"].selectRow(0)
    assert dialog.edit_visit_button.isEnabled()
    dialog.edit_visit_button.click()
    assert len(opened) == 1 and opened[0].visit_uid == newest.uid  # the same form, editing
    assert opened[0].windowTitle() == "修改走访记录"
    lines = child_file.visits(demo_workspace.db, uid)
    assert lines[0].uid == newest.uid and lines[0].visited_on == corrected
    assert dialog.lists["visits"].row_values(0)[0] == corrected.isoformat()
    assert dialog.selected_visit() is not None and dialog.selected_visit().uid == newest.uid
    # The schedule follows as from 走访记录: the service moved the child's dates.
    record = get_child(demo_workspace.db, uid)
    assert record.last_visit_on == corrected
    proposed = visit_service.propose_next_visit(
        demo_workspace.db, [uid], corrected, demo_workspace.visit_rules()
    )
    assert record.next_due_on == (lines[0].next_visit_on or proposed)
    with demo_workspace.db.reading() as session:
        changes = session.query(AuditEntry).filter(
            AuditEntry.entity_uid == newest.uid, AuditEntry.action == "update"
        )
        fields = {e.field: e.new_value for e in changes}
    assert fields["走访日期"] == corrected.isoformat() and "走访人" not in fields


def test_enter_on_a_visit_in_the_file_opens_it_for_correcting(qtbot, demo_workspace, monkeypatch):
    uid = _child_with_visits(demo_workspace)
    opened: list[tuple] = []
    monkeypatch.setattr(
        "carebook.gui.dialogs.child_dialog.edit_visit",
        lambda parent, workspace, child_uid, visit_uid: opened.append((child_uid, visit_uid)),
    )
    dialog = _open_file(qtbot, demo_workspace, uid)
    view = dialog.list_views["visits"]
    view.selectRow(1)
    view.setCurrentIndex(dialog.lists["visits"].index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [(uid, child_file.visits(demo_workspace.db, uid)[1].uid)]


def test_a_visit_is_deleted_from_the_file_only_after_a_yes(qtbot, demo_workspace, monkeypatch):
    uid = _child_with_visits(demo_workspace)
    dialog = _open_file(qtbot, demo_workspace, uid)
    before = child_file.visits(demo_workspace.db, uid)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(child_actions.QMessageBox, "question", question)
    dialog.list_views["visits"].selectRow(0)
    dialog.delete_visit_button.click()
    assert len(child_file.visits(demo_workspace.db, uid)) == len(before)  # 否: nothing gone
    dialog.list_views["visits"].selectRow(0)
    dialog.delete_visit_button.click()
    assert before[0].visited_on.isoformat() in asked[0]
    after = child_file.visits(demo_workspace.db, uid)
    assert [v.uid for v in after] == [v.uid for v in before[1:]]
    assert dialog.lists["visits"].rowCount() == len(after)
    assert not dialog.delete_visit_button.isEnabled()  # the deleted one is not chosen still
    assert get_child(demo_workspace.db, uid).last_visit_on == after[0].visited_on
    with demo_workspace.db.reading() as session:
        deleted = session.query(AuditEntry).filter(
            AuditEntry.entity_uid == before[0].uid, AuditEntry.action == "delete"
        )
        assert deleted.count() == 1


def test_esc_asks_before_dropping_a_typed_sheet_code(qtbot, demo_workspace, monkeypatch):
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(
        form_footer.QMessageBox, "question", lambda *args: asked.append(args[2]) or answer[0]
    )
    dialog = PaperVisitEntryDialog(None, demo_workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.code, Qt.Key.Key_Escape)  # nothing typed: closes, no question
    assert asked == [] and not dialog.isVisible()
    dialog = PaperVisitEntryDialog(None, demo_workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.code, "7K3M-Q9")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Escape)
    assert len(asked) == 1 and dialog.isVisible() and dialog.code.text() == "7K3M-Q9"
    answer[0] = QMessageBox.StandardButton.Discard
    qtbot.keyClick(dialog.code, Qt.Key.Key_Escape)
    assert len(asked) == 2 and not dialog.isVisible()


def test_opening_a_visit_to_correct_it_keeps_who_visited(qtbot, demo_workspace):
    """儿童主任 visiting a child with its 爱心妈妈 on file, and a 爱心妈妈 whose pairing has
    ended since: the form showed the one, dropped the other, and saving a corrected date
    rewrote who visited."""
    with demo_workspace.db.reading() as session:
        rows = (
            session.query(Visit.uid, Child.uid, Visit.visitor_name, Visit.volunteer_id)
            .join(Child, Child.id == Visit.child_id)
            .filter(Visit.volunteer_id.is_not(None))
            .order_by(Visit.id)
            .all()
        )
    director = next(r for r in rows if r.visitor_name == "儿童主任")
    mother = next(r for r in rows if r.visitor_name != "儿童主任")
    for visit_uid, child_uid, *_ in (director, mother):
        if (visit_uid, child_uid) == (mother[0], mother[1]):
            for p in pairings_of_child(demo_workspace.db, child_uid):
                if p.ended_on is None:
                    end_pairing(demo_workspace.db, p.uid, on=TODAY, reason="其他")
            assert not VisitDialog(demo_workspace, [child_uid]).context.volunteers
        before = visit_service.get_visit(demo_workspace.db, visit_uid).visit
        form = VisitDialog(demo_workspace, [child_uid], visit_uid=visit_uid, today=TODAY)
        qtbot.addWidget(form)
        shown = form.visit_input()
        assert (shown.visitor_name, shown.volunteer_uid) == (
            before.visitor_name,
            before.volunteer_uid,
        )
        form.save()
        after = visit_service.get_visit(demo_workspace.db, visit_uid).visit
        assert (after.visitor_name, after.volunteer_uid) == (
            before.visitor_name,
            before.volunteer_uid,
        )


def test_a_second_visit_the_same_day_is_asked_about(qtbot, demo_workspace, monkeypatch):
    uid = _child_with_visits(demo_workspace)
    answers: list[QMessageBox.StandardButton] = []
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(visit_dialog_module.QMessageBox, "question", question)
    monkeypatch.setattr(form_footer.QMessageBox, "question", question)

    def log(day: date) -> VisitDialog:
        form = VisitDialog(demo_workspace, [uid], today=TODAY)
        qtbot.addWidget(form)
        form.visited_on.setDate(QDate(day.year, day.month, day.day))
        form.save()
        return form

    count = len(child_file.visits(demo_workspace.db, uid))
    assert log(TODAY).result() == VisitDialog.DialogCode.Accepted and asked == []
    answers.append(QMessageBox.StandardButton.No)
    again = log(TODAY)  # the same sheet entered twice
    assert len(asked) == 1 and TODAY.isoformat() in asked[0]
    assert again.result() != VisitDialog.DialogCode.Accepted
    assert len(child_file.visits(demo_workspace.db, uid)) == count + 1
    answers.append(QMessageBox.StandardButton.Yes)  # a second visit that day, meant
    again.save()
    assert again.result() == VisitDialog.DialogCode.Accepted
    assert len(child_file.visits(demo_workspace.db, uid)) == count + 2
    # Correcting one of them without moving its date asks nothing more.
    first = child_file.visits(demo_workspace.db, uid)[0]
    form = VisitDialog(demo_workspace, [uid], visit_uid=first.uid, today=TODAY)
    qtbot.addWidget(form)
    form.follow_up.setText("下周再去看看")
    form.save()
    assert len(asked) == 2 and form.result() == VisitDialog.DialogCode.Accepted


def test_enter_on_a_due_child_opens_the_visit_form(qtbot, demo_workspace, monkeypatch):
    """Keyboard only: arrow to the child in 已逾期 and press Enter (a double click did it; Enter
    did nothing, and Tab to 登记走访… lost the place in a long list)."""
    from carebook.gui.pages import visits_page as visits_page_module

    opened: list[list[str]] = []

    class Form:
        def __init__(self, workspace, uids, parent=None, **kwargs) -> None:
            opened.append(list(uids))

        def exec(self):
            return 0

    monkeypatch.setattr(visits_page_module, "VisitDialog", Form)
    page = visits_page_module.VisitsPage(demo_workspace, today=TODAY)
    qtbot.addWidget(page)
    assert page.list_key == "overdue" and page.model.rowCount() > 1
    page.table.setFocus()
    page.table.selectRow(1)
    page.table.setCurrentIndex(page.model.index(1, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [page.selected_child_uids()] and len(opened[0]) == 1


def test_after_a_visit_the_next_child_of_the_due_list_is_chosen(qtbot, demo_workspace, monkeypatch):
    """Going down 已逾期 with the keyboard: after each visit the list started again at the top."""
    from carebook.gui.pages import visits_page as visits_page_module

    monkeypatch.setattr(
        visit_dialog_module.VisitDialog, "exec", lambda self: (self.save(), self.result())[1]
    )
    page = visits_page_module.VisitsPage(demo_workspace, today=TODAY)
    qtbot.addWidget(page)
    page.table.selectRow(3)
    visited = page.selected_child_uids()
    following = page.model.payload(4).uid
    page.log_button.click()
    assert visited[0] not in [page.model.payload(r).uid for r in range(page.model.rowCount())]
    assert page.selected_child_uids() == [following]
    assert page.table.currentIndex().row() == 3


def test_a_sheet_of_a_child_who_has_just_left_says_so_and_is_still_entered(
    qtbot, demo_workspace, monkeypatch
):
    from carebook.services.children import exit_register
    from carebook.services.sheet_codes import make_code

    uid = _child_with_visits(demo_workspace)
    code = make_code(uid, TODAY)  # printed while the child was in the register
    exit_register(demo_workspace.db, uid, on=TODAY, reason="父母返乡")
    monkeypatch.setattr(
        visit_dialog_module.VisitDialog, "exec", lambda self: (self.save(), self.result())[1]
    )

    def open_form(child_uid: str) -> bool:
        return bool(VisitDialog(demo_workspace, [child_uid], today=TODAY).exec())

    dialog = PaperVisitEntryDialog(None, demo_workspace, open_form)
    qtbot.addWidget(dialog)
    dialog.code.setText(code)
    dialog.look_up()
    assert "已于 2026-11-28 退出台账（父母返乡）" in dialog.result_label.text()
    dialog.open_button.click()
    assert dialog.entered == 1
    assert child_file.visits(demo_workspace.db, uid)[0].visited_on == TODAY
    assert get_child(demo_workspace.db, uid).next_due_on is None  # nothing due after leaving


def test_the_visit_form_of_a_child_who_has_left_says_so(qtbot, demo_workspace):
    from carebook.services.children import exit_register

    uid = _child_with_visits(demo_workspace)
    form = VisitDialog(demo_workspace, [uid], today=TODAY)
    qtbot.addWidget(form)
    assert form.left_note is None  # still on the register: nothing to say
    exit_register(demo_workspace.db, uid, on=TODAY, reason="父母返乡")
    form = VisitDialog(demo_workspace, [uid], today=TODAY)
    qtbot.addWidget(form)
    assert form.left_note is not None
    assert "已于 2026-11-28 退出台账（父母返乡）" in form.left_note.text()
    assert "退出前的走访仍可补录" in form.left_note.text()
    # No next visit is planned for her: the field is off and says why.
    assert not form.next_visit.isEnabled() and "不再安排" in form.next_note.text()


def test_a_corrected_date_keeps_the_next_visit_the_visitor_asked_for(qtbot, demo_workspace):
    uid = _child_with_visits(demo_workspace)
    visited = TODAY - timedelta(days=20)
    asked = visited + timedelta(days=10)  # sooner than any rule
    (visit_uid,) = visit_service.log_visit(
        demo_workspace.db,
        [uid],
        visit_service.VisitInput(visited, visitor_name="儿童主任", next_visit_on=asked),
        today=TODAY,
    )
    form = VisitDialog(demo_workspace, [uid], visit_uid=visit_uid, today=TODAY)
    qtbot.addWidget(form)
    assert form.visit_input().next_visit_on == asked
    form.visited_on.setDate(QDate(visited.year, visited.month, visited.day).addDays(-2))
    assert form.visit_input().next_visit_on == asked  # the request stands
    # A visit dated after the asked-for day cannot keep it: the schedule's date is offered.
    later = visited + timedelta(days=12)
    form.visited_on.setDate(QDate(later.year, later.month, later.day))
    assert form.visit_input().next_visit_on > later
    assert form.visit_input().next_visit_on != asked
