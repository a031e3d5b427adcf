"""Output that cannot be written: one clear sentence, exit 1, nothing imported behind it."""

from __future__ import annotations

import errno
import shutil

import pytest

from carebook.cli import main
from carebook.paths import write_refused
from tests.exchange.builders import ledger_rows, write_xlsx


@pytest.fixture
def county_db(demo_template, tmp_path):
    path = tmp_path / "county.db"
    shutil.copy2(demo_template, path)
    return str(path)


@pytest.fixture
def blocked(tmp_path):
    """A "folder" that is a file: writing under it fails for root too (unlike chmod 555)."""
    block = tmp_path / "block"
    block.write_text("x")
    return block


@pytest.mark.parametrize(
    "command",
    [
        ["export", "{out}.xlsx"],
        ["print", "roster", "{out}.pdf"],
        ["backup", "{out}.db"],
    ],
)
def test_unwritable_output_is_one_sentence(county_db, blocked, capsys, command):
    out = str(blocked / "out")
    code = main(["--db", county_db, *(a.format(out=out) for a in command)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("carebook: 无法写入") and err.count("\n") == 1
    assert "Errno" not in err and "Traceback" not in err and "意外" not in err


def test_unwritable_report_refuses_before_importing(db_path, tmp_path, blocked, capsys):
    ledger = write_xlsx(tmp_path / "名单.xlsx", ledger_rows(3))
    report = blocked / "问题.xlsx"
    code = main(["--db", str(db_path), "import", str(ledger), "--township", "宗艾镇",
                 "--report", str(report)])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 1 and captured.err.startswith("carebook: 无法写入")
    assert "Exception ignored" not in captured.err
    main(["--db", str(db_path), "import", str(ledger), "--township", "宗艾镇", "--dry-run"])
    assert "新增 3" in capsys.readouterr().out  # the refused run imported nothing


def test_write_refused_names_the_cause_in_words():
    path = "D:/名单.xlsx"
    assert "只读" in write_refused(path, PermissionError(errno.EACCES, "Permission denied"))
    assert "磁盘已满" in write_refused(path, OSError(errno.ENOSPC, "No space left on device"))
    assert "文件夹不存在" in write_refused(path, OSError(errno.ENOTDIR, "Not a directory"))
    assert "Permission" not in write_refused(path, PermissionError(errno.EACCES, "Permission"))
