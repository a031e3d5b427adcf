"""Setting up the worker's villages: once each, audited, nothing without a township."""

from __future__ import annotations

from carebook.services.audit import Origin
from carebook.services.places import add_my_villages
from carebook.storage.areas import all_villages
from carebook.storage.tables import AuditEntry


def test_villages_are_added_once_and_audited(db):
    origin = Origin("王秀英", "首次使用")
    assert add_my_villages(db, " 义兴镇 ", ["东村", " 西村", ""], origin) == ("东村", "西村")
    assert add_my_villages(db, "义兴镇", ["西村", "南村"], origin) == ("南村",)
    with db.reading() as session:
        names = sorted((town, village) for _id, town, village in all_villages(session))
        audits = session.query(AuditEntry).filter(AuditEntry.entity == "area").count()
    assert names == [("义兴镇", "东村"), ("义兴镇", "南村"), ("义兴镇", "西村")]
    assert audits == 2


def test_no_township_adds_nothing(db):
    assert add_my_villages(db, "  ", ["东村"], Origin("王秀英")) == ()
    with db.reading() as session:
        assert all_villages(session) == []


def _two_xinzhuang(db):
    from carebook.domain.id_numbers import make_id
    from carebook.services.children import register_child
    from tests.conftest import TODAY, child_facts

    for n, town in enumerate(("宗艾镇", "洪善镇"), 1):
        number = make_id("140725", TODAY.replace(year=2015), n)
        register_child(db, child_facts(id_number=number, township=town, village="新庄村"))


def test_a_village_name_two_townships_share_is_refused_without_a_township(db, tmp_path):
    import pytest

    from carebook.services import printing
    from carebook.services.county_exchange import ExportOptions, export_workbook
    from carebook.services.errors import ServiceError
    from carebook.services.places import township_of_village
    from carebook.services.progress import run_to_end

    _two_xinzhuang(db)
    with pytest.raises(ServiceError, match="宗艾镇、洪善镇 都有“新庄村”"):
        printing.select_children(db, village="新庄村")
    with pytest.raises(ServiceError, match="请同时指明是哪个乡镇"):
        run_to_end(export_workbook(db, tmp_path / "x.xlsx", ExportOptions(village="新庄村")))
    assert len(printing.select_children(db, village="新庄村", township="洪善镇")) == 1
    assert township_of_village(db, "新庄村", "洪善镇") == "洪善镇"
    with pytest.raises(ServiceError, match="找不到村（社区）“东庄村”"):
        township_of_village(db, "东庄村", None)
    with pytest.raises(ServiceError, match="找不到乡镇“宗艾”"):
        township_of_village(db, None, "宗艾")


def test_a_village_of_one_township_is_narrowed_to_it(db, tmp_path):
    from carebook.services import printing
    from carebook.services.places import township_of_village
    from carebook.services.printing import PrintOptions
    from carebook.services.progress import run_to_end

    _two_xinzhuang(db)
    add_my_villages(db, "宗艾镇", ["下洲村"], Origin("王秀英"))
    assert township_of_village(db, "下洲村", None) == "宗艾镇"
    result = run_to_end(
        printing.roster(db, tmp_path / "r.pdf", PrintOptions(), village="新庄村", township="宗艾镇")
    )
    assert result.pages == 1
