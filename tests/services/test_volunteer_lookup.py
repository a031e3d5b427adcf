"""Finding volunteers by a few typed characters: best match first, cut short, phone masked."""

from __future__ import annotations

from carebook.services import pairings as p
from carebook.services.volunteers import find_volunteers, set_volunteer_active
from tests.conftest import TODAY

START = TODAY.replace(day=1)


def test_the_name_itself_comes_first_then_names_starting_with_it(db, reg):
    later = reg.volunteer("李王芳", village="西村")
    starts = reg.volunteer("王芳菲")
    exact = reg.volunteer("王芳")
    found = find_volunteers(db, "王芳")
    assert [m.uid for m in found.rows] == [exact, starts, later]
    assert found.total == 3


def test_found_by_initials_pinyin_phone_digits_village_and_township(db, reg):
    wang = reg.volunteer("王秀英", village="郭村", township="朝阳镇", phone="13812345678")
    reg.volunteer("李红梅", village="东村", township="宗艾镇", phone="13900001111")
    for text in ("wxy", "wang xiu", "5678", "郭村", "朝阳"):
        assert [m.uid for m in find_volunteers(db, text).rows] == [wang], text
    assert find_volunteers(db, "13").total == 0  # too few digits to mean a phone
    [match] = find_volunteers(db, "王秀英").rows
    assert match.masked_phone == "138****5678" and "12345678" not in repr(match)
    assert (match.township, match.village) == ("朝阳镇", "郭村")


def test_the_list_is_cut_but_the_count_is_whole(db, reg):
    for n in range(7):
        reg.volunteer(f"张{'一二三四五六七'[n]}")
    found = find_volunteers(db, "张", limit=3)
    assert len(found.rows) == 3 and found.total == 7
    assert find_volunteers(db, "", limit=50).total == 7


def test_inactive_volunteers_are_left_out_and_loads_counted(db, reg):
    gone = reg.volunteer("赵停用")
    busy = reg.volunteer("赵忙碌")
    set_volunteer_active(db, gone, False)
    p.pair(db, [busy], [reg.child("甲"), reg.child("乙")], started_on=START, today=TODAY)
    assert [(m.uid, m.load) for m in find_volunteers(db, "赵").rows] == [(busy, 2)]
    assert {m.uid for m in find_volunteers(db, "赵", include_inactive=True).rows} == {gone, busy}


def test_volunteers_for_a_child_are_narrowed_and_cut_in_the_query(db, reg):
    near = reg.volunteer("近邻", village="东村", phone="13700002222")
    far = reg.volunteer("远方", village="北村", township="别镇", phone="13700003333")
    child = reg.child("甲", village="东村")
    assert [c.uid for c in p.volunteer_choices_for_child(db, child, limit=1)] == [near]
    assert [c.uid for c in p.volunteer_choices_for_child(db, child, search="3333")] == [far]
    [choice] = p.volunteer_choices_for_child(db, child, search="近邻")
    assert choice.masked_phone == "137****2222" and choice.nearness == 0
