"""carebook import: exit codes, one JSON object per file, refusals, dry run, report."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from carebook.cli import main
from tests.exchange.builders import bad_check, ledger_rows, write_csv, write_xlsx


def run(capsys, db_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), "import", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_dry_run_then_apply_then_again(tmp_path, db_path, capsys) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", ledger_rows(3))
    code, out, _ = run(capsys, db_path, str(good), "--dry-run", "--json", "--township", "宗艾镇")
    result = json.loads(out)
    assert code == 0
    assert set(result) == {
        "file", "sheets", "rows", "created", "updated", "unchanged", "skipped", "errors",
        "warnings", "applied",
    }  # fmt: skip
    assert (result["created"], result["applied"]) == (3, False)
    code, out, _ = run(capsys, db_path, str(good), "--json", "--township", "宗艾镇")
    assert json.loads(out)["applied"] is True and code == 0
    code, out, _ = run(capsys, db_path, str(good), "--json", "--township", "宗艾镇")
    assert json.loads(out)["unchanged"] == 3 and json.loads(out)["created"] == 0


def test_rows_with_errors_exit_1_and_report(tmp_path, db_path, capsys) -> None:
    rows = ledger_rows(3)
    rows[1][3] = bad_check(rows[1][3])
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    report = tmp_path / "out" / "问题.xlsx"
    code, out, _ = run(capsys, db_path, str(path), "--json", "--report", str(report))
    result = json.loads(out)
    assert code == 1
    assert result["errors"] == [
        {"sheet": "名单", "row": 3, "column": "身份证号", "message": result["errors"][0]["message"]}
    ]
    assert result["created"] == 2 and result["applied"] is True
    rows_in_report = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows_in_report[-1][0] == 3 and "校验" in rows_in_report[-1][-1]


def test_strict_refuses_and_writes_nothing(tmp_path, db_path, capsys) -> None:
    rows = ledger_rows(2)
    rows[0][3] = bad_check(rows[0][3])
    code, _, err = run(capsys, db_path, str(write_xlsx(tmp_path / "a.xlsx", rows)), "--strict")
    assert code == 1 and "严格" in err
    code, out, _ = run(
        capsys, db_path, str(write_xlsx(tmp_path / "b.xlsx", ledger_rows(2))), "--json", "--dry-run"
    )
    assert json.loads(out)["created"] == 2  # nothing from the refused file went in


def test_refused_file_gives_one_json_object(tmp_path, db_path, capsys) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("hello", encoding="utf-8")
    good = write_csv(tmp_path / "good.csv", ledger_rows(1))
    code, out, _ = run(capsys, db_path, str(fake), str(good), "--json", "--dry-run")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert set(lines[0]) == {"file", "refused"} and "不是表格" in lines[0]["refused"]
    assert lines[1]["created"] == 1


def test_usage_errors_exit_2(tmp_path, db_path) -> None:
    import pytest

    with pytest.raises(SystemExit) as caught:
        main(["--db", str(db_path), "import"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["--db", str(db_path), "import", "a.xlsx", "--prefer", "nobody"])
    assert caught.value.code == 2


def test_text_output_names_sheet_rows_and_dry_run(tmp_path, db_path, capsys) -> None:
    path = write_xlsx(
        tmp_path / "a.xlsx",
        ledger_rows(2),
        title="东村留守儿童台账",
        sheets={"汇总": [["村", "人数"]]},
    )
    code, out, _ = run(capsys, db_path, str(path), "--dry-run", "--sheet", "名单")
    assert code == 0
    assert "表头在第 2 行" in out and "试运行" in out and "未选择" in out


def test_text_summary_speaks_of_errors_only_when_there_were_some(tmp_path, db_path, capsys):
    code, out, _ = run(capsys, db_path, str(write_csv(tmp_path / "good.csv", ledger_rows(2))))
    assert code == 0 and "已导入。" in out and "有错误的行" not in out
    rows = ledger_rows(2)
    rows[0][3] = bad_check(rows[0][3])
    code, out, _ = run(capsys, db_path, str(write_xlsx(tmp_path / "bad.xlsx", rows)))
    assert code == 1 and "有错误的行没有导入" in out


def test_a_clean_files_report_is_not_announced_as_problem_rows(tmp_path, db_path, capsys):
    good = write_csv(tmp_path / "good.csv", ledger_rows(2))
    report = tmp_path / "问题.xlsx"
    code, out, _ = run(capsys, db_path, str(good), "--dry-run", "--report", str(report))
    assert code == 0 and report.exists()
    assert "问题行已写入" not in out and "没有发现问题" in out
