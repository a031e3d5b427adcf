"""Printing is reachable where the work is: children list, child's file, visits, activities."""

from __future__ import annotations

from carebook.gui import printing_actions
from carebook.gui.dialogs.child_dialog import ChildDialog
from carebook.gui.main_window import MainWindow
from carebook.storage.tables import Child


class Calls:
    def __init__(self) -> None:
        self.seen: list[tuple[str, tuple, dict]] = []

    def recorder(self, name: str):
        def record(parent, workspace, *args, **kwargs):
            self.seen.append((name, args, kwargs))
            return None

        return record


MASKED = {"full_ids": False, "full_phones": False}


def _patch(monkeypatch) -> Calls:
    calls = Calls()
    for name in (
        "print_visit_sheets_for",
        "print_due_list",
        "print_visit_record",
        "print_roster",
        "open_case_file",
        "print_sign_in",
    ):
        monkeypatch.setattr(printing_actions, name, calls.recorder(name))
    return calls


def test_visits_page_prints_the_sheets_of_the_list_shown(qtbot, demo_workspace, monkeypatch):
    calls = _patch(monkeypatch)
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    page = window.show_page("visits")
    page.kind.setCurrentIndex(page.kind.findData("overdue"))
    page.refresh()
    shown = [p.uid for p in page.model.payloads]
    assert shown, "the demo county has overdue children"
    page.print_sheets_button.click()
    page.print_list_button.click()
    (name, args, _), (list_name, list_args, _) = calls.seen
    assert name == "print_visit_sheets_for" and list(args[0]) == shown
    assert list_name == "print_due_list" and list_args[0] == page._query
    assert list_args[0].overdue_only is True


def test_child_file_prints_the_case_file(qtbot, demo_workspace, monkeypatch):
    calls = _patch(monkeypatch)
    with demo_workspace.db.reading() as session:
        uid = session.query(Child.uid).first()[0]
    dialog = ChildDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    dialog.case_file_button.click()
    assert calls.seen == [("open_case_file", (uid,), MASKED)]


def test_the_archive_copy_with_full_numbers_is_asked_for_first(qtbot, demo_workspace, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    calls = _patch(monkeypatch)
    with demo_workspace.db.reading() as session:
        uid = session.query(Child.uid).first()[0]
    dialog = ChildDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    asked: list[str] = []

    def answer(reply):
        def question(parent, title, text, *args):
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.full_case_file_action.trigger()
    assert calls.seen == [] and "完整的身份证号和家人电话" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog.full_case_file_action.trigger()
    assert calls.seen == [("open_case_file", (uid,), {"full_ids": True, "full_phones": True})]


def test_activities_page_prints_the_sign_in_sheet(qtbot, demo_workspace, monkeypatch):
    calls = _patch(monkeypatch)
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    page = window.show_page("activities")
    page.refresh()
    page.table.selectRow(0)
    page.sign_in_button.click()
    assert [c[0] for c in calls.seen] == ["print_sign_in"]


def test_the_case_file_prints_what_is_on_screen(qtbot, demo_workspace, monkeypatch):
    from carebook.services.children import get_child

    calls = _patch(monkeypatch)
    with demo_workspace.db.reading() as session:
        uid = session.query(Child.uid).first()[0]
    dialog = ChildDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    dialog.form.widgets["school"].setText("新学校")
    dialog.case_file_button.click()
    assert calls.seen == [("open_case_file", (uid,), MASKED)]
    assert get_child(demo_workspace.db, uid).facts.school == "新学校" and not dialog.dirty
