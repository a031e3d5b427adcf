"""The one register search: every way of typing a child, the filters, counts, order, refresh."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from carebook.domain.dates import age_on
from carebook.domain.id_numbers import make_id
from carebook.services import child_file
from carebook.services.children import exit_register, facts_with, get_child, update_child
from carebook.services.children import register_child as register
from carebook.services.register_query import SORT_KEYS, RegisterRow, register_order
from carebook.services.register_search import (
    RegisterIndex,
    RegisterQuery,
    register_index,
    search_terms,
)
from tests.conftest import TODAY, child_facts


def _id(birth: date, seq: int) -> str:
    return make_id("140725", birth, seq)


@pytest.fixture
def county(db):
    """Five children chosen for the ways people type names, numbers and places."""
    made = {}
    made["shan"] = register(
        db,
        child_facts(
            name="单丽娟",
            id_number=_id(date(2015, 3, 12), 102),
            village="东村",
            guardian_phone="13812345678",
        ),
        today=TODAY,
    )
    made["zeng"] = register(
        db,
        child_facts(
            name="曾子涵",
            id_number=_id(date(2012, 6, 1), 211),
            village="西村",
            guardian_phone="13900001111",
            father_phone="15611112222",
            categories=("困境儿童（监护缺失）",),
            care_level="重点",
        ),
        today=TODAY,
    )
    made["xie"] = register(
        db,
        child_facts(
            name="解小明",
            id_number=_id(date(2022, 1, 5), 315),
            township="南镇",
            village="北村",
            guardian_phone="",
            father_phone="",
            mother_phone="18655554444",
        ),
        today=TODAY,
    )
    made["zhang"] = register(
        db,
        child_facts(name="张子涵", id_number=_id(date(2009, 2, 2), 424), guardian_phone=""),
        today=TODAY,
        registered_on=date(2025, 1, 6),  # first visit fell due long ago: overdue
    )
    made["left"] = register(
        db,
        child_facts(name="李想", id_number=_id(date(2010, 5, 5), 536), guardian_phone=""),
        today=TODAY,
    )
    exit_register(db, made["left"].uid, on=TODAY, reason="父母返乡")
    index = RegisterIndex(db, today=TODAY)
    index.load()
    return index, {k: r.uid for k, r in made.items()}


def names(index: RegisterIndex, **query) -> set[str]:
    return {r.name for r in index.search(RegisterQuery(**query)).all_rows()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("单", {"单丽娟"}),
        ("子涵", {"曾子涵", "张子涵"}),
        ("shanlijuan", {"单丽娟"}),
        ("danlijuan", {"单丽娟"}),  # 单 read dan
        ("shan li juan", {"单丽娟"}),
        ("slj", {"单丽娟"}),
        ("dlj", {"单丽娟"}),
        ("zengzihan", {"曾子涵"}),
        ("cengzihan", {"曾子涵"}),
        ("zzh", {"曾子涵", "张子涵"}),
        ("czh", {"曾子涵"}),
        ("xiexiaoming", {"解小明"}),
        ("jiexiaoming", {"解小明"}),
        ("ZZH", {"曾子涵", "张子涵"}),
        ("ｚｚｈ", {"曾子涵", "张子涵"}),  # full-width letters from a Chinese input method
        ("20120601", {"曾子涵"}),  # a fragment of the ID number
        ("0601211", {"曾子涵"}),
        ("5678", {"单丽娟"}),  # the guardian's phone
        ("1111-2222", {"曾子涵"}),  # the father's phone, read out with a dash
        ("5555", {"解小明"}),  # the mother's phone
        ("西村", {"曾子涵"}),
        ("南镇", {"解小明"}),
        ("东村 单", {"单丽娟"}),  # two terms: both must match
        ("zzh 西村", {"曾子涵"}),
        ("不存在的名字", set()),
    ],
)
def test_one_box_finds_a_child_every_way_it_is_typed(county, text, expected):
    index, _ = county
    assert names(index, text=text) == expected


def test_search_terms_join_spaced_pinyin_and_strip_dashes():
    assert search_terms(" Zhang Zi Han ") == ["zhangzihan"]
    assert search_terms("138-1234 东村") == ["1381234", "东村"]
    assert search_terms("   ") == []


def test_status_filter_shows_in_register_by_default_and_left_children_on_request(county):
    index, _ = county
    assert "李想" not in names(index)
    assert names(index, status="退出") == {"李想"}
    assert "李想" in names(index, status="")


def test_filters_by_place_category_family_care_level_age_overdue_and_pairing(county):
    index, _ = county
    assert names(index, township="南镇") == {"解小明"}
    assert names(index, village="西村") == {"曾子涵"}
    assert names(index, category="困境儿童") == {"曾子涵"}  # the subtype counts under its family
    assert names(index, category="农村留守儿童") == {"单丽娟", "解小明", "张子涵"}
    assert names(index, care_level="重点") == {"曾子涵"}
    assert names(index, age_band="0–5岁") == {"解小明"}
    assert names(index, age_band="14–15岁") == {"曾子涵"}
    assert names(index, age_band="16–17岁") == {"张子涵"}
    assert names(index, overdue=True) == {"张子涵"}
    assert names(index, unpaired=True) == {"单丽娟", "曾子涵", "解小明", "张子涵"}
    assert names(index, text="zzh", care_level="一般") == {"张子涵"}


def test_facet_counts_follow_the_search_text(county):
    index, _ = county
    counts = index.facet_counts(RegisterQuery())
    assert counts.total == 4
    assert counts.statuses == {"在册": 4, "退出": 1}
    assert counts.townships == {"宗艾镇": 3, "南镇": 1}
    assert counts.categories["困境儿童"] == 1
    assert counts.categories["困境儿童（监护缺失）"] == 1
    assert counts.overdue == 1
    assert counts.unpaired == 4
    narrowed = index.facet_counts(RegisterQuery(text="zzh"))
    assert narrowed.total == 2
    assert narrowed.care_levels == {"重点": 1, "一般": 1}


def test_each_filter_counts_what_choosing_it_would_show_under_the_others(county):
    index, _ = county
    counts = index.facet_counts(RegisterQuery(care_level="一般", overdue=True))
    assert counts.total == 1  # 张子涵
    assert counts.care_levels == {"一般": 1}  # overdue children by care level
    assert counts.overdue == 1  # 一般 children who are overdue
    assert counts.villages == {("宗艾镇", "东村"): 1}
    assert counts.statuses == {"在册": 1}
    in_west = index.facet_counts(RegisterQuery(village="西村"))
    assert in_west.total == 1 and in_west.care_levels == {"重点": 1}
    assert in_west.villages == {("宗艾镇", "东村"): 2, ("宗艾镇", "西村"): 1, ("南镇", "北村"): 1}
    everything = index.facet_counts(RegisterQuery(status=""))
    assert everything.total == 5 and everything.statuses == {"在册": 4, "退出": 1}


def test_sorting_by_a_column_both_ways_with_blanks_last(county, db):
    index, uids = county
    update_child(
        db,
        uids["xie"],
        replace(get_child(db, uids["xie"]).facts, birth_date=None, id_number=None),
        today=TODAY,
    )
    index.refresh()
    ages = [r.age for r in index.search(RegisterQuery(sort="age")).all_rows()]
    assert ages == [11, 14, 17, None]
    down = [r.age for r in index.search(RegisterQuery(sort="age", descending=True)).all_rows()]
    assert down == [17, 14, 11, None]
    by_name = [r.name for r in index.search(RegisterQuery(sort="name")).all_rows()]
    # Polyphonic surnames sort by their surname reading: shan, xie, zeng, zhang.
    assert by_name == ["单丽娟", "解小明", "曾子涵", "张子涵"]
    reverse = index.search(RegisterQuery(sort="name", descending=True)).all_rows()
    assert [r.name for r in reverse] == by_name[::-1]


def test_refresh_picks_up_edits_new_children_and_exits(county, db):
    index, uids = county
    assert index.refresh() is False  # nothing changed
    record = get_child(db, uids["shan"])
    update_child(db, record.uid, facts_with(record, name="单丽丽"), today=TODAY)
    register(db, child_facts(name="王芳", id_number=_id(date(2016, 1, 1), 640)), today=TODAY)
    exit_register(db, uids["zeng"], on=TODAY, reason="迁出")
    assert index.refresh() is True
    assert names(index, text="单") == {"单丽丽"}
    assert names(index, text="wangfang") == {"王芳"}
    assert "曾子涵" in names(index, status="退出")
    # Edits that move a child in the register's order keep the order right.
    record = get_child(db, uids["xie"])
    update_child(db, record.uid, facts_with(record, township="宗艾镇", village="A村"), today=TODAY)
    index.refresh()
    rows = index.search(RegisterQuery(status="")).all_rows()
    assert rows == sorted(rows, key=register_order)
    assert rows[0].name == "解小明"  # "A村" sorts before the Chinese village names


def test_first_page_comes_at_once_and_the_rest_on_demand(demo_db):
    index = RegisterIndex(demo_db, today=TODAY)
    index.load()
    result = index.search(RegisterQuery(status=""), page=50)
    assert len(result.rows) == 50 and not result.complete
    assert result.total == 300 == result.register_size
    assert result.complete


def test_every_search_agrees_with_a_plain_scan_of_the_register(demo_db):
    """Random searches and filters over the demo county, checked against the obvious answer."""
    index = RegisterIndex(demo_db, today=TODAY)
    index.load()
    rows = index.search(RegisterQuery(status="")).all_rows()
    rng = random.Random(3)
    for _ in range(120):
        row = rng.choice(rows)
        text = rng.choice(
            [
                row.name[:1],
                row.name[1:],
                row.sort_name[: rng.randint(1, 6)],
                row.id_number[rng.randint(0, 10) :][:5],
                row.guardian_phone[-4:],
                row.village,
                "",
            ]
        )
        query = RegisterQuery(
            text=text,
            status=rng.choice(["在册", "退出", ""]),
            village=rng.choice(["", row.village]),
            overdue=rng.random() < 0.2,
            unpaired=rng.random() < 0.2,
            sort=rng.choice(["", "age", "next_due_on", "name"]),
        )
        found = {r.id for r in index.search(query).all_rows()}
        terms = search_terms(text)
        expected = {
            r.id
            for r in rows
            if all(t in index._keys[index._position[r.id]] for t in terms)
            and (not query.status or r.status == query.status)
            and (not query.village or r.village == query.village)
            and (not query.overdue or r.overdue)
            and (not query.unpaired or not r.volunteers)
        }
        assert found == expected, query
        assert row.id in found or not (
            (not query.status or row.status == query.status)
            and (not query.overdue or row.overdue)
            and (not query.unpaired or not row.volunteers)
        )


def test_typing_one_more_letter_narrows_the_previous_result(demo_db):
    index = RegisterIndex(demo_db, today=TODAY)
    index.load()
    for text in ("z", "zh", "zha", "zhan", "zhang"):
        narrowed = index.search(RegisterQuery(text=text)).all_rows()
        index._last = None
        fresh = index.search(RegisterQuery(text=text)).all_rows()
        assert narrowed == fresh


def test_rows_carry_age_overdue_and_active_volunteers(demo_db):
    index = RegisterIndex(demo_db, today=TODAY)
    index.load()
    rows = index.search(RegisterQuery()).all_rows()
    assert any(r.volunteers for r in rows) and any(not r.volunteers for r in rows)
    assert any(r.overdue for r in rows)
    for r in rows:
        if r.birth_date:
            assert r.age == age_on(r.birth_date, TODAY)
        assert r.overdue == (r.next_due_on is not None and r.next_due_on < TODAY)


def test_child_file_lists_are_newest_first_with_masked_phones(demo_db):
    index = RegisterIndex(demo_db, today=TODAY)
    index.load()
    paired = next(r for r in index.search(RegisterQuery()).all_rows() if r.volunteers)
    pairings = child_file.pairings(demo_db, paired.uid)
    assert pairings and pairings[0].volunteer in paired.volunteers
    assert all("****" in p.phone for p in pairings if p.phone)
    visits = child_file.visits(demo_db, paired.uid)
    assert [v.visited_on for v in visits] == sorted((v.visited_on for v in visits), reverse=True)


def test_history_names_the_action_and_source(db):
    record = register(db, child_facts(), today=TODAY)
    update_child(db, record.uid, facts_with(record, school="宗艾小学"), today=TODAY)
    lines = child_file.changes(db, record.uid)
    assert lines[0].action == "修改" and lines[0].field == "就读学校"
    assert lines[0].new_value == "宗艾小学" and lines[0].source == "手工录入"
    assert lines[-1].action == "登记"


def test_one_index_per_database(db):
    assert register_index(db) is register_index(db)


def _sorted_as_promised(rows: list[RegisterRow], key: str, descending: bool) -> list[RegisterRow]:
    """The order a column click promises, spelled out: by the column's value, ties in register
    order (both ways), children with no value last (both ways)."""
    field = "sort_name" if key == "name" else key

    def value(row: RegisterRow):
        found = getattr(row, field)
        return "、".join(found) if key == "categories" else found

    blank = [r for r in rows if getattr(r, field) in (None, "", ())]
    valued = [r for r in rows if getattr(r, field) not in (None, "", ())]
    return sorted(valued, key=value, reverse=descending) + blank


@pytest.mark.parametrize("status", ["在册", ""])
def test_every_column_sorts_stably_with_blanks_last(demo_db, status):
    index = RegisterIndex(demo_db, today=TODAY)
    index.load()
    in_order = index.search(RegisterQuery(status=status)).all_rows()
    assert in_order == sorted(in_order, key=register_order)
    for key in SORT_KEYS:
        for descending in (False, True):
            query = RegisterQuery(status=status, sort=key, descending=descending)
            found = index.search(query).all_rows()
            assert found == _sorted_as_promised(in_order, key, descending), query


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("138****5678", {"单丽娟"}),  # the phone as the register and the roster show it
        ("156＊＊＊＊2222", {"曾子涵"}),  # typed with a Chinese input method's star
        ("138****1111", set()),  # both ends must match the same number's child
    ],
)
def test_a_masked_number_copied_from_a_printout_finds_the_child(county, text, expected):
    """Printed rosters and the screen show 138****5678; typed as read, it found nobody."""
    index, _ = county
    assert names(index, text=text) == expected
    assert search_terms("140702********1021") == ["140702", "1021"]
