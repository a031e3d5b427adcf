"""The import's error report: a password-protected ledger's report keeps the password, and who
wrote which report where is logged."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from carebook.cli import main
from carebook.exchange.county import crypto

GOOD_ID = "110105201503120025"


def _ledger(folder: Path, password: str) -> Path:
    plain = folder / "plain.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "公民身份号码", "乡镇", "村（社区）", "儿童类别", "监护人电话"])
    sheet.append(["张子涵", "女", GOOD_ID, "宗艾镇", "东村", "农村留守儿童", "13812345678"])
    sheet.append(
        ["李四", "男", "110105201503120099", "宗艾镇", "东村", "农村留守儿童", "13987654321"]
    )
    book.save(plain)
    target = folder / "台账.xlsx"
    crypto.encrypt_file(plain, target, password)
    plain.unlink()
    return target


def test_a_protected_ledgers_report_is_protected_and_logged(tmp_path, capsys) -> None:
    ledger = _ledger(tmp_path, "镇里的密码")
    db = str(tmp_path / "t.db")
    report = tmp_path / "台账-问题.xlsx"
    code = main(["--db", db, "import", str(ledger), "--password", "镇里的密码",
                 "--report", str(report)])  # fmt: skip
    assert code == 1  # one row refused: its check digit is wrong
    assert crypto.is_encrypted(report)
    content = openpyxl.load_workbook(crypto.decrypt_to_memory(report, "镇里的密码"))
    cells = [str(c) for ws in content for row in ws.iter_rows(values_only=True) for c in row]
    assert "李四" in cells and "张子涵" not in cells
    # No unprotected copy was left beside it while it was drawn.
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".", "carebook-"))]
    capsys.readouterr()
    assert main(["--db", db, "audit", "--action", "export", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["entries"]
    assert entry["field"] == "问题报告" and "台账.xlsx" in entry["old"]
    assert str(report) in entry["new"] and "1 行" in entry["new"] and "已设打开密码" in entry["new"]
