"""A child deleted in a county workbook: her 爱心妈妈 pairings end, she is due no visit."""

from __future__ import annotations

import shutil
from datetime import date
from typing import NamedTuple

from carebook.services.audit import history
from carebook.services.pairings import pair, volunteer_choices_for_child
from carebook.storage import exchange_queries as q
from carebook.storage.database import open_database
from tests.services.county_helpers import TODAY, Clerk, export, merge


def _paired(reg):
    child = reg.child("张子涵")
    other = reg.child("李浩然", sex="男")
    mother = reg.volunteer("王秀英")
    pair(reg.db, [mother], [child, other], started_on=date(2026, 3, 1), today=TODAY)
    return child, other, mother


def _delete_child(tmp_path, db, child):
    path = tmp_path / "county.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.delete("儿童", child)
    clerk.save()
    return path


def _pairings(db, mother):
    """Every pairing of the volunteer, those of deleted children too: child uid -> row."""
    with db.reading() as s:
        rows = q.records_by_uid(s, "pairing", _pairing_uids(s)).values()
        return {r[1]: _Pairing(r[0], r[7], r[8]) for r in rows if r[4] == mother}


class _Pairing(NamedTuple):
    uid: str
    ended_on: date | None
    end_reason: str | None

    @property
    def active(self) -> bool:
        return self.ended_on is None


def test_a_deleted_childs_pairings_end_on_the_merge_date_with_a_reason(reg, tmp_path):
    db = reg.db
    child, other, mother = _paired(reg)
    path = _delete_child(tmp_path, db, child)
    merge(db, path)  # reported, not accepted: nothing ends
    assert _pairings(db, mother)[child].active
    _plan, result = merge(db, path, accept_deletions=True)
    assert result.deleted == 1
    assert "张子涵 已标记删除，其 1 条爱心妈妈结对随之结束。" in result.warnings
    ended, kept = _pairings(db, mother)[child], _pairings(db, mother)[other]
    assert ended.ended_on == TODAY
    assert "删除" in ended.end_reason and "county.xlsx" in ended.end_reason
    assert kept.active  # the child still on the sheet keeps her 爱心妈妈
    (choice,) = volunteer_choices_for_child(db, other)
    assert choice.load == 1  # she no longer counts the deleted child
    audit = [e for e in history(db, ended.uid) if e.action == "end"]
    assert len(audit) == 1 and audit[0].source == "合并:county.xlsx"
    assert str(TODAY) in audit[0].new_value
    with db.reading() as s:
        row = q.row_by_uid(s, "child", child, with_deleted=True)
        assert row.deleted_at is not None and row.next_due_on is None  # no longer due


def test_a_dry_run_ends_nothing(reg, tmp_path):
    db = reg.db
    child, _other, mother = _paired(reg)
    path = _delete_child(tmp_path, db, child)
    merge(db, path, accept_deletions=True, dry_run=True)
    assert _pairings(db, mother)[child].active


def test_reading_the_workbook_again_changes_nothing(reg, tmp_path):
    db = reg.db
    child, _other, mother = _paired(reg)
    path = _delete_child(tmp_path, db, child)
    merge(db, path, accept_deletions=True)
    before = _pairings(db, mother)
    plan, again = merge(db, path, accept_deletions=True)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert not plan.conflicts and not plan.deletions
    assert _pairings(db, mother) == before


def test_a_workbook_from_elsewhere_does_not_reopen_the_ended_pairing(reg, tmp_path):
    """The county reads a township's workbook, then the same workbook with a child deleted."""
    township = reg.db
    child, _other, _mother = _paired(reg)
    first = tmp_path / "east.xlsx"
    export(township, first)
    second = tmp_path / "east-2.xlsx"
    shutil.copy(first, second)
    clerk = Clerk(second)
    clerk.delete("儿童", child)
    clerk.save()
    county = open_database(f"sqlite:///{tmp_path / 'county.db'}", backups_dir=tmp_path / "bk")
    try:
        merge(county, first)
        _plan, result = merge(county, second, accept_deletions=True)
        assert result.deleted == 1
        with county.reading() as s:
            (pairing,) = [
                p
                for p in q.records_by_uid(s, "pairing", _pairing_uids(s)).values()
                if p[1] == child
            ]
        assert pairing[7] == TODAY
        plan, again = merge(county, second, accept_deletions=True)
        assert (again.created, again.updated, again.deleted) == (0, 0, 0)
        assert not plan.conflicts
        with county.reading() as s:
            assert q.records_by_uid(s, "pairing", [pairing[0]])[pairing[0]][7] == TODAY
    finally:
        county.close()


def _pairing_uids(session):
    from sqlalchemy import select

    from carebook.storage.tables import Pairing

    return list(session.scalars(select(Pairing.uid)))


def test_a_deleted_volunteers_pairings_end_too(reg, tmp_path):
    db = reg.db
    child, other, mother = _paired(reg)
    path = tmp_path / "county.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.delete("爱心妈妈", mother)
    clerk.save()
    _plan, result = merge(db, path, accept_deletions=True)
    assert result.deleted == 1
    ended = _pairings(db, mother)
    assert {p.ended_on for p in ended.values()} == {TODAY}
    assert all("爱心妈妈" in p.end_reason for p in ended.values())
    assert set(ended) == {child, other}


def test_a_pairing_deleted_in_the_same_merge_is_deleted_not_ended(reg, tmp_path):
    db = reg.db
    child, _other, mother = _paired(reg)
    pairing = _pairings(db, mother)[child].uid
    path = tmp_path / "county.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.delete("儿童", child)
    clerk.delete("结对", pairing)
    clerk.save()
    _plan, result = merge(db, path, accept_deletions=True)
    assert result.deleted == 2
    assert [e.action for e in history(db, pairing) if e.source.startswith("合并:")] == ["delete"]
