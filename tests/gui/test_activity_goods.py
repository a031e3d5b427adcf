"""In 修改活动 the goods are corrected, given afterwards or cleared for every child at once, after
a question naming how many children and whose hand-corrected record stays; the 活动 list and
the 帮扶 page totals show the result."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from carebook.gui.dialogs import activity_dialog as dialog_module
from carebook.gui.dialogs.activity_dialog import ActivityDialog
from carebook.gui.pages.activities_page import ActivitiesPage
from carebook.gui.pages.assistance_page import AssistancePage
from carebook.services import activities as act
from carebook.services import activity_edit, child_file
from carebook.services.assistance import assistance_of_child
from carebook.storage.tables import Assistance
from tests.conftest import TODAY

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@pytest.fixture
def asked(monkeypatch):
    """Every question is answered from a list (Yes when it runs out) and remembered."""
    questions: list[str] = []
    answers: list[QMessageBox.StandardButton] = []

    def question(parent, title, text, *args, **kwargs):
        questions.append(text)
        return answers.pop(0) if answers else YES

    monkeypatch.setattr(QMessageBox, "question", question)
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: pytest.fail(f"message {a[2]}"))
    return questions, answers


def _activity(db, *, goods: bool) -> act.ActivityRow:
    rows = [r for r in act.list_activities(db) if bool(r.goods) == goods and r.children >= 2]
    assert rows, "the demo county has no such activity"
    return rows[0]


def _form(qtbot, workspace, uid: str) -> ActivityDialog:
    dialog = ActivityDialog(workspace, activity_uid=uid, today=TODAY)
    qtbot.addWidget(dialog)
    return dialog


def _values(db, uid: str) -> list[Decimal | None]:
    kids = [c.uid for c in activity_edit.activity_for_edit(db, uid).children]
    title = activity_edit.activity_for_edit(db, uid).activity.title
    return [g.value_yuan for k in kids for g in assistance_of_child(db, k) if g.activity == title]


def test_a_new_value_from_the_page_reaches_every_child_and_the_totals(
    qtbot, demo_workspace, monkeypatch, asked
):
    db = demo_workspace.db
    row = _activity(db, goods=True)
    ledger = AssistancePage(demo_workspace, today=TODAY)
    qtbot.addWidget(ledger)
    ledger.period.setText(str(row.held_on.year))
    ledger.refresh()
    before_total = Decimal(ledger.summary.text().split("合计 ")[1].split(" 元")[0])
    page = ActivitiesPage(demo_workspace, today=TODAY)
    qtbot.addWidget(page)
    page.refresh(row.uid)

    def exec_(dialog):
        dialog.value.setText("321.5")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(dialog_module.ActivityDialog, "exec", exec_)
    page.edit()
    questions, _ = asked
    n = row.children
    assert len(questions) == 1
    assert f"{n} 名儿童" in questions[0] and "321.50 元/人" in questions[0]
    assert _values(db, row.uid) == [Decimal("321.50")] * n
    shown = page.model.payload(page.table.currentIndex().row())
    assert shown.value == Decimal("321.50") * n
    ledger.refresh()
    after_total = Decimal(ledger.summary.text().split("合计 ")[1].split(" 元")[0])
    assert after_total - before_total == (Decimal("321.50") - row.value / n) * n
    kid = activity_edit.activity_for_edit(db, row.uid).children[0].uid
    assert child_file.changes(db, kid)[0].new_value.endswith("321.50 元/人")


def test_saying_no_to_the_goods_question_saves_nothing(qtbot, demo_workspace, asked):
    db = demo_workspace.db
    row = _activity(db, goods=True)
    before = activity_edit.activity_for_edit(db, row.uid)
    dialog = _form(qtbot, demo_workspace, row.uid)
    dialog.goods.setText("羽绒服")
    _questions, answers = asked
    answers.append(NO)
    dialog.save()
    assert not dialog.result()
    assert activity_edit.activity_for_edit(db, row.uid) == before


def test_only_a_title_change_asks_nothing_about_goods(qtbot, demo_workspace, asked):
    db = demo_workspace.db
    row = _activity(db, goods=True)
    dialog = _form(qtbot, demo_workspace, row.uid)
    dialog.title.setText(row.title + "（更正）")
    dialog.save()
    assert dialog.result() and asked[0] == []
    assert dialog.changes.goods_changed == 0


def test_goods_given_afterwards_after_a_question_naming_the_children(qtbot, demo_workspace, asked):
    db = demo_workspace.db
    row = _activity(db, goods=False)
    dialog = _form(qtbot, demo_workspace, row.uid)
    assert not dialog.goods_box.isChecked() and dialog.goods_box.isVisible() is False
    dialog.goods_box.setChecked(True)
    dialog.goods.setText("书包")
    dialog.value.setText("60")
    dialog.project.combo.setCurrentIndex(0)
    dialog.save()
    questions, _ = asked
    assert len(questions) == 1 and f"为参加这次活动的 {row.children} 名儿童" in questions[0]
    assert dialog.result() and dialog.changes.goods_added == row.children
    (shown,) = [r for r in act.list_activities(db) if r.uid == row.uid]
    assert (shown.goods, shown.value) == ("书包", Decimal("60.00") * row.children)


def test_clearing_keeps_a_hand_corrected_record_and_says_so(qtbot, demo_workspace, asked):
    db = demo_workspace.db
    row = _activity(db, goods=True)
    saved = activity_edit.activity_for_edit(db, row.uid)
    kid = saved.children[0]
    (record,) = [g for g in assistance_of_child(db, kid.uid) if g.activity == row.title]
    with db.transaction() as session:
        item = session.scalar(select(Assistance).where(Assistance.uid == record.uid))
        item.value_yuan = Decimal("1.23")
    dialog = _form(qtbot, demo_workspace, row.uid)
    assert kid.name in dialog.goods_note.text()
    dialog.goods_box.setChecked(False)
    dialog.save()
    questions, _ = asked
    assert len(questions) == 1
    assert "标为删除" in questions[0] and kid.name in questions[0] and "保持不变" in questions[0]
    assert dialog.changes.goods_removed == row.children - 1
    assert [g.value_yuan for g in assistance_of_child(db, kid.uid) if g.activity == row.title] == [
        Decimal("1.23")
    ]


def test_a_bad_value_is_shown_and_nothing_is_asked(qtbot, demo_workspace, asked):
    row = _activity(demo_workspace.db, goods=True)
    dialog = _form(qtbot, demo_workspace, row.uid)
    dialog.value.setText("一百")
    dialog.save()
    assert not dialog.result() and asked[0] == []
    assert "不是数字" in dialog.problem.text()


def test_goods_without_children_are_refused_before_any_question(qtbot, demo_workspace, asked):
    row = _activity(demo_workspace.db, goods=True)
    dialog = _form(qtbot, demo_workspace, row.uid)
    dialog.picker.chosen.clear()
    assert dialog.picker.selected_uids() == []
    dialog.save()
    assert not dialog.result() and asked[0] == []
    assert dialog.problem.text() == "发放物资须选择领取的儿童。"
