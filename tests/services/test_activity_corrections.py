"""A saved activity is corrected or deleted: only what changed is written and logged, its goods
records follow the children, and a deleted one leaves the page, the child's file and prints."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from carebook.services import activities as act
from carebook.services import activity_edit as edit
from carebook.services import assistance as a
from carebook.services import child_file
from carebook.services.errors import NotFoundError, ValidationError
from carebook.storage import print_queries as pq
from carebook.storage.tables import ActivityChild, Assistance, AuditEntry, Child
from tests.conftest import TODAY

HELD = date(2026, 11, 20)


@pytest.fixture
def party(db, reg):
    """冬季送温暖 with three children, one volunteer and a quilt worth 150 yuan each."""
    kids = [reg.child(n) for n in ("甲", "乙", "丙")]
    other = reg.child("丁")
    vol = reg.volunteer()
    uid = act.record_activity(
        db,
        act.ActivityInput(HELD, "冬季送温暖", organiser="县妇联", place="中心小学"),
        kids,
        [vol],
        act.Goods("棉被", value_each=Decimal(150)),
        today=TODAY,
    )
    return uid, kids, other, vol


def _log(db, entity_uid: str) -> list[tuple[str, str, str, str]]:
    with db.reading() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_uid == entity_uid).order_by(AuditEntry.id)
        )
        return [(e.action, e.field, e.old_value, e.new_value) for e in rows]


def _last_change(db, child_uid: str) -> tuple[str, str, str]:
    line = child_file.changes(db, child_uid)[0]
    return line.field, line.old_value, line.new_value


def test_the_form_is_filled_with_what_was_saved(db, party):
    uid, kids, _other, vol = party
    saved = edit.activity_for_edit(db, uid)
    assert saved.activity == act.ActivityInput(HELD, "冬季送温暖", "县妇联", "", "中心小学", "")
    assert sorted(c.uid for c in saved.children) == sorted(kids)
    assert [(v.uid, v.name, v.village) for v in saved.volunteers] == [(vol, "王秀英", "东村")]
    assert (saved.goods, saved.goods_records) == ("棉被 ×1，150.00 元/人", 3)


def test_only_changed_fields_are_written_and_logged(db, party):
    uid, kids, _other, vol = party
    saved = edit.activity_for_edit(db, uid)
    same = edit.update_activity(db, uid, saved.activity, kids, [vol], today=TODAY)
    assert not same.changed
    assert [e[0] for e in _log(db, uid)] == ["create"]
    fixed = replace(saved.activity, title=" 冬季送温暖活动 ", held_on=date(2026, 11, 21))
    assert edit.update_activity(db, uid, fixed, kids, [vol], today=TODAY).changed
    assert _log(db, uid)[1:] == [
        ("update", "活动日期", "2026-11-20", "2026-11-21"),
        ("update", "活动名称", "冬季送温暖", "冬季送温暖活动"),
    ]
    # The goods handed out at it carry its date and title.
    gifts = a.assistance_of_child(db, kids[0])
    assert [(g.given_on, g.activity) for g in gifts] == [(date(2026, 11, 21), "冬季送温暖活动")]
    assert ("update", "发放日期", "2026-11-20", "2026-11-21") in _log(db, gifts[0].uid)


def test_a_child_taken_off_loses_her_goods_record_which_is_kept_as_deleted(db, party):
    uid, kids, other, vol = party
    saved = edit.activity_for_edit(db, uid)
    result = edit.update_activity(db, uid, saved.activity, [kids[0], kids[1], other], [vol])
    assert (result.children_added, result.children_removed, result.goods_removed) == (1, 1, 1)
    assert result.goods_added == 0  # not asked: the added child gets nothing
    assert a.assistance_of_child(db, kids[2]) == []
    assert a.assistance_of_child(db, other) == []
    assert [x.title for x in child_file.activities(db, kids[2])] == []
    assert [x.title for x in child_file.activities(db, other)] == ["冬季送温暖"]
    with db.reading() as session:
        kept = session.scalars(select(Assistance).where(Assistance.deleted_at.is_not(None))).all()
    assert len(kept) == 1 and kept[0].content == "棉被"
    assert _log(db, kept[0].uid)[-1] == ("delete", "", "丙 2026-11-20 棉被", "移出活动“冬季送温暖”")
    action, field, old, new = _log(db, uid)[-1]
    assert (action, field, old, new) == ("update", "参加儿童", "3 名", "3 名；加入：丁；移出：丙")
    assert act.get_activity(db, uid).row.value == Decimal(300)
    # Each child's own history (her file, her printed 一人一档) says so.
    assert _last_change(db, kids[2]) == (
        "参加活动",
        "2026-11-20 冬季送温暖",
        "移出（所领物资记录已标为删除）",
    )
    assert _last_change(db, other) == ("参加活动", "", "2026-11-20 冬季送温暖")


def test_a_child_put_on_gets_the_same_goods_when_asked(db, party):
    uid, kids, other, vol = party
    saved = edit.activity_for_edit(db, uid)
    result = edit.update_activity(
        db, uid, saved.activity, [*kids, other], [vol], give_goods_to_added=True
    )
    assert (result.children_added, result.goods_added) == (1, 1)
    [gift] = a.assistance_of_child(db, other)
    assert (gift.content, gift.value_yuan, gift.given_on, gift.activity) == (
        "棉被",
        Decimal(150),
        HELD,
        "冬季送温暖",
    )
    assert act.get_activity(db, uid).row.value == Decimal(600)


def test_a_correction_is_checked_as_a_new_activity_and_changes_nothing_when_refused(db, party):
    uid, kids, _other, vol = party
    saved = edit.activity_for_edit(db, uid)
    with pytest.raises(ValidationError) as refused:
        edit.update_activity(
            db, uid, replace(saved.activity, held_on=date(2026, 12, 1), title=" "), [], []
        )
    assert set(refused.value.problems) == {"held_on", "title", "children"}
    with pytest.raises(NotFoundError):
        edit.update_activity(db, uid, saved.activity, [*kids, "no-such-child"], [vol])
    assert edit.activity_for_edit(db, uid) == saved  # the failed transaction wrote nothing
    assert [e[0] for e in _log(db, uid)] == ["create"]


def test_volunteers_taken_off_and_put_on_are_logged_by_name(db, reg, party):
    uid, kids, _other, vol = party
    second = reg.volunteer("李春梅")
    saved = edit.activity_for_edit(db, uid)
    edit.update_activity(db, uid, saved.activity, kids, [second])
    assert [v.name for v in edit.activity_for_edit(db, uid).volunteers] == ["李春梅"]
    assert _log(db, uid)[-1] == (
        "update",
        "参加的爱心妈妈",
        "1 名",
        "1 名；加入：李春梅；移出：王秀英",
    )
    assert act.activities_of_volunteer(db, vol) == []


def test_a_deleted_activity_takes_its_goods_and_leaves_every_list(db, party):
    uid, kids, _other, _vol = party
    summary = edit.delete_activity(db, uid, reason="重复登记")
    assert (summary.title, summary.children, summary.goods_removed) == ("冬季送温暖", 3, 3)
    assert act.list_activities(db) == []
    assert a.ledger(db).rows == [] and a.ledger(db).total_value == 0
    assert child_file.activities(db, kids[0]) == []
    assert a.assistance_of_child(db, kids[0]) == []
    with db.reading() as session:  # what the printed 一人一档 reads
        child_id = session.scalar(select(Child.id).where(Child.uid == kids[0]))
        assert pq.activities_of(session, child_id) == []
        assert pq.assistance_of(session, child_id) == []
    with pytest.raises(NotFoundError):
        act.get_activity(db, uid)
    with pytest.raises(NotFoundError):
        edit.delete_activity(db, uid)
    with db.reading() as session:  # marked, never erased
        assert session.scalar(select(Assistance.id).where(Assistance.deleted_at.is_(None))) is None
        assert len(session.scalars(select(Assistance)).all()) == 3
        assert len(session.scalars(select(ActivityChild)).all()) == 3
    assert _last_change(db, kids[1]) == (
        "参加活动",
        "2026-11-20 冬季送温暖",
        "活动已删除",
    )
    assert _log(db, uid)[-1] == (
        "delete",
        "",
        "2026-11-20 冬季送温暖（儿童 3 名，物资记录 3 条）",
        "重复登记",
    )
