"""Townships and villages are created on first use, once, under the right township."""

from __future__ import annotations

from carebook.storage.areas import all_villages, ensure_village, village_names


def test_a_village_is_created_once_under_its_township(db) -> None:
    with db.transaction() as session:
        east = ensure_village(session, "宗艾镇", "东村")
        assert ensure_village(session, " 宗艾镇 ", "东村 ") == east
        other_east = ensure_village(session, "洪善镇", "东村")  # the same name elsewhere
        direct = ensure_village(session, "宗艾镇", "")
        unnamed = ensure_village(session, "", "西村")
        assert ensure_village(session, " ", "") is None
    assert len({east, other_east, direct, unnamed}) == 4
    with db.reading() as session:
        assert village_names(session, east) == ("宗艾镇", "东村")
        assert village_names(session, other_east) == ("洪善镇", "东村")
        assert village_names(session, direct) == ("宗艾镇", "（乡镇直属）")
        assert village_names(session, unnamed) == ("未填乡镇", "西村")
        assert len(all_villages(session)) == 4


def test_a_township_under_a_county_is_found_not_made_again(db) -> None:
    """The demo county (and a county's own data) keeps townships under the county: a child
    registered by hand in 朝阳镇 went into a second, parentless 朝阳镇 and a second 郭村."""
    from carebook.storage.areas import ensure_area

    with db.transaction() as session:
        county = ensure_area(session, "county", "寿阳县", None)
        town = ensure_area(session, "township", "朝阳镇", county)
        guo = ensure_area(session, "village", "郭村", town)
        assert ensure_village(session, "朝阳镇", "郭村") == guo
        new = ensure_village(session, "朝阳镇", "新村")  # a new village goes under the same one
        assert ensure_area(session, "township", "朝阳镇", None) == town
    with db.reading() as session:
        assert sorted(all_villages(session)) == sorted(
            [(guo, "朝阳镇", "郭村"), (new, "朝阳镇", "新村")]
        )
