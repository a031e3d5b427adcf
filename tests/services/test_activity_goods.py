"""The goods of a saved activity are corrected from the activity: every child's record follows,
each change logged on the record and in the child's own history; goods given afterwards and
goods cleared; a record corrected by hand in 帮扶 is never rewritten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from carebook.services import activities as act
from carebook.services import activity_edit as edit
from carebook.services import assistance as a
from carebook.services import child_file, statistics
from carebook.services.activity_goods import KEEP, ActivityGoods
from carebook.services.errors import NotFoundError, ValidationError
from carebook.storage.assistance_queries import AssistanceFilter
from carebook.storage.tables import Assistance, AuditEntry
from tests.conftest import TODAY

HELD = date(2026, 11, 20)
QUILT = ActivityGoods("棉被", "其他", Decimal(1), Decimal(150), "县妇联")


@pytest.fixture
def party(db, reg):
    """冬季送温暖 with three children, each given a quilt worth 150 yuan."""
    kids = [reg.child(n) for n in ("甲", "乙", "丙")]
    uid = act.record_activity(
        db,
        act.ActivityInput(HELD, "冬季送温暖", organiser="县妇联"),
        kids,
        (),
        act.Goods("棉被", value_each=Decimal(150)),
        today=TODAY,
    )
    return uid, kids


def _save(db, uid, kids, goods=KEEP, **kw):
    saved = edit.activity_for_edit(db, uid)
    return edit.update_activity(db, uid, saved.activity, kids, goods=goods, today=TODAY, **kw)


def _records(db, child_uid):
    return [(r.content, r.value_yuan, r.provider) for r in a.assistance_of_child(db, child_uid)]


def _total(db) -> Decimal:
    return a.ledger_summary(db, AssistanceFilter()).total_value


def _set(db, child_uid, **values):
    """A record changed on its own (by hand in 帮扶, or by a merge from another machine)."""
    (row,) = a.assistance_of_child(db, child_uid)
    with db.transaction() as session:
        item = session.scalar(select(Assistance).where(Assistance.uid == row.uid))
        for k, v in values.items():
            setattr(item, k, v)


def test_the_form_gets_the_goods_field_by_field(db, party):
    uid, _kids = party
    saved = edit.activity_for_edit(db, uid)
    assert saved.goods_item == QUILT
    assert (saved.goods_following, saved.goods_apart, saved.goods_missing) == (3, (), 0)


def test_a_corrected_value_reaches_every_child_logged_and_in_her_history(db, party):
    uid, kids = party
    new = ActivityGoods("棉被", "其他", Decimal(1), Decimal(200), "县民政局")
    changes = _save(db, uid, kids, goods=new)
    assert (changes.changed, changes.goods_changed, changes.goods_left_alone) == (True, 3, 0)
    assert all(_records(db, k) == [("棉被", Decimal("200.00"), "县民政局")] for k in kids)
    assert _total(db) == Decimal("600.00")
    assert statistics.period_figures(db, HELD, TODAY, today=TODAY).assistance_value == 600
    (row,) = act.list_activities(db)
    assert row.value == Decimal("600.00")
    line = child_file.changes(db, kids[1])[0]
    assert (line.field, line.old_value, line.new_value) == (
        "活动物资",
        "冬季送温暖：棉被 ×1，150.00 元/人",
        "冬季送温暖：棉被 ×1，200.00 元/人",
    )
    record_uid = a.assistance_of_child(db, kids[0])[0].uid
    with db.reading() as session:
        logged = {
            (e.field, e.old_value, e.new_value)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.entity_uid == record_uid))
            if e.action == "update"
        }
    assert logged == {("价值（元/人）", "150.00", "200.00"), ("提供者", "县妇联", "县民政局")}


def test_a_corrected_content_renames_the_activitys_goods(db, party):
    uid, kids = party
    _save(db, uid, kids, goods=ActivityGoods("羽绒服", "其他", Decimal(2), Decimal(150), ""))
    (row,) = act.list_activities(db)
    assert row.goods == "羽绒服"
    # A provider emptied on purpose stays empty on a correction (given afterwards, it would
    # be the organiser, as when an activity is first saved).
    assert _records(db, kids[2]) == [("羽绒服", Decimal("150.00"), "")]
    assert edit.activity_for_edit(db, uid).goods == "羽绒服 ×2，150.00 元/人"


def test_a_record_corrected_by_hand_is_left_alone_and_named(db, party):
    uid, kids = party
    _set(db, kids[1], value_yuan=Decimal(120))
    saved = edit.activity_for_edit(db, uid)
    assert saved.goods_item == QUILT  # most records still carry what was handed out
    assert saved.goods_apart == ((kids[1], "乙：棉被 ×1，120.00 元/人"),)
    assert sorted(saved.goods_holders) == sorted([kids[0], kids[2]])
    changes = _save(
        db, uid, kids, goods=ActivityGoods("棉被", "其他", Decimal(1), Decimal(200), "县妇联")
    )
    assert (changes.goods_changed, changes.goods_left_alone) == (2, 1)
    assert _records(db, kids[1]) == [("棉被", Decimal("120.00"), "县妇联")]
    assert _records(db, kids[0]) == [("棉被", Decimal("200.00"), "县妇联")]
    assert child_file.changes(db, kids[1])[0].field != "活动物资"


def test_a_record_replaced_by_hand_is_not_given_again(db, party):
    uid, kids = party
    (wrong,) = a.assistance_of_child(db, kids[0])
    a.delete_assistance(db, wrong.uid)
    item = a.AssistanceInput(HELD, "其他", "棉被", Decimal(1), Decimal(80), "县妇联")
    a.record_assistance(db, [kids[0]], item, today=TODAY)
    saved = edit.activity_for_edit(db, uid)
    assert (saved.goods_following, saved.goods_missing) == (2, 1)
    _save(db, uid, kids, goods=ActivityGoods("棉被", "其他", Decimal(1), Decimal(200), ""))
    assert _records(db, kids[0]) == [("棉被", Decimal("80.00"), "县妇联")]
    assert _total(db) == Decimal("480.00")


def test_goods_given_afterwards_make_one_record_per_child(db, reg):
    kids = [reg.child(n) for n in ("甲", "乙")]
    uid = act.record_activity(
        db, act.ActivityInput(HELD, "防溺水讲座", "镇政府"), kids, today=TODAY
    )
    assert edit.activity_for_edit(db, uid).goods_item is None
    more = [*kids, reg.child("丙")]
    changes = _save(db, uid, more, goods=ActivityGoods("书包", "其他", Decimal(1), Decimal(60)))
    assert (changes.goods_added, changes.children_added) == (3, 1)
    assert all(_records(db, k) == [("书包", Decimal("60.00"), "镇政府")] for k in more)
    assert a.assistance_of_child(db, kids[0])[0].activity == "防溺水讲座"
    assert _total(db) == Decimal("180.00")
    line = child_file.changes(db, kids[1])[0]
    assert (line.field, line.old_value, line.new_value) == (
        "活动物资",
        "",
        "防溺水讲座：书包 ×1，60.00 元/人",
    )


def test_cleared_goods_are_marked_deleted_but_a_hand_correction_stays(db, party):
    uid, kids = party
    _set(db, kids[2], content="羽绒服")
    changes = _save(db, uid, kids, goods=None)
    assert (changes.goods_removed, changes.goods_left_alone) == (2, 1)
    assert _records(db, kids[0]) == []
    assert _records(db, kids[2]) == [("羽绒服", Decimal("150.00"), "县妇联")]
    assert _total(db) == Decimal("150.00")
    (row,) = act.list_activities(db)
    assert row.goods == ""
    assert child_file.changes(db, kids[0])[0].new_value == "已清除（记录标为删除）"
    with db.reading() as session:
        kept = session.scalars(select(Assistance).where(Assistance.deleted_at.is_not(None)))
        assert len(list(kept)) == 2  # marked, never erased
    assert edit.activity_for_edit(db, uid).goods_item is None


def test_bad_goods_change_nothing(db, party):
    uid, kids = party
    with pytest.raises(ValidationError) as error:
        _save(db, uid, kids, goods=ActivityGoods("  ", "其他", Decimal(1), Decimal(200)))
    assert "content" in error.value.problems
    assert _total(db) == Decimal("450.00")


def test_the_same_goods_write_nothing(db, party):
    uid, kids = party
    assert _save(db, uid, kids, goods=QUILT).changed is False


def test_children_put_on_get_the_corrected_goods(db, party, reg):
    uid, kids = party
    new_kid = reg.child("丁")
    goods = ActivityGoods("棉被", "其他", Decimal(1), Decimal(180), "县妇联")
    changes = _save(db, uid, [*kids, new_kid], goods=goods, give_goods_to_added=True)
    assert (changes.goods_changed, changes.goods_added) == (3, 1)
    assert _records(db, new_kid) == [("棉被", Decimal("180.00"), "县妇联")]


def test_a_failure_later_in_the_save_leaves_every_record_as_it_was(db, party):
    uid, kids = party
    saved = edit.activity_for_edit(db, uid)
    goods = ActivityGoods("棉被", "其他", Decimal(1), Decimal(999), "县妇联")
    with pytest.raises(NotFoundError):
        # The goods are written before the volunteers are looked up: one transaction or none.
        edit.update_activity(
            db, uid, saved.activity, kids, ["no-such-uid"], goods=goods, today=TODAY
        )
    assert _total(db) == Decimal("450.00")
    assert child_file.changes(db, kids[0])[0].field != "活动物资"
