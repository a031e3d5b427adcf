"""Two computers on one county server edit the same child: nobody's change is lost unseen."""

from __future__ import annotations

from dataclasses import replace

import pytest

from carebook.services.children import get_child, register_child, update_child
from carebook.services.errors import ServiceError
from tests.conftest import TODAY, child_facts


def test_edits_of_different_fields_are_both_kept(db) -> None:
    record = register_child(db, child_facts(), today=TODAY)
    opened_here = get_child(db, record.uid).facts
    # The other computer changes the guardian's phone and saves first.
    update_child(db, record.uid, replace(opened_here, guardian_phone="13912345678"), today=TODAY)
    # Here the school was edited in a form opened before that save.
    update_child(
        db,
        record.uid,
        replace(opened_here, school="宗艾镇中心小学"),
        today=TODAY,
        loaded=opened_here,
    )
    facts = get_child(db, record.uid).facts
    assert (facts.school, facts.guardian_phone) == ("宗艾镇中心小学", "13912345678")


def test_the_same_field_changed_twice_is_refused_not_overwritten(db) -> None:
    record = register_child(db, child_facts(), today=TODAY)
    opened_here = get_child(db, record.uid).facts
    update_child(db, record.uid, replace(opened_here, school="东村小学"), today=TODAY)
    with pytest.raises(ServiceError, match=r"另一台电脑已修改并保存了这名儿童的就读学校"):
        update_child(
            db, record.uid, replace(opened_here, school="西村小学"), today=TODAY, loaded=opened_here
        )
    assert get_child(db, record.uid).facts.school == "东村小学"
    # The same value typed on both computers is no conflict.
    update_child(
        db, record.uid, replace(opened_here, school="东村小学"), today=TODAY, loaded=opened_here
    )
