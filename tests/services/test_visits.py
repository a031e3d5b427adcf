"""Visits keep the schedule right: first visit in 5 working days, rolling forward, edit, delete."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from carebook.domain.schedule import VisitRule
from carebook.services import visits as v
from carebook.services.audit import history
from carebook.services.children import get_child
from carebook.services.errors import ValidationError
from carebook.services.progress import run_to_end
from carebook.services.rescheduling import reschedule_register
from carebook.services.schedule import due_children
from tests.conftest import TODAY


def visit(day: date, **changes) -> v.VisitInput:
    return v.VisitInput(visited_on=day, visitor_name="李主任", **changes)


def schedule_of(db, uid):
    record = get_child(db, uid)
    return record.last_visit_on, record.next_due_on


def test_first_visit_due_five_working_days_after_registering(db, reg):
    friday = reg.child("甲", registered_on=date(2026, 11, 27))
    assert schedule_of(db, friday) == (None, date(2026, 12, 4))
    wednesday = reg.child("乙", registered_on=date(2026, 11, 25))
    assert schedule_of(db, wednesday) == (None, date(2026, 12, 2))


def test_a_visit_rolls_the_due_date_forward_by_the_rule(db, reg):
    ordinary = reg.child("甲")
    close = reg.child("乙", care_level="重点")
    v.log_visit(db, [ordinary], visit(date(2026, 8, 31)), today=TODAY)
    v.log_visit(db, [close], visit(date(2026, 1, 31)), today=TODAY)
    assert schedule_of(db, ordinary) == (date(2026, 8, 31), date(2026, 11, 30))
    # Monthly from 31 January clamps to the end of February.
    assert schedule_of(db, close) == (date(2026, 1, 31), date(2026, 2, 28))
    # An older visit logged later does not move the schedule back.
    v.log_visit(db, [ordinary], visit(date(2026, 6, 1)), today=TODAY)
    assert schedule_of(db, ordinary) == (date(2026, 8, 31), date(2026, 11, 30))


def test_one_visit_for_a_family_shares_one_family_uid(db, reg):
    a, b = reg.child("甲"), reg.child("乙", care_level="重点")
    uids = v.log_visit(db, [a, b], visit(date(2026, 11, 20), way="入户走访"), today=TODAY)
    rows = [r for r in v.list_visits(db) if r.uid in uids]
    assert (
        len(rows) == 2 and rows[0].family_visit_uid and len({r.family_visit_uid for r in rows}) == 1
    )
    assert schedule_of(db, a)[1] == date(2027, 2, 20)
    assert schedule_of(db, b)[1] == date(2026, 12, 20)
    assert v.get_visit(db, uids[0]).family_child_names == ("甲", "乙")


def test_edit_and_delete_recompute_and_are_audited(db, reg):
    child = reg.child(registered_on=date(2026, 1, 5))  # a Monday: first visit due 12 January
    first = v.log_visit(db, [child], visit(date(2026, 5, 10)), today=TODAY)[0]
    second = v.log_visit(db, [child], visit(date(2026, 8, 10)), today=TODAY)[0]
    record = v.get_visit(db, second)
    v.update_visit(db, second, replace(record.visit, visited_on=date(2026, 9, 1)), today=TODAY)
    assert schedule_of(db, child) == (date(2026, 9, 1), date(2026, 12, 1))
    changes = [
        (h.field, h.old_value, h.new_value) for h in history(db, second) if h.action == "update"
    ]
    assert changes == [("走访日期", "2026-08-10", "2026-09-01")]
    v.delete_visit(db, second, reason="重复录入")
    assert schedule_of(db, child) == (date(2026, 5, 10), date(2026, 8, 10))
    v.delete_visit(db, first)
    assert schedule_of(db, child) == (None, date(2026, 1, 12))
    assert v.visits_of_child(db, child) == []
    assert "delete" in {h.action for h in history(db, first)}


def test_an_earlier_follow_up_date_is_honoured_a_proposal_is_not_stored(db, reg):
    child = reg.child()
    proposed = v.propose_next_visit(db, [child], date(2026, 11, 1))
    assert proposed == date(2027, 2, 1)
    uid = v.log_visit(db, [child], visit(date(2026, 11, 1), next_visit_on=proposed), today=TODAY)[0]
    assert v.get_visit(db, uid).visit.next_visit_on is None
    # Saving an edit with the proposed date (as the form does) stores no request either.
    edited = replace(v.get_visit(db, uid).visit, way="电话联系", next_visit_on=proposed)
    v.update_visit(db, uid, edited, today=TODAY)
    assert v.get_visit(db, uid).visit.next_visit_on is None
    v.log_visit(
        db, [child], visit(date(2026, 11, 2), next_visit_on=date(2026, 11, 20)), today=TODAY
    )
    assert schedule_of(db, child)[1] == date(2026, 11, 20)


def test_bad_visits_are_refused_with_reasons(db, reg):
    child = reg.child()
    with pytest.raises(ValidationError) as error:
        v.log_visit(
            db,
            [child],
            v.VisitInput(visited_on=date(2026, 12, 1), way="飞鸽传书"),
            today=TODAY,
        )
    assert set(error.value.problems) == {"visited_on", "way", "visitor_name"}
    with pytest.raises(ValidationError):
        v.log_visit(db, [], visit(TODAY), today=TODAY)


def test_logging_a_visit_takes_the_child_off_the_overdue_list(db, reg):
    child = reg.child()
    v.log_visit(db, [child], visit(date(2026, 5, 1)), today=TODAY)
    overdue = due_children(db, today=TODAY, within_days=None, overdue_only=True)
    assert [(c.uid, c.days_overdue) for c in overdue] == [(child, 119)]  # due 1 August
    v.log_visit(db, [child], visit(TODAY), today=TODAY)
    assert due_children(db, today=TODAY, within_days=None, overdue_only=True) == []


def test_changing_the_rules_reschedules_the_register(db, reg):
    ordinary = reg.child("甲")
    never = reg.child("乙", registered_on=date(2026, 11, 27))
    v.log_visit(db, [ordinary], visit(date(2026, 10, 15)), today=TODAY)
    monthly = (VisitRule("农村留守儿童", None, 1),)
    moved = run_to_end(reschedule_register(db, monthly))
    assert moved == 1
    assert schedule_of(db, ordinary)[1] == date(2026, 11, 15)
    assert schedule_of(db, never)[1] == date(2026, 12, 4)
    assert run_to_end(reschedule_register(db, monthly)) == 0


def test_rebuilding_from_visits_restores_the_maintained_columns(db, reg):
    child = reg.child(registered_on=date(2026, 1, 5))
    v.log_visit(db, [child], visit(date(2026, 9, 1)), today=TODAY)
    with db.transaction() as session:  # as a bulk import would leave it: visits, no schedule
        from carebook.storage.tables import Child

        row = session.query(Child).one()
        row.last_visit_on = row.next_due_on = None
    assert run_to_end(reschedule_register(db, from_visits=True)) == 1
    assert schedule_of(db, child) == (date(2026, 9, 1), date(2026, 12, 1))


def test_due_lists_tell_two_villages_of_one_name_apart_by_township(db):
    from carebook.services.children import register_child
    from carebook.services.schedule import DueQuery, count_due, due_page
    from tests.conftest import child_facts

    for number, town in (("110105201503120025", "宗艾镇"), ("110105201503120041", "洪善镇")):
        register_child(db, child_facts(id_number=number, township=town, village="新庄村"))
    both = due_children(db, within_days=None, village="新庄村")
    assert sorted(c.township for c in both) == ["宗艾镇", "洪善镇"]
    (one,) = due_children(db, within_days=None, village="新庄村", township="洪善镇")
    assert one.township == "洪善镇"
    query = DueQuery(date.today(), within_days=None, village="新庄村", township="宗艾镇")
    assert count_due(db, query)[0] == 1
    assert [r.uid for r in due_page(db, query, offset=0, limit=10)] == [
        c.uid for c in both if c.township == "宗艾镇"
    ]
