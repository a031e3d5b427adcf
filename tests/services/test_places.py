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
