"""Registering, editing, exiting and revealing children, each with its audit trail."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.services import children as svc
from carebook.services.audit import Origin, history
from carebook.services.errors import DuplicateChildError, ServiceError, ValidationError
from tests.conftest import TODAY, child_facts

WORKER = Origin("李主任", "手工录入")


def test_register_fills_birth_date_and_sex_from_the_id(db) -> None:
    record = svc.register_child(
        db, child_facts(sex="", birth_date=None), origin=WORKER, today=TODAY
    )
    assert record.facts.birth_date == date(2015, 3, 12)
    assert record.facts.sex == "女"
    assert record.status == "在册"
    assert record.registered_on == TODAY
    # A new child's first visit falls due within five working days (Sat 28 Nov -> Fri 4 Dec).
    assert record.next_due_on == date(2026, 12, 4)


def test_id_wins_over_a_disagreeing_birth_date(db) -> None:
    record = svc.register_child(
        db, child_facts(birth_date=date(2014, 1, 1), sex="男"), origin=WORKER, today=TODAY
    )
    assert record.facts.birth_date == date(2015, 3, 12)
    assert record.facts.sex == "女"


def test_invalid_input_is_refused_field_by_field(db) -> None:
    with pytest.raises(ValidationError) as caught:
        svc.register_child(
            db,
            child_facts(name=" ", id_number="110105201503120026", guardian_phone="12ab"),
            today=TODAY,
        )
    assert set(caught.value.problems) == {"name", "id_number", "guardian_phone"}
    assert "校验" in caught.value.problems["id_number"]


def test_excel_damaged_id_is_refused_with_the_reason(db) -> None:
    with pytest.raises(ValidationError) as caught:
        svc.register_child(db, child_facts(id_number="1.10105E+17"), today=TODAY)
    assert "Excel" in caught.value.problems["id_number"]


def test_duplicate_id_is_refused_with_a_way_to_open_the_child(db) -> None:
    first = svc.register_child(db, child_facts(), today=TODAY)
    with pytest.raises(DuplicateChildError) as caught:
        svc.register_child(db, child_facts(name="另一个"), today=TODAY)
    assert caught.value.existing_uid == first.uid
    assert "110105********0025" in caught.value.message


def test_categories_and_phones_are_normalised(db) -> None:
    record = svc.register_child(
        db,
        child_facts(categories=("留守", "重残", "留守儿童"), guardian_phone="138 1234 5678"),
        today=TODAY,
    )
    assert record.facts.categories == ("农村留守儿童", "困境儿童（重病重残）")
    assert record.facts.guardian_phone == "13812345678"


def test_edit_writes_each_changed_field_to_the_history(db) -> None:
    record = svc.register_child(db, child_facts(), origin=WORKER, today=TODAY)
    changed = svc.update_child(
        db,
        record.uid,
        svc.facts_with(record, guardian_phone="13900001111", school="宗艾小学"),
        origin=WORKER,
        today=TODAY,
    )
    assert changed.facts.guardian_phone == "13900001111"
    entries = history(db, record.uid)
    updates = {(e.field, e.old_value, e.new_value) for e in entries if e.action == "update"}
    assert updates == {("监护人电话", "138****5678", "139****1111"), ("就读学校", "", "宗艾小学")}
    assert all(e.actor == "李主任" and e.source == "手工录入" for e in entries)
    assert entries[-1].action == "create"


def test_an_edit_that_changes_nothing_writes_nothing(db) -> None:
    record = svc.register_child(db, child_facts(), today=TODAY)
    svc.update_child(db, record.uid, record.facts, today=TODAY)
    assert [e.action for e in history(db, record.uid)] == ["create"]


def test_id_numbers_in_the_history_are_masked(db) -> None:
    record = svc.register_child(db, child_facts(id_number=None), today=TODAY)
    svc.update_child(db, record.uid, svc.facts_with(record, id_number="110105201503120025"))
    change = next(e for e in history(db, record.uid) if e.field == "公民身份号码")
    assert change.new_value == "110105********0025"


def test_phones_in_the_history_are_masked(db) -> None:
    record = svc.register_child(db, child_facts(mother_phone="13800001111"), today=TODAY)
    svc.update_child(db, record.uid, svc.facts_with(record, mother_phone="13912345678"))
    change = next(e for e in history(db, record.uid) if e.field == "母亲电话")
    assert (change.old_value, change.new_value) == ("138****1111", "139****5678")


def test_exit_and_reenter_keep_the_record_and_its_history(db) -> None:
    record = svc.register_child(db, child_facts(), today=TODAY)
    gone = svc.exit_register(db, record.uid, on=date(2026, 12, 1), reason="父母返乡", origin=WORKER)
    assert (gone.status, gone.status_reason, gone.next_due_on) == ("退出", "父母返乡", None)
    with pytest.raises(ServiceError, match="已经是"):
        svc.exit_register(db, record.uid, on=date(2026, 12, 2), reason="迁出")
    back = svc.reenter_register(db, record.uid, on=date(2027, 1, 5), reason="父亲再次外出")
    assert back.status == "在册" and back.next_due_on is not None
    actions = [e.action for e in history(db, record.uid)]
    assert actions.count("exit") == 2 and actions.count("reenter") == 2


def test_exit_needs_a_reason(db) -> None:
    record = svc.register_child(db, child_facts(), today=TODAY)
    with pytest.raises(ValidationError):
        svc.exit_register(db, record.uid, on=TODAY, reason="  ")


def test_reveal_returns_the_full_number_and_is_audited(db) -> None:
    record = svc.register_child(db, child_facts(), today=TODAY)
    assert svc.reveal(db, record.uid, "id_number", origin=WORKER) == "110105201503120025"
    reveal = next(e for e in history(db, record.uid) if e.action == "reveal")
    assert (reveal.actor, reveal.field) == ("李主任", "公民身份号码")
    with pytest.raises(ServiceError):
        svc.reveal(db, record.uid, "name")


def test_search_keys_hold_pinyin_initials_and_phone_digits(db) -> None:
    from carebook.storage.tables import Child

    record = svc.register_child(db, child_facts(name="单子涵"), today=TODAY)
    with db.reading() as session:
        child = session.query(Child).filter_by(uid=record.uid).one()
        assert "danzihan" in child.name_pinyin and "shanzihan" in child.name_pinyin
        assert "dzh" in child.name_initials.split() and "szh" in child.name_initials.split()
        assert "13812345678" in child.search_text


def test_a_parents_id_number_is_checked_and_cleaned_like_the_childs(db) -> None:
    """A father's ID with a digit missing was saved as typed, unchecked; one typed with spaces
    and a small x was kept so, and was not found or masked as an ID number."""
    from carebook.domain.id_numbers import make_id

    father = make_id("140725", date(1985, 1, 1), 19)
    with pytest.raises(ValidationError) as caught:
        svc.register_child(db, child_facts(father_id_number=father[:-1]), today=TODAY)
    assert set(caught.value.problems) == {"father_id_number"}
    assert caught.value.problems["father_id_number"].startswith("父亲身份证号")
    spaced = f"{father[:6]} {father[6:14]} {father[14:]}".lower()
    record = svc.register_child(
        db, child_facts(father_id_number=spaced, guardian_id_number=""), today=TODAY
    )
    assert record.facts.father_id_number == father


def test_leaving_and_coming_back_keep_their_order_in_time(db) -> None:
    """An exit dated before the registration, or a re-entry before the exit, was saved: the
    file then said she came back before she left."""
    record = svc.register_child(db, child_facts(), today=TODAY, registered_on=date(2026, 11, 1))
    with pytest.raises(ValidationError) as caught:
        svc.exit_register(db, record.uid, on=date(2026, 10, 1), reason="随父母外出")
    assert "2026-11-01" in caught.value.problems["status_date"]
    assert svc.get_child(db, record.uid).status == "在册"  # nothing changed
    svc.exit_register(db, record.uid, on=date(2026, 11, 20), reason="随父母外出")
    with pytest.raises(ValidationError) as caught:
        svc.reenter_register(db, record.uid, on=date(2026, 11, 10), reason="父母外出务工")
    assert "2026-11-20" in caught.value.problems["status_date"]
    back = svc.reenter_register(db, record.uid, on=date(2026, 11, 20), reason="误退出")
    assert back.status == "在册"  # the same day is allowed (an exit undone)
