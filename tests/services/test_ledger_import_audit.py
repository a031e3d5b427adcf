"""Every applied import of a ledger leaves one 导入 entry: who, which file, what it did."""

from __future__ import annotations

from carebook.services.audit import Origin
from carebook.services.audit_log import LogFilter, log_lines
from carebook.services.ledger_import import ImportOptions, apply_import, build_plan
from carebook.services.progress import run_to_end
from tests.conftest import TODAY
from tests.exchange.builders import ledger_rows, write_xlsx

LI = Origin("李主任", "界面")


def _import(db, path, home):
    plan = run_to_end(build_plan(db, path, ImportOptions(today=TODAY)))
    return run_to_end(apply_import(db, plan, backups_dir=home / "backups", today=TODAY, origin=LI))


def test_an_import_is_logged_with_its_file_and_counts(db, tmp_path, isolated_home) -> None:
    # Only each child's own 登记 entry was written: the log's 导入 filter found nothing, and an
    # import that brought nothing new (or only errors) left no trace of who read which file.
    path = write_xlsx(tmp_path / "东村台账.xlsx", ledger_rows(3), title="东村台账")
    _import(db, path, isolated_home)
    (line,) = log_lines(db, LogFilter(action="import"))
    assert (line.actor, line.action, line.entity) == ("李主任", "导入", "ledger")
    assert line.old_value == "东村台账.xlsx" and "新增 3" in line.new_value
    _import(db, path, isolated_home)  # the same file again: nothing to write, still a reading
    again = log_lines(db, LogFilter(action="import"))
    assert len(again) == 2 and "新增 0" in again[0].new_value and "无变化 3" in again[0].new_value
