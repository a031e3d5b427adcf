"""Applying reuses the plan's matches only while the register reads as it did; big batches
set the children's indexes aside and rebuild them in the same transaction."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from carebook.services import ledger_import, ledger_write
from carebook.services.audit import history
from carebook.services.children import find_by_id_number, get_child, update_child
from carebook.services.ledger_import import ImportOptions, apply_import, build_plan
from carebook.services.progress import run_to_end
from carebook.services.stats import register_stats
from carebook.storage.bulk import new_uids
from tests.conftest import TODAY
from tests.exchange.builders import child_id, ledger_rows, write_xlsx


def plan_of(db, path):
    return run_to_end(build_plan(db, path, ImportOptions(today=TODAY)))


def apply(db, plan, home: Path, today=TODAY):
    return run_to_end(apply_import(db, plan, backups_dir=home / "backups", today=today))


@pytest.fixture
def decisions(monkeypatch) -> list[int]:
    """How many times rows were matched (once for the plan, again only when needed)."""
    calls: list[int] = []
    real = ledger_import.decide

    def counted(parsed, today, lookup):
        calls.append(len(parsed))
        return real(parsed, today, lookup)

    monkeypatch.setattr(ledger_import, "decide", counted)
    return calls


def indexes(db) -> list[tuple[str, str]]:
    with db.reading() as session:
        found = session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        )
        return [tuple(r) for r in found]


def actions(result) -> list[str]:
    return [r.action for r in result.plan.rows]


def test_unchanged_register_reuses_the_plan(db, tmp_path, isolated_home, decisions) -> None:
    rows = ledger_rows(3)
    apply(db, plan_of(db, write_xlsx(tmp_path / "a.xlsx", rows[:2])), isolated_home)
    rows[1][6] = "王秀英"  # row 3: a new guardian; row 4: a new child
    plan = plan_of(db, write_xlsx(tmp_path / "b.xlsx", rows))
    decisions.clear()
    result = apply(db, plan, isolated_home)
    assert decisions == []
    assert actions(result) == ["unchanged", "update", "create"]
    assert get_child(db, find_by_id_number(db, child_id(2))).facts.guardian_name == "王秀英"


def _second_guardian_changed(db, tmp_path, home):
    """Two children imported from a.xlsx, then the plan of b.xlsx, where the second child's
    guardian is someone else."""
    rows = ledger_rows(2)
    apply(db, plan_of(db, write_xlsx(tmp_path / "a.xlsx", rows)), home)
    rows[1][6] = "王秀英"
    return plan_of(db, write_xlsx(tmp_path / "b.xlsx", rows))


def test_child_edited_between_plan_and_apply_is_matched_again(
    db, tmp_path, isolated_home, decisions
) -> None:
    plan = _second_guardian_changed(db, tmp_path, isolated_home)
    assert [r.action for r in plan.rows] == ["unchanged", "update"]
    uid = find_by_id_number(db, child_id(2))
    # The register gets the file's change by hand meanwhile: nothing is left to update.
    update_child(db, uid, replace(get_child(db, uid).facts, guardian_name="王秀英"), today=TODAY)
    decisions.clear()
    result = apply(db, plan, isolated_home)
    assert decisions == [2]
    assert actions(result) == ["unchanged", "unchanged"]
    assert not [h for h in history(db, uid) if h.source == "导入:b.xlsx"]


def test_unchanged_row_stays_unchanged_whatever_else_was_edited(
    db, tmp_path, isolated_home, decisions
) -> None:
    plan = _second_guardian_changed(db, tmp_path, isolated_home)
    uid = find_by_id_number(db, child_id(1))
    update_child(db, uid, replace(get_child(db, uid).facts, school="东村小学"), today=TODAY)
    result = apply(db, plan, isolated_home)
    # As matching afresh says: a row found unchanged when checked is never written.
    assert actions(result) == ["unchanged", "update"]
    assert get_child(db, uid).facts.school == "东村小学"


def test_child_registered_between_plan_and_apply_is_not_created_twice(
    db, tmp_path, isolated_home, decisions
) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", ledger_rows(3))
    early = plan_of(db, path)
    apply(db, plan_of(db, path), isolated_home)  # the same file, applied meanwhile
    decisions.clear()
    result = apply(db, early, isolated_home)
    assert decisions == [3]
    assert actions(result) == ["unchanged"] * 3
    assert register_stats(db).total == 3


def test_plan_applied_another_day_is_matched_again(db, tmp_path, isolated_home, decisions) -> None:
    plan = plan_of(db, write_xlsx(tmp_path / "a.xlsx", ledger_rows(2)))
    decisions.clear()
    result = apply(db, plan, isolated_home, today=TODAY + timedelta(days=1))
    assert decisions == [2]
    assert actions(result) == ["create", "create"]


def test_big_batch_rebuilds_the_indexes_as_they_were(db, tmp_path, isolated_home, monkeypatch):
    monkeypatch.setattr(ledger_write, "_REBUILD_FROM", 10)
    before = indexes(db)
    assert any(name == "ix_children_due" for name, _sql in before)
    apply(db, plan_of(db, write_xlsx(tmp_path / "a.xlsx", ledger_rows(40))), isolated_home)
    assert indexes(db) == before
    with db.reading() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert register_stats(db).total == 40


def test_planner_statistics_survive_the_rebuild(db, tmp_path, isolated_home, monkeypatch):
    monkeypatch.setattr(ledger_write, "_REBUILD_FROM", 10)
    apply(db, plan_of(db, write_xlsx(tmp_path / "a.xlsx", ledger_rows(5))), isolated_home)
    with db.transaction() as session:
        session.execute(text("ANALYZE"))

    def stats():
        with db.reading() as session:
            return sorted(tuple(r) for r in session.execute(text("SELECT * FROM sqlite_stat1")))

    before = stats()
    assert any(r[1] == "ix_children_due" for r in before)
    rows = ledger_rows(40, start=6)
    apply(db, plan_of(db, write_xlsx(tmp_path / "b.xlsx", rows)), isolated_home)
    assert stats() == before  # as inserting row by row leaves them, until the next ANALYZE


def test_cancel_while_indexes_are_set_aside_restores_them(
    db, tmp_path, isolated_home, monkeypatch
) -> None:
    monkeypatch.setattr(ledger_write, "_REBUILD_FROM", 10)
    monkeypatch.setattr(ledger_write, "CHUNK", 10)
    before = indexes(db)
    plan = plan_of(db, write_xlsx(tmp_path / "a.xlsx", ledger_rows(50)))
    job = apply_import(db, plan, backups_dir=isolated_home / "backups", today=TODAY)
    steps = [next(job), next(job), next(job)]
    assert steps[-1].done == 20
    job.close()
    assert indexes(db) == before
    assert register_stats(db).total == 0


def test_failure_while_indexes_are_set_aside_restores_them(
    db, tmp_path, isolated_home, monkeypatch
) -> None:
    monkeypatch.setattr(ledger_write, "_REBUILD_FROM", 10)
    before = indexes(db)
    plan = plan_of(db, write_xlsx(tmp_path / "a.xlsx", ledger_rows(30)))

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledger_write.q, "save_fingerprints", broken)
    with pytest.raises(RuntimeError):
        apply(db, plan, isolated_home)
    assert indexes(db) == before
    assert register_stats(db).total == 0


def test_new_uids_are_sorted_uuid4_hex() -> None:
    uids = new_uids(500)
    assert uids == sorted(uids) and len(set(uids)) == 500
    assert all(re.fullmatch(r"[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}", u) for u in uids)
