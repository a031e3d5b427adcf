"""Pairing rules: modes, refusals, ending with a reason, renewing, history, choices."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from carebook.services import pairings as p
from carebook.services.audit import history
from carebook.services.children import exit_register
from carebook.services.errors import ServiceError, ValidationError
from carebook.services.volunteers import list_volunteers, set_volunteer_active
from tests.conftest import TODAY

START = date(2026, 3, 1)


def test_modes_follow_the_shape_of_the_group(db, reg):
    a, b = reg.volunteer("王秀英"), reg.volunteer("李红梅")
    c1, c2, c3 = reg.child("甲"), reg.child("乙"), reg.child("丙")
    one = p.pair(db, [a], [c1], started_on=START, today=TODAY)
    several = p.pair(db, [a, b], [c2], started_on=START, today=TODAY)
    many = p.pair(db, [b], [c1, c3], started_on=START, today=TODAY)
    rows = {r.uid: r for r in p.list_pairings(db)}
    assert rows[one[0]].mode == "一对一"
    assert {rows[u].mode for u in several} == {"多对一"}
    assert {rows[u].mode for u in many} == {"一对多"}
    assert p.mode_for(2, 3) == "团队"
    assert len(p.pairings_of_volunteer(db, b)) == 3
    assert {v.name: v.active_children for v in list_volunteers(db)} == {"王秀英": 2, "李红梅": 3}


def test_refusals(db, reg):
    vol, child = reg.volunteer(), reg.child()
    p.pair(db, [vol], [child], started_on=START, today=TODAY)
    with pytest.raises(ServiceError, match="已在结对中"):
        p.pair(db, [vol], [child], started_on=START, today=TODAY)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        p.pair(db, [vol], [reg.child("乙")], started_on=date(2026, 12, 1), today=TODAY)
    with pytest.raises(ValidationError):
        p.pair(db, [], [child], started_on=START, today=TODAY)
    other = reg.volunteer("李红梅")
    set_volunteer_active(db, other, False)
    with pytest.raises(ServiceError, match="已停用"):
        p.pair(db, [other], [child], started_on=START, today=TODAY)
    gone = reg.child("丙")
    exit_register(db, gone, on=TODAY, reason="迁出")
    with pytest.raises(ServiceError, match="已退出台账"):
        p.pair(db, [vol], [gone], started_on=START, today=TODAY)


def test_end_needs_reason_and_sane_date_and_history_stays(db, reg):
    vol, child = reg.volunteer(), reg.child()
    [uid] = p.pair(db, [vol], [child], started_on=START, today=TODAY)
    with pytest.raises(ValidationError, match="原因"):
        p.end_pairing(db, uid, on=TODAY, reason=" ")
    with pytest.raises(ValidationError, match="早于"):
        p.end_pairing(db, uid, on=date(2026, 2, 1), reason="工作调动")
    p.end_pairing(db, uid, on=date(2026, 9, 1), reason="工作调动")
    with pytest.raises(ServiceError, match="已经结束"):
        p.end_pairing(db, uid, on=TODAY, reason="again")
    [row] = p.pairings_of_child(db, child)
    assert (row.ended_on, row.end_reason, row.active) == (date(2026, 9, 1), "工作调动", False)
    assert sorted(h.action for h in history(db, uid)) == ["create", "end"]
    # A new pairing with the same volunteer is allowed once the old one ended.
    p.pair(db, [vol], [child], started_on=date(2026, 10, 1), today=TODAY)
    assert [r.active for r in p.pairings_of_child(db, child)] == [True, False]


def test_renew_ends_the_old_term_and_links_the_new(db, reg):
    vol, child = reg.volunteer(), reg.child()
    [old] = p.pair(db, [vol], [child], started_on=START, today=TODAY)
    new = p.renew_pairing(db, old, on=date(2026, 9, 1))
    rows = {r.uid: r for r in p.pairings_of_child(db, child)}
    assert rows[old].ended_on == date(2026, 9, 1) and rows[old].end_reason == "续签"
    assert rows[new].active and rows[new].renewed_from_uid == old
    assert rows[new].started_on == date(2026, 9, 1)
    assert rows[new].renewed_from_started == START and rows[old].renewed_from_started is None


def test_the_pairing_list_in_pages_is_the_whole_list_and_counts_it(demo_db):
    whole = p.list_pairings(demo_db)
    paged = [
        r
        for start in range(0, len(whole), 7)
        for r in p.list_pairings(demo_db, offset=start, limit=7)
    ]
    assert [r.uid for r in paged] == [r.uid for r in whole]
    counts = p.count_pairings(demo_db)
    active = [r for r in whole if r.active]
    assert (counts.listed, counts.active) == (len(whole), len(active))
    assert counts.children == len({r.child_uid for r in active})
    assert counts.volunteers == len({r.volunteer_uid for r in active})
    name = active[0].volunteer_name
    found = p.list_pairings(demo_db, search=name)
    assert found and p.count_pairings(demo_db, search=name).listed == len(found)
    assert p.count_pairings(demo_db, active_only=True).listed == len(active)


def test_leaving_the_register_ends_pairings_when_asked(db, reg):
    vol = reg.volunteer()
    kept, ended = reg.child("甲"), reg.child("乙")
    p.pair(db, [vol], [kept, ended], started_on=START, today=TODAY)
    exit_register(db, kept, on=TODAY, reason="父母返乡")
    exit_register(db, ended, on=TODAY, reason="年满16周岁", end_pairings=True)
    assert p.pairings_of_child(db, kept)[0].active
    [row] = p.pairings_of_child(db, ended)
    assert (row.ended_on, row.end_reason) == (TODAY, "年满16周岁")


def test_choices_put_nearby_light_volunteers_and_unpaired_children_first(db, reg):
    reg.volunteer("远方", village="西村")
    busy = reg.volunteer("忙碌", village="东村")
    free = reg.volunteer("空闲", village="东村")
    away = reg.volunteer("外乡", village="北村", township="别镇")
    child = reg.child("甲", village="东村")
    paired = reg.child("乙", village="东村")
    p.pair(db, [busy], [paired], started_on=START, today=TODAY)
    choices = p.volunteer_choices_for_child(db, child)
    assert [c.name for c in choices][:3] == ["空闲", "忙碌", "远方"]
    assert choices[1].load == 1 and choices[0].nearness == 0 and choices[2].nearness == 1
    assert choices[3].uid == away and choices[3].nearness == 2
    kids = p.child_choices_for_volunteer(db, free)
    assert [k.name for k in kids] == ["甲", "乙"]
    assert kids[1].volunteers == 1
    # Unpaired first, then her own village, her township, further away; cut in the query.
    near_town = reg.child("丙", village="西村")
    far = reg.child("丁", village="北村", township="别镇")
    kids = p.child_choices_for_volunteer(db, free)
    assert [(k.name, k.nearness) for k in kids] == [("甲", 0), ("丙", 1), ("丁", 2), ("乙", 0)]
    assert [k.uid for k in kids][2:] == [far, paired] and kids[1].uid == near_town
    assert p.child_choices_for_volunteer(db, free, limit=2) == kids[:2]
    assert p.child_choices_for_volunteer(db, free, search="%") == []  # a literal character


def test_volunteer_search_by_pinyin_initials_and_phone(db, reg):
    from carebook.services.volunteers import get_volunteer, update_volunteer

    uid = reg.volunteer("王秀英", phone="13912345678", identities=("妇联干部", "志愿者"))
    reg.volunteer("李红梅")
    for term in ("秀英", "wangxiuying", "wxy", "2345678"):
        assert [v.uid for v in list_volunteers(db, search=term)] == [uid], term
    row = get_volunteer(db, uid)
    assert row.masked_phone == "139****5678" and row.identities == ("妇联干部", "志愿者")
    update_volunteer(db, uid, replace(row.facts, work_unit="县妇联"))
    assert [h.field for h in history(db, uid) if h.action == "update"] == ["工作单位"]
    with pytest.raises(ValidationError) as error:
        reg.volunteer(" ", phone="12345")
    assert set(error.value.problems) == {"name", "phone"}
