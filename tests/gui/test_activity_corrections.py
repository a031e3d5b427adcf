"""An activity saved wrong is opened from 活动 in its own form, corrected, or deleted after a
question that names it; its goods records follow, and the list shows the result at once."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from carebook.domain.records import VolunteerFacts
from carebook.gui.dialogs import activity_dialog as dialog_module
from carebook.gui.dialogs.activity_dialog import ActivityDialog
from carebook.gui.pages.activities_page import ActivitiesPage
from carebook.gui.widgets import form_footer
from carebook.services import activities as act
from carebook.services import activity_edit, child_file
from carebook.services.assistance import assistance_of_child
from carebook.services.volunteers import register_volunteer
from tests.conftest import TODAY

YES, NO, CANCEL = (
    QMessageBox.StandardButton.Yes,
    QMessageBox.StandardButton.No,
    QMessageBox.StandardButton.Cancel,
)


@pytest.fixture
def asked(monkeypatch):
    """Every question is answered from a list (Yes when it runs out) and remembered."""
    questions: list[str] = []
    answers: list[QMessageBox.StandardButton] = []

    def question(parent, title, text, *args, **kwargs):
        questions.append(text)
        return answers.pop(0) if answers else YES

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(
        QMessageBox, "information", lambda *a, **k: pytest.fail(f"unexpected message {a[2]}")
    )
    return questions, answers


def _with_goods(db) -> act.ActivityRow:
    rows = [r for r in act.list_activities(db) if r.goods and r.children >= 2]
    assert rows, "the demo county has no activity with goods"
    return rows[0]


def _open_page(qtbot, workspace, uid: str) -> ActivitiesPage:
    page = ActivitiesPage(workspace, today=TODAY)
    qtbot.addWidget(page)
    page.refresh(uid)
    assert page.table.currentIndex().isValid()
    assert page.model.payload(page.table.currentIndex().row()).uid == uid
    return page


def _on_exec(monkeypatch, change):
    """The form, modal in real use, gets the change and is saved."""
    opened: list[ActivityDialog] = []

    def exec_(self):
        opened.append(self)
        change(self)
        self.save()
        return self.result()

    monkeypatch.setattr(dialog_module.ActivityDialog, "exec", exec_)
    return opened


def test_the_form_opens_filled_and_closes_without_asking(qtbot, demo_workspace, monkeypatch):
    row = _with_goods(demo_workspace.db)
    saved = act.get_activity(demo_workspace.db, row.uid)
    dialog = ActivityDialog(demo_workspace, activity_uid=row.uid, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "修改活动"
    assert (dialog.title.text(), dialog.organiser.text(), dialog.place.text()) == (
        row.title,
        row.organiser,
        row.place,
    )
    assert dialog.description.text() == saved.description
    assert dialog.held_on.date().toPython() == row.held_on
    assert sorted(dialog.picker.selected_uids()) == sorted(u for u, _n, _v in saved.children)
    assert sorted(dialog.volunteer_uids()) == sorted(u for u, _n, _v in saved.volunteers)
    # The goods are in the form, to be corrected there for every child who received them.
    assert dialog.goods_box.isChecked() and dialog.goods.text() == row.goods
    assert row.goods in dialog.goods_note.text()
    monkeypatch.setattr(form_footer, "ask_discard", lambda d: pytest.fail("nothing was typed"))
    dialog.reject()
    assert dialog.result() == 0


def test_a_child_taken_off_and_a_new_title_from_the_page(qtbot, demo_workspace, monkeypatch, asked):
    db = demo_workspace.db
    row = _with_goods(db)
    page = _open_page(qtbot, demo_workspace, row.uid)
    off = act.get_activity(db, row.uid).children[0][0]
    assert [g.activity for g in assistance_of_child(db, off)].count(row.title) == 1

    def change(dialog):
        dialog.title.setText(row.title + "（更正）")
        dialog.picker.chosen.pop(off)

    opened = _on_exec(monkeypatch, change)
    page.table.activated.emit(page.table.currentIndex())  # Enter or a double click
    assert len(opened) == 1 and opened[0].result()
    questions, _answers = asked
    assert len(questions) == 1 and "移出的 1 名儿童" in questions[0] and row.goods in questions[0]
    # The list shows the correction, on the same row.
    shown = page.model.payload(page.table.currentIndex().row())
    assert (shown.uid, shown.title, shown.children) == (
        row.uid,
        row.title + "（更正）",
        row.children - 1,
    )
    assert row.title + "（更正）" not in [g.activity for g in assistance_of_child(db, off)]
    assert row.title + "（更正）" not in {a.title for a in child_file.activities(db, off)}


def test_refusing_the_question_saves_nothing(qtbot, demo_workspace, asked):
    db = demo_workspace.db
    row = _with_goods(db)
    before = activity_edit.activity_for_edit(db, row.uid)
    dialog = ActivityDialog(demo_workspace, activity_uid=row.uid, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.picker.chosen.pop(before.children[0].uid)
    _questions, answers = asked
    answers.append(NO)
    dialog.save()
    assert not dialog.result()
    assert activity_edit.activity_for_edit(db, row.uid) == before


def test_a_child_put_on_is_given_the_goods_only_when_the_worker_says_so(
    qtbot, demo_workspace, asked
):
    db = demo_workspace.db
    row = _with_goods(db)
    taking_part = {c.uid for c in activity_edit.activity_for_edit(db, row.uid).children}
    new = [p for p in act.pick_children(db, limit=50) if p.uid not in taking_part][:2]
    questions, answers = asked
    for pick, answer, gifts in ((new[0], CANCEL, None), (new[0], NO, 0), (new[1], YES, 1)):
        dialog = ActivityDialog(demo_workspace, activity_uid=row.uid, today=TODAY)
        qtbot.addWidget(dialog)
        dialog.picker.add([pick])
        answers.append(answer)
        dialog.save()
        assert "新加入的 1 名儿童" in questions[-1]
        if gifts is None:  # 取消 goes back to the form, nothing saved
            assert not dialog.result()
            assert row.title not in {a.title for a in child_file.activities(db, pick.uid)}
            continue
        assert dialog.result() and dialog.changes.goods_added == gifts
        mine = [g for g in assistance_of_child(db, pick.uid) if g.activity == row.title]
        assert len(mine) == gifts
        assert row.title in {a.title for a in child_file.activities(db, pick.uid)}


def test_delete_names_the_activity_and_its_goods_then_it_is_gone(qtbot, demo_workspace, asked):
    db = demo_workspace.db
    row = _with_goods(db)
    child = act.get_activity(db, row.uid).children[0][0]
    page = _open_page(qtbot, demo_workspace, row.uid)
    questions, answers = asked
    answers.append(NO)
    page.delete()
    assert row.uid in {r.uid for r in act.list_activities(db)}
    answers.append(YES)
    page.delete()
    assert (
        f"删除活动“{row.title}”" in questions[0] and f"参加儿童 {row.children} 名" in questions[0]
    )
    assert "物资记录" in questions[0]
    assert row.uid not in {p.uid for p in page.model.payloads}
    assert row.uid not in {r.uid for r in act.list_activities(db)}
    assert row.title not in {g.activity for g in assistance_of_child(db, child)}


def test_an_activity_without_goods_is_deleted_and_the_empty_list_offers_nothing(
    qtbot, workspace, asked
):
    vol = register_volunteer(
        workspace.db, VolunteerFacts(name="王秀英", township="宗艾镇", village="东村")
    )
    page = ActivitiesPage(workspace, today=TODAY)
    qtbot.addWidget(page)
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    uid = act.record_activity(
        workspace.db, act.ActivityInput(date(2026, 11, 2), "妈妈培训"), [], [vol], today=TODAY
    )
    page.refresh()
    assert page.edit_button.isEnabled() and page.model.payload(0).uid == uid
    page.delete()
    questions, _answers = asked
    assert "妈妈培训" in questions[0] and "物资记录" not in questions[0]
    assert page.model.rowCount() == 0 and not page.delete_button.isEnabled()
    assert act.activities_of_volunteer(workspace.db, vol) == []
