"""The audit log leaves carebook for an inspection: from the 操作记录 page and the command line."""

from __future__ import annotations

import csv
import getpass
import json
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from carebook.cli import main
from carebook.gui.pages.audit_page import AuditPage
from carebook.services.audit import Origin
from carebook.services.audit_log import LogFilter, log_lines
from carebook.services.children import register_child, reveal
from tests.conftest import child_facts

FULL_ID = "110105201503120025"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_the_audit_page_exports_what_it_shows_and_logs_the_export(
    qtbot, workspace, tmp_path, monkeypatch
) -> None:
    record = register_child(workspace.db, child_facts(), origin=Origin("李红"))
    register_child(
        workspace.db,
        child_facts(name="=王五", id_number="110105201503120041"),
        origin=Origin("李红"),
    )
    reveal(workspace.db, record.uid, "id_number", origin=Origin("赵督导"))
    page = AuditPage(workspace)
    qtbot.addWidget(page)
    page.text.setText("赵督导")
    target = tmp_path / "检查" / "操作记录"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    saved = page.export()
    qtbot.waitUntil(lambda: len(told) == 1)  # written off the GUI thread
    assert saved == target.with_suffix(".csv") and "1 条" in told[0]
    header, only = _rows(saved)
    assert header[:3] == ["时间", "操作人", "操作"]
    assert only[1:4] == ["赵督导", "查看完整号码", "儿童 张子涵"]  # who revealed whose ID
    assert FULL_ID not in saved.read_text(encoding="utf-8-sig")
    (last,) = log_lines(workspace.db, LogFilter(action="export"), limit=1)
    assert last.actor == "测试员" and last.new_value == str(saved)

    page.text.setText("")
    everything = page.export()
    qtbot.waitUntil(lambda: len(told) == 2)
    cells = [c for row in _rows(everything) for c in row]
    assert "儿童 =王五" in cells and FULL_ID not in "".join(cells)


def test_the_cli_exports_one_childs_entries_and_signs_the_export(
    workspace, tmp_path, capsys
) -> None:
    record = register_child(workspace.db, child_facts(), origin=Origin("李红"))
    reveal(workspace.db, record.uid, "guardian_phone", origin=Origin("赵督导"))
    register_child(workspace.db, child_facts(name="李四", id_number="110105201503120041"))
    db_file = str(workspace.db.file)
    workspace.db.close()
    out = tmp_path / "一名儿童.csv"
    assert main(["--db", db_file, "audit", "--child", FULL_ID, "--csv", str(out)]) == 0
    assert "已导出 2 条" in capsys.readouterr().out
    rows = _rows(out)[1:]
    assert [r[2] for r in rows] == ["查看完整号码", "登记"]
    assert all("张子涵" in r[3] for r in rows)
    assert main(["--db", db_file, "audit", "--action", "export", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["entries"]
    # No worker set in 设置: the login name signs, so no export from a terminal goes unsigned.
    assert entry["actor"] == getpass.getuser() and entry["source"] == "命令行"
    assert entry["new"] == str(out)


def test_a_password_can_be_typed_at_a_prompt_instead_of_on_the_command_line(
    demo_db, tmp_path, capsys, monkeypatch
) -> None:
    from carebook.exchange.county import crypto

    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or "县里的密码")
    db_file = str(demo_db.file)
    demo_db.close()
    book = tmp_path / "县.xlsx"
    assert main(["--db", db_file, "export", str(book), "--password", "-"]) == 0
    assert asked and crypto.is_encrypted(book)
    assert crypto.decrypt_to_memory(book, "县里的密码").read(2) == b"PK"
    assert main(["--db", db_file, "merge", str(book), "--dry-run", "--password", "-"]) == 0
    assert len(asked) == 2


def test_a_cancelled_export_leaves_no_file_and_no_entry(workspace, tmp_path, monkeypatch) -> None:
    from carebook.services import audit_log
    from carebook.services.progress import run_to_end

    for n, number in enumerate(("110105201503120041", "110105201503120068", FULL_ID)):
        register_child(workspace.db, child_facts(name=f"儿童{n}", id_number=number))
    monkeypatch.setattr(audit_log, "_PAGE", 1)  # one entry a step, as 2,000 are at scale
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "log.csv"
    job = audit_log.export_log(workspace.db, LogFilter(), target)
    first = next(job)
    assert (first.done, first.total) == (1, 3)
    job.close()  # 取消
    assert list(folder.iterdir()) == []  # nor the partial file
    assert log_lines(workspace.db, LogFilter(action="export")) == []
    assert run_to_end(audit_log.export_log(workspace.db, LogFilter(), target)) == 3
    assert len(_rows(target)) == 4
