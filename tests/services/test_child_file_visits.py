"""The child's file shows the next visit each visit set, also when it is the schedule's."""

from __future__ import annotations

from datetime import date

from carebook.services import child_file
from carebook.services.children import exit_register, get_child, register_child
from carebook.services.visits import VisitInput, log_visit, propose_next_visit
from tests.conftest import TODAY, child_facts


def test_a_visit_logged_with_the_proposed_date_shows_that_date(db):
    uid = register_child(db, child_facts(), registered_on=date(2026, 1, 5), today=TODAY).uid
    proposed = propose_next_visit(db, [uid], date(2026, 11, 2))
    log_visit(
        db,
        [uid],
        VisitInput(date(2026, 11, 2), "入户走访", "儿童主任", next_visit_on=proposed),
        today=TODAY,
    )
    sooner = date(2026, 12, 1)
    log_visit(
        db,
        [uid],
        VisitInput(date(2026, 11, 20), "入户走访", "儿童主任", next_visit_on=sooner),
        today=TODAY,
    )
    newest, older = child_file.visits(db, uid)
    assert newest.next_visit_on == sooner == get_child(db, uid).next_due_on  # asked for
    assert older.next_visit_on == proposed  # stored as "the schedule's", shown as its date
    exit_register(db, uid, on=TODAY, reason="父母返乡")
    newest, older = child_file.visits(db, uid)
    assert newest.next_visit_on == sooner and older.next_visit_on is None  # nothing is due now


def test_a_corrected_visit_date_before_the_birth_is_refused_as_a_new_one_is(db):
    import pytest

    from carebook.services.errors import ValidationError
    from carebook.services.visits import get_visit, update_visit

    uid = register_child(db, child_facts(), registered_on=date(2026, 1, 5), today=TODAY).uid
    born = get_child(db, uid).facts.birth_date
    (visit_uid,) = log_visit(
        db, [uid], VisitInput(date(2026, 11, 2), visitor_name="儿童主任"), today=TODAY
    )
    typo = born.replace(year=born.year - 1)  # 2016 typed for 2026, before the child was born
    with pytest.raises(ValidationError) as refused:
        update_visit(db, visit_uid, VisitInput(typo, visitor_name="儿童主任"), today=TODAY)
    assert "出生日期" in refused.value.problems["visited_on"]
    assert get_visit(db, visit_uid).visit.visited_on == date(2026, 11, 2)
