"""Townships and villages are created on first use, once, under the right township."""

from __future__ import annotations

from carebook.storage.areas import all_villages, ensure_area, ensure_village, village_names


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
    # The demo (and a county office's register) keeps its townships under a county area; an edit
    # of a child there must stay in the same village, not move to a second 南燕竹镇/沟坪村 that
    # then shows as two rows in the county's statistics.
    with db.transaction() as session:
        county = ensure_area(session, "county", "寿阳县", None)
        town = ensure_area(session, "township", "南燕竹镇", county)
        village = ensure_area(session, "village", "沟坪村", town)
    with db.transaction() as session:
        assert ensure_village(session, "南燕竹镇", "沟坪村") == village
        assert ensure_village(session, "南燕竹镇", "河堡村") != village
    with db.reading() as session:
        assert [v[1:] for v in all_villages(session)] == [
            ("南燕竹镇", "沟坪村"),
            ("南燕竹镇", "河堡村"),
        ]
