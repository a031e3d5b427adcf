"""Reading the county's own workbook again does not turn a conflict into the county's value.

A row changed on both sides is a conflict; left open, or kept as ours, it must stay ours at the
next reading of the same workbook. The first reading itself counted as an exchange with the
county, so at the second every local edit made before it looked older than the exchange, and
the county's value was applied without a word, even with --prefer ours.
"""

from __future__ import annotations

from carebook.services.audit import Origin
from carebook.services.children import facts_with, get_child, register_child, update_child
from carebook.storage.database import open_database
from tests.conftest import child_facts
from tests.services.county_helpers import TODAY, export, merge


def test_a_conflict_stays_ours_at_every_later_reading(db, tmp_path) -> None:
    uid = register_child(db, child_facts(), today=TODAY).uid
    export(db, tmp_path / "乡.xlsx")
    county = open_database(f"sqlite:///{tmp_path / 'county.db'}", backups_dir=tmp_path / "b")
    try:
        merge(county, tmp_path / "乡.xlsx")
        county_says = facts_with(get_child(county, uid), health="县核：需复查视力")
        update_child(county, uid, county_says, origin=Origin("县民政局", "测试"))
        export(county, tmp_path / "县.xlsx")
    finally:
        county.close()
    update_child(db, uid, facts_with(get_child(db, uid), health="乡里：已配眼镜"))

    back = tmp_path / "县.xlsx"
    plan, result = merge(db, back)  # no choice made: the conflict stays open
    assert [f.field for c in plan.conflicts for f in c.fields] == ["health"]
    assert result.open_conflicts == 1 and result.updated == 0
    assert get_child(db, uid).facts.health == "乡里：已配眼镜"

    plan, result = merge(db, back, prefer="ours")
    assert result.updated == 0
    assert get_child(db, uid).facts.health == "乡里：已配眼镜"

    plan, result = merge(db, back)  # kept as ours: not asked again, not applied
    assert result.updated == 0 and result.open_conflicts == 0
    assert get_child(db, uid).facts.health == "乡里：已配眼镜"


def test_a_county_list_older_than_our_last_edit_does_not_undo_it(db, tmp_path) -> None:
    # The weekly round: the county reads our workbook and sends its list back; meanwhile we
    # edit a child and send a new workbook. When the county's list (made before our edit)
    # arrives, the child's old value in it is not the county's correction: our export after
    # the edit made the edit look "sent", and the list quietly put the old value back.
    uid = register_child(db, child_facts(health="良好"), today=TODAY).uid
    export(db, tmp_path / "乡1.xlsx")
    county = open_database(f"sqlite:///{tmp_path / 'county.db'}", backups_dir=tmp_path / "b")
    try:
        merge(county, tmp_path / "乡1.xlsx")
        export(county, tmp_path / "县.xlsx")  # the county's list: health 良好
    finally:
        county.close()
    update_child(db, uid, facts_with(get_child(db, uid), health="乡里：新发现近视"))
    export(db, tmp_path / "乡2.xlsx")  # sent to the county, not read there yet
    plan, result = merge(db, tmp_path / "县.xlsx")
    assert result.updated == 0
    assert get_child(db, uid).facts.health == "乡里：新发现近视"
    # Both values are shown for a person to choose; nothing was overwritten.
    assert [(f.ours, f.theirs) for c in plan.conflicts for f in c.fields] == [
        ("乡里：新发现近视", "良好")
    ]


def test_a_county_correction_made_after_reading_our_workbook_still_applies(db, tmp_path) -> None:
    uid = register_child(db, child_facts(health="良好"), today=TODAY).uid
    export(db, tmp_path / "乡1.xlsx")
    county = open_database(f"sqlite:///{tmp_path / 'county.db'}", backups_dir=tmp_path / "b")
    try:
        merge(county, tmp_path / "乡1.xlsx")
        corrected = facts_with(get_child(county, uid), health="县核：视力差")
        update_child(county, uid, corrected, origin=Origin("县民政局", "测试"))
        export(county, tmp_path / "县.xlsx")
    finally:
        county.close()
    export(db, tmp_path / "乡2.xlsx")  # nothing edited here since 乡1
    _, result = merge(db, tmp_path / "县.xlsx")
    assert result.updated == 1 and result.open_conflicts == 0
    assert get_child(db, uid).facts.health == "县核：视力差"
