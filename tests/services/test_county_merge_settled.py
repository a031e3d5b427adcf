"""A conflict settled as ours is not asked again for the same workbook; a new county value is."""

from __future__ import annotations

from carebook.domain.records import ChildFacts
from carebook.services.children import get_child, register_child, update_child
from tests.conftest import child_facts
from tests.services.county_helpers import TODAY, Clerk, export, merge

OURS, THEIRS, NEWER = "13655556666", "13900002222", "13711113333"


def _conflict(db, tmp_path):
    """One child whose guardian phone changed both in the workbook and here."""
    uid = register_child(db, child_facts(), today=TODAY).uid
    path = tmp_path / "county.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.set("儿童", uid, "监护人电话", THEIRS)
    clerk.save()
    facts = get_child(db, uid).facts
    update_child(db, uid, ChildFacts(**{**facts.as_dict(), "guardian_phone": OURS}), today=TODAY)
    return uid, path


def _phone(db, uid):
    return get_child(db, uid).facts.guardian_phone


def test_prefer_ours_is_remembered_for_that_workbook(db, tmp_path):
    uid, path = _conflict(db, tmp_path)
    plan, result = merge(db, path)
    assert len(plan.conflicts) == 1 and result.open_conflicts == 1  # undecided: asked again
    plan, result = merge(db, path)
    assert len(plan.conflicts) == 1 and result.open_conflicts == 1
    merge(db, path, prefer="ours")
    plan, result = merge(db, path)
    assert plan.conflicts == [] and result.open_conflicts == 0
    assert [(c.uid, [f.field for f in c.fields]) for c in plan.settled] == [
        (uid, ["guardian_phone"])
    ]
    assert (result.created, result.updated) == (0, 0) and result.unchanged == plan.rows
    assert _phone(db, uid) == OURS
    # A blanket --prefer theirs later does not undo the decision...
    merge(db, path, prefer="theirs")
    assert _phone(db, uid) == OURS
    # ...but a person who picks that very field explicitly still can.
    merge(db, path, choices={(uid, "guardian_phone"): "theirs"})
    assert _phone(db, uid) == THEIRS


def test_a_new_county_value_for_the_same_field_is_asked_again(db, tmp_path):
    uid, path = _conflict(db, tmp_path)
    merge(db, path, prefer="ours")
    clerk = Clerk(path)
    clerk.set("儿童", uid, "监护人电话", NEWER)  # the county corrects it once more
    clerk.save()
    plan, result = merge(db, path)
    assert [(c.uid, c.fields[0].theirs) for c in plan.conflicts] == [(uid, NEWER)]
    assert plan.settled == [] and result.open_conflicts == 1
    assert _phone(db, uid) == OURS


def test_a_choice_per_field_is_remembered_and_a_dry_run_remembers_nothing(db, tmp_path):
    uid, path = _conflict(db, tmp_path)
    merge(db, path, prefer="ours", dry_run=True)
    assert len(merge(db, path)[0].conflicts) == 1
    merge(db, path, choices={(uid, "guardian_phone"): "ours"})
    plan, result = merge(db, path)
    assert plan.conflicts == [] and result.open_conflicts == 0


def test_another_export_is_another_base(db, tmp_path):
    """A fresh export holds our value: the county's old value is no change there any more."""
    uid, path = _conflict(db, tmp_path)
    merge(db, path, prefer="ours")
    fresh = tmp_path / "fresh.xlsx"
    export(db, fresh)
    clerk = Clerk(fresh)
    clerk.set("儿童", uid, "监护人电话", NEWER)
    clerk.save()
    facts = get_child(db, uid).facts
    update_child(db, uid, ChildFacts(**{**facts.as_dict(), "guardian_phone": THEIRS}), today=TODAY)
    plan, _result = merge(db, fresh)
    assert [(c.fields[0].ours, c.fields[0].theirs) for c in plan.conflicts] == [(THEIRS, NEWER)]
