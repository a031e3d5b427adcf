"""Care work as a user does it: pair, log a visit from the overdue list, record an activity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from carebook.domain.records import VolunteerFacts
from carebook.domain.schedule import VisitRule
from carebook.gui.dialogs.activity_dialog import ActivityDialog
from carebook.gui.dialogs.pairing_dialog import PairingDialog
from carebook.gui.dialogs.visit_dialog import VisitDialog
from carebook.gui.pages.statistics_page import StatisticsPage
from carebook.gui.pages.visits_page import VisitsPage
from carebook.gui.pages.volunteers_page import VolunteersPage
from carebook.services.assistance import assistance_of_child
from carebook.services.pairings import pairings_of_child
from carebook.services.schedule import due_children
from carebook.services.volunteers import get_volunteer, register_volunteer
from tests.conftest import TODAY


@pytest.fixture
def answer_dialogs(monkeypatch):
    """Modal dialogs 'click' Save instead of waiting for a user."""
    for cls in (VisitDialog, PairingDialog):
        monkeypatch.setattr(cls, "exec", lambda self: (self.save(), self.result())[1])


def test_pair_a_volunteer_with_a_child_from_her_page(qtbot, demo_workspace, answer_dialogs):
    db = demo_workspace.db
    new = register_volunteer(db, VolunteerFacts(name="新妈妈", township="朝阳镇", village="郭村"))
    page = VolunteersPage(demo_workspace)
    qtbot.addWidget(page)
    page.search.setText("新妈妈")
    page.refresh()
    assert page.current is not None and page.current.uid == new
    dialog = PairingDialog(demo_workspace, volunteer_uid=new, today=TODAY)
    qtbot.addWidget(dialog)
    first = dialog.model.payload(0)
    assert first.volunteers == 0  # unpaired children come first
    dialog.table.selectRow(0)
    dialog.save()
    assert dialog.result() and len(dialog.created) == 1
    [pairing] = pairings_of_child(db, first.uid)[:1]
    assert pairing.volunteer_name == "新妈妈" and pairing.active
    page.refresh()
    assert page.children_model.rowCount() == 1
    assert page.children_model.rows[0][0] == first.name


def test_log_a_visit_from_the_overdue_list(qtbot, demo_workspace, answer_dialogs, monkeypatch):
    page = VisitsPage(demo_workspace, today=TODAY)
    qtbot.addWidget(page)
    assert page.list_key == "overdue"
    before = page.model.rowCount()
    assert before > 0
    child = page.model.payload(0)
    assert child.days_overdue > 0
    page.table.selectRow(0)
    monkeypatch.setattr(
        VisitDialog,
        "exec",
        lambda self: (self.way.setCurrentText("电话联系"), self.save(), self.result())[2],
    )
    page.log_visit()
    assert page.model.rowCount() == before - 1
    assert child.uid not in {p.uid for p in page.model.payloads}
    overdue = due_children(demo_workspace.db, today=TODAY, within_days=None, overdue_only=True)
    assert child.uid not in {c.uid for c in overdue}
    page.kind.setCurrentIndex(page.kind.findData("history"))
    latest = page.model.payload(0)
    assert (latest.child_name, latest.visited_on, latest.way) == (child.name, TODAY, "电话联系")


def test_activity_with_goods_lands_on_each_childs_assistance(qtbot, demo_workspace):
    dialog = ActivityDialog(demo_workspace, today=TODAY)
    qtbot.addWidget(dialog)
    picker = dialog.picker
    school = picker.school.itemData(1)
    picker.school.setCurrentIndex(1)
    found = list(picker.found_model.payloads)
    assert found and {p.school for p in found} == {school}
    picker.add_all_button.click()
    assert picker.selected_uids() == [p.uid for p in found]
    dialog.title.setText("冬季送温暖")
    dialog.organiser.setText("县妇联")
    dialog.goods_box.setChecked(True)
    dialog.goods.setText("棉被")
    dialog.value.setText("150")
    dialog.save()  # the goods' project is not assumed: saving asks for it
    assert not dialog.result() and "帮扶项目" in dialog.problem.text()
    dialog.project.combo.setCurrentText("其他")
    dialog.save()
    assert dialog.result(), dialog.problem.text()
    for pick in found:
        mine = assistance_of_child(demo_workspace.db, pick.uid)
        gifts = [g for g in mine if g.content == "棉被" and g.given_on == TODAY]
        assert len(gifts) == 1
        assert (gifts[0].value_yuan, gifts[0].activity) == (Decimal(150), "冬季送温暖")


def test_activity_problems_are_shown_not_lost(qtbot, demo_workspace):
    dialog = ActivityDialog(demo_workspace, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.save()
    assert not dialog.result()
    assert "活动名称" in dialog.problem.text()


def test_statistics_page_shows_the_period(qtbot, demo_workspace, tmp_path, monkeypatch):
    page = StatisticsPage(demo_workspace, today=TODAY)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.job is None, timeout=10000)  # counted off the GUI thread
    assert page.view is not None and page.view.period.start == date(2026, 10, 1)
    shown = page.view.period.in_register
    assert shown > 0 and f"<b>{shown}</b>" in page.cards["在册儿童"].text()
    assert sum(v.in_register for v in page.view.villages) == shown
    # One row per village, then their 合计, as the exported table has it.
    assert page.models["villages"].rowCount() == len(page.view.villages) + 1
    page.period.setText("2026-11")
    page.refresh()
    qtbot.waitUntil(lambda: page.job is None, timeout=10000)
    assert page.view.period.end == date(2026, 11, 30)
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    target = tmp_path / "stats.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page.export()
    assert "分村统计" in target.read_text(encoding="utf-8-sig")


def test_changing_visit_rules_in_settings_reschedules(qtbot, workspace, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from carebook.gui.dialogs.visit_rules_dialog import VisitRulesDialog
    from carebook.services.children import get_child, register_child
    from carebook.services.visits import VisitInput, log_visit
    from tests.conftest import child_facts

    uid = register_child(workspace.db, child_facts(), today=TODAY).uid
    log_visit(workspace.db, [uid], VisitInput(date(2026, 10, 15), visitor_name="李"), today=TODAY)
    assert get_child(workspace.db, uid).next_due_on == date(2027, 1, 15)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    problems = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: problems.append(a[2]))
    dialog = VisitRulesDialog(workspace)
    qtbot.addWidget(dialog)
    assert len(dialog.rows) == 4  # the default rules
    dialog._add(VisitRule("农村留守儿童", None, 2))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.moved is not None or bool(problems), timeout=10000)
    assert not problems
    assert dialog.moved == 1
    assert get_child(workspace.db, uid).next_due_on == date(2026, 12, 15)
    assert {"category": "农村留守儿童", "care_level": None, "interval_months": 2} in (
        workspace.settings.visit_rules
    )


def test_esc_on_a_typed_visit_asks_before_the_typing_is_lost(qtbot, demo_workspace, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    child = due_children(demo_workspace.db, today=TODAY)[0]
    dialog = VisitDialog(demo_workspace, [child.uid], today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    asked: list[str] = []
    answer = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not dialog.isVisible() and not asked
    dialog.show()
    dialog.problems.setPlainText("孩子最近成绩下降")
    qtbot.keyClick(dialog.follow_up, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    assert dialog.problems.toPlainText() == "孩子最近成绩下降"  # nothing lost
    answer = QMessageBox.StandardButton.Discard
    qtbot.keyClick(dialog.follow_up, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_tab_leaves_the_visits_long_text_fields(qtbot, demo_workspace):
    from PySide6.QtCore import Qt

    child = due_children(demo_workspace.db, today=TODAY)[0]
    dialog = VisitDialog(demo_workspace, [child.uid], today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.problems.setFocus()
    qtbot.keyClick(dialog.problems, Qt.Key.Key_Tab)
    assert dialog.problems.toPlainText() == ""  # no tab character typed into the text
    assert dialog.focusWidget() is dialog.help_given


def test_the_other_care_forms_ask_too(qtbot, demo_workspace, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from carebook.gui.dialogs.assistance_dialog import AssistanceDialog
    from carebook.gui.dialogs.volunteer_dialog import VolunteerDialog

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.Cancel
    )
    child = due_children(demo_workspace.db, today=TODAY)[0]
    for dialog, field in (
        (AssistanceDialog(demo_workspace, [child.uid], today=TODAY), "content"),
        (VolunteerDialog(demo_workspace), "name"),
        (ActivityDialog(demo_workspace, today=TODAY), "title"),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        getattr(dialog, field).setText("冬衣")
        dialog.reject()
        assert dialog.isVisible(), type(dialog).__name__
        dialog.done(0)  # closed without the question, for the test's end
    assert len(asked) == 3
    # Children picked for an activity are work too.
    activity = ActivityDialog(demo_workspace, today=TODAY)
    qtbot.addWidget(activity)
    activity.show()
    activity.picker.add(activity.picker.found_model.payloads[:3])
    activity.reject()
    assert activity.isVisible() and len(asked) == 4
    activity.done(0)


def test_enter_in_the_child_search_searches_and_saves_nothing(qtbot, demo_workspace):
    from PySide6.QtCore import Qt

    from carebook.services.activities import list_activities

    before = len(list_activities(demo_workspace.db))
    dialog = ActivityDialog(demo_workspace, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title.setText("六一联欢")
    dialog.picker.add(dialog.picker.found_model.payloads[:1])  # one chosen, more to find
    qtbot.keyClicks(dialog.picker.search, "cao")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert len(list_activities(demo_workspace.db)) == before
    assert 0 < dialog.picker.found_model.rowCount() < 50  # the search ran
    dialog.done(0)  # closed without the question, for the test's end


def test_enter_in_the_pairing_search_searches_and_pairs_nothing(qtbot, demo_workspace, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    errors: list[str] = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, **k: errors.append(a[2]))
    new = register_volunteer(
        demo_workspace.db, VolunteerFacts(name="新妈妈", township="朝阳镇", village="郭村")
    )
    dialog = PairingDialog(demo_workspace, volunteer_uid=new, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(0)
    dialog.search.setFocus()
    qtbot.keyClicks(dialog.search, "cao")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.created and not errors
    assert 0 < dialog.model.rowCount() < 50  # the search ran


def test_the_next_visit_label_sits_beside_its_date(qtbot, demo_workspace):
    from PySide6.QtWidgets import QFormLayout

    child = due_children(demo_workspace.db, today=TODAY)[0]
    dialog = VisitDialog(demo_workspace, [child.uid], today=TODAY)
    qtbot.addWidget(dialog)
    dialog.resize(620, 800)  # taller than the form needs
    dialog.show()
    qtbot.waitExposed(dialog)
    [form] = dialog.findChildren(QFormLayout)
    role = QFormLayout.ItemRole
    [label] = [
        form.itemAt(r, role.LabelRole).widget()
        for r in range(form.rowCount())
        if form.itemAt(r, role.FieldRole).layout() is not None
        and form.itemAt(r, role.FieldRole).layout().indexOf(dialog.next_visit) >= 0
    ]
    date_middle = dialog.next_visit.geometry().center().y()
    assert abs(label.geometry().center().y() - date_middle) < dialog.next_visit.height()


def test_a_page_left_open_overnight_works_on_the_new_day(qtbot, demo_workspace, monkeypatch):
    import sys
    from datetime import timedelta

    page = VisitsPage(demo_workspace)  # the real today, as the app builds it
    qtbot.addWidget(page)
    tomorrow = date.today() + timedelta(days=1)

    class NextDay(date):
        @classmethod
        def today(cls):
            return tomorrow

    for module in ("carebook.gui.pages.visits_page", "carebook.gui.pages.today"):
        if module in sys.modules:  # midnight passes wherever the page reads the date
            monkeypatch.setattr(sys.modules[module], "date", NextDay)
    assert page.today == tomorrow
    opened = []
    monkeypatch.setattr(
        VisitDialog, "exec", lambda self: opened.append(self.visited_on.maximumDate()) or 0
    )
    page.table.selectRow(0)
    page.log_visit()
    assert opened and opened[0].toPython() == tomorrow  # today's visit can be dated today


def test_a_volunteers_phone_is_masked_and_revealing_it_is_logged(qtbot, demo_workspace):
    from carebook.gui.dialogs.volunteer_dialog import VolunteerDialog
    from carebook.services.audit import history

    uid = register_volunteer(
        demo_workspace.db, VolunteerFacts(name="新妈妈", phone="13812345678", township="朝阳镇")
    )
    dialog = VolunteerDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    assert dialog.phone.edit.text() == "138****5678" and dialog.phone.is_masked()
    dialog.save()  # saving unrevealed keeps her number whole
    assert get_volunteer(demo_workspace.db, uid).phone == "13812345678"
    dialog = VolunteerDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    dialog.phone.button.click()
    assert dialog.phone.edit.text() == "13812345678"
    assert [e.action for e in history(demo_workspace.db, uid)].count("reveal") == 1


def test_visits_page_tells_two_villages_of_one_name_apart(qtbot, workspace, monkeypatch):
    from carebook.gui import printing_actions
    from carebook.services.children import register_child
    from tests.conftest import child_facts

    for number, town in (("110105201503120025", "宗艾镇"), ("110105201503120041", "洪善镇")):
        register_child(workspace.db, child_facts(id_number=number, township=town, village="新庄村"))
    register_child(workspace.db, child_facts(id_number="110105201503120068", village="东村"))
    page = VisitsPage(workspace)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("month"))
    labels = [page.village.itemText(i) for i in range(page.village.count())]
    assert "新庄村（洪善镇）" in labels and "新庄村（宗艾镇）" in labels and "东村" in labels
    page.village.setCurrentIndex(labels.index("新庄村（洪善镇）"))
    assert page.model.total == 1
    asked = {}
    monkeypatch.setattr(
        printing_actions, "print_due_list", lambda parent, ws, query, **k: asked.update(q=query)
    )
    page.print_list()
    assert (asked["q"].township, asked["q"].village) == ("洪善镇", "新庄村")


def test_pairings_page_reads_its_list_a_page_at_a_time(qtbot, demo_workspace, monkeypatch):
    from carebook.gui.pages import care_table
    from carebook.gui.pages.pairings_page import PairingsPage
    from carebook.services.pairings import list_pairings

    monkeypatch.setattr(care_table, "PAGE_SIZE", 5)
    page = PairingsPage(demo_workspace)
    qtbot.addWidget(page)
    whole = list_pairings(demo_workspace.db)
    active = [r for r in whole if r.active]
    assert page.model.rowCount() == 5 and page.model.canFetchMore()
    assert f"进行中的结对 {len(active)} 对" in page.count.text()
    page.model.fetch_all()
    assert [r.uid for r in page.model.payloads] == [r.uid for r in whole]


def test_pairings_page_sorts_the_whole_list_by_a_header(qtbot, demo_workspace, monkeypatch):
    from PySide6.QtCore import Qt

    from carebook.gui.pages import care_table
    from carebook.gui.pages.pairings_page import PairingsPage

    monkeypatch.setattr(care_table, "PAGE_SIZE", 5)
    page = PairingsPage(demo_workspace)
    qtbot.addWidget(page)
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # 儿童, Z first
    page.model.fetch_all()
    names = [r.child_name for r in page.model.payloads]
    assert names == sorted(names, reverse=True) and len(names) > 5
