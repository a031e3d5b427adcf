"""Re-import fingerprints: a skipped row says exactly what a full check would, never stale."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from carebook.services.children import exit_register, find_by_id_number, get_child, update_child
from carebook.services.ledger_import import ImportOptions, apply_import, build_plan
from carebook.services.progress import run_to_end
from tests.conftest import TODAY
from tests.exchange.builders import HEADER, child_id, ledger_rows, write_csv, write_xlsx


def plan_of(db, path, **options):
    return run_to_end(build_plan(db, path, ImportOptions(**{"today": TODAY, **options})))


def apply(db, plan, home: Path, today=TODAY):
    return run_to_end(apply_import(db, plan, backups_dir=home / "backups", today=today))


def fingerprints(db) -> int:
    with db.reading() as session:
        return session.execute(text("SELECT count(*) FROM import_fingerprints")).scalar_one()


def shown(plan) -> tuple:
    """Everything a worker sees of a plan: JSON, each row's action, changes and problems."""
    rows = [
        (r.sheet, r.row, r.action, r.name, r.key, r.changes, r.errors, r.warnings)
        for r in plan.rows
    ]
    return plan.to_json(), rows


def same_as_without_fingerprints(db, path, **options):
    """The plan built with the remembered fingerprints, checked against a full check of all rows."""
    fast = plan_of(db, path, **options)
    with db.transaction() as session:
        session.execute(text("DELETE FROM import_fingerprints"))
    full = plan_of(db, path, **options)
    assert shown(fast) == shown(full)
    return fast


def skipped_checks(plan) -> int:
    """Rows taken by fingerprint (a cell-by-cell match with the register fills in `present`)."""
    return sum(1 for p in plan.parsed if p.same_as_stored and not p.present)


def test_reimport_skips_rows_by_fingerprint_and_says_the_same(db, tmp_path, isolated_home) -> None:
    rows = ledger_rows(6)
    rows[5][2] = "女" if rows[5][2] == "男" else "男"  # a warning: that row is never skipped
    path = write_xlsx(tmp_path / "东村留守儿童台账.xlsx", rows, title="宗艾镇东村留守儿童台账")
    apply(db, plan_of(db, path), isolated_home)
    assert fingerprints(db) == 5
    again = plan_of(db, path)
    assert again.counts == {"unchanged": 6}
    assert skipped_checks(again) == 5
    assert [w.row for w in again.warnings] == [8]  # the sex warning is reported again
    same_as_without_fingerprints(db, path)


def test_child_edited_in_the_app_is_checked_in_full(db, tmp_path, isolated_home) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", ledger_rows(3))
    apply(db, plan_of(db, path), isolated_home)
    uid = find_by_id_number(db, child_id(2))
    child = get_child(db, uid)
    update_child(db, uid, replace(child.facts, guardian_phone="13912345678"), today=TODAY)
    exit_register(db, find_by_id_number(db, child_id(3)), on=TODAY, reason="外迁")
    plan = same_as_without_fingerprints(db, path)
    by_row = {r.row: r for r in plan.rows}
    assert by_row[3].action == "update"  # the file's phone differs from the edited one
    assert [(c.field, c.new) for c in by_row[3].changes] == [("监护人电话", "138****0002")]
    assert by_row[2].action == by_row[4].action == "unchanged"
    assert skipped_checks(plan) == 1  # only the untouched child's row


def test_changed_mapping_or_options_miss_the_fingerprint(db, tmp_path, isolated_home) -> None:
    rows = [r[:8] for r in ledger_rows(3)]
    path = write_csv(tmp_path / "名单.csv", rows, header=HEADER[:8])
    apply(db, plan_of(db, path, category="困境"), isolated_home)
    assert skipped_checks(plan_of(db, path, category="困境")) == 3
    # Another category: each child gains it (an update), as a full check says.
    other = same_as_without_fingerprints(db, path, category="孤儿")
    assert skipped_checks(other) == 0 and other.counts == {"update": 3}
    apply(db, plan_of(db, path, category="困境"), isolated_home)  # re-records nothing new
    # The user maps the phone column away: the row reads differently, so it is checked again.
    mapping = {"名单": {"联系电话": None}}
    remapped = same_as_without_fingerprints(db, path, category="困境", mappings=mapping)
    assert skipped_checks(remapped) == 0 and remapped.counts == {"unchanged": 3}
    township = same_as_without_fingerprints(db, path, category="困境", township="洪善镇")
    assert skipped_checks(township) == 0 and township.counts == {"update": 3}


def test_duplicate_rows_are_still_reported_when_skipped(db, tmp_path, isolated_home) -> None:
    rows = ledger_rows(3)
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    apply(db, plan_of(db, path), isolated_home)
    twice = [*rows, list(rows[0])]
    plan = same_as_without_fingerprints(db, write_xlsx(tmp_path / "b.xlsx", twice))
    assert skipped_checks(plan) == 4
    assert sorted(w.row for w in plan.warnings) == [2, 5]
    assert plan.counts == {"unchanged": 3, "skipped": 1}


def test_an_earlier_day_or_a_deleted_child_does_not_trust_it(db, tmp_path, isolated_home) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", ledger_rows(2))
    apply(db, plan_of(db, path), isolated_home)
    earlier = plan_of(db, path, today=TODAY - timedelta(days=1))
    assert skipped_checks(earlier) == 0
    with db.transaction() as session:
        session.execute(
            text("UPDATE children SET deleted_at = updated_at WHERE id_number = :n"),
            {"n": child_id(1)},
        )
    plan = same_as_without_fingerprints(db, path)
    assert [r.action for r in plan.rows] == ["skipped", "unchanged"]


def test_mixed_reimport_records_fingerprints_of_clean_rows(db, tmp_path, isolated_home) -> None:
    rows = ledger_rows(4)
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    apply(db, plan_of(db, path), isolated_home)
    rows[1][6] = "王秀英"
    rows.append(ledger_rows(1, start=9)[0])
    changed = write_xlsx(tmp_path / "b.xlsx", rows)
    plan = plan_of(db, changed)
    assert plan.counts == {"unchanged": 3, "update": 1, "create": 1}
    apply(db, plan, isolated_home)
    assert fingerprints(db) == 5
    again = same_as_without_fingerprints(db, changed)
    assert again.counts == {"unchanged": 5} and skipped_checks(again) == 5
