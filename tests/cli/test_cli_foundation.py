"""The carebook command: version, demo and stats, --db anywhere, backups, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from carebook import __version__
from carebook.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_demo_then_stats_json_with_db_before_or_after(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "county.db")
    code, out, _ = run(capsys, "--db", db, "demo", "--children", "120", "--seed", "3")
    assert code == 0 and "120" in out
    code, out, _ = run(capsys, "stats", "--json", "--db", db)
    assert code == 0
    stats = json.loads(out)
    children = stats["children"]
    assert children["total"] == 120
    assert children["in_register"] + children["exited"] == 120
    assert sum(children["by_village"].values()) == children["in_register"]
    assert set(children["by_category"]) <= {
        "农村留守儿童",
        "困境儿童（重病重残）",
        "困境儿童（家庭经济困难）",
        "困境儿童（监护缺失）",
        "事实无人抚养儿童",
        "孤儿",
    }
    assert stats["volunteers"] > 0 and stats["pairings_active"] > 0 and stats["visits"] > 0
    assert stats["pairings_active"] <= children["in_register"]


def test_demo_refuses_a_database_that_holds_children(capsys, tmp_path: Path) -> None:
    # It added its made-up county to whatever register --db named, a county's server included.
    db = str(tmp_path / "county.db")
    run(capsys, "--db", db, "demo", "--children", "20")
    code, _, err = run(capsys, "--db", db, "demo", "--children", "20")
    assert code == 1 and "已经有 20 名儿童" in err and "Traceback" not in err
    assert json.loads(run(capsys, "--db", db, "stats", "--json")[1])["children"]["total"] == 20


def test_demo_is_reproducible_by_seed(capsys, tmp_path: Path) -> None:
    outputs = []
    for name in ("a.db", "b.db"):
        db = str(tmp_path / name)
        run(capsys, "--db", db, "demo", "--children", "50", "--seed", "9")
        outputs.append(json.loads(run(capsys, "--db", db, "stats", "--json")[1]))
    assert outputs[0] == outputs[1]


def test_usage_error_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["no-such-command"])
    assert stop.value.code == 2


def test_errors_are_one_line_and_exit_1(capsys, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(bogus), "stats")
    assert code == 1
    assert err.count("\n") == 1 and "不是关爱簿的数据库" in err
    assert "Traceback" not in err


def test_backup_check_and_restore(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "live.db")
    run(capsys, "--db", db, "demo", "--children", "30")
    dest = tmp_path / "copy.db"
    code, _, _ = run(capsys, "--db", db, "backup", str(dest))
    assert code == 0 and dest.exists()
    code, out, _ = run(capsys, "--db", db, "check")
    assert code == 0 and "完好" in out
    from carebook.services.children import register_child
    from carebook.storage.database import open_database
    from tests.conftest import TODAY, child_facts

    with open_database(f"sqlite:///{db}", backups_dir=tmp_path) as opened:  # a change after it
        register_child(opened, child_facts(), today=TODAY)
    assert json.loads(run(capsys, "--db", db, "stats", "--json")[1])["children"]["total"] == 31
    code, out, _ = run(capsys, "--db", db, "restore", str(dest))
    assert code == 0 and "恢复" in out
    assert json.loads(run(capsys, "--db", db, "stats", "--json")[1])["children"]["total"] == 30


def test_restore_of_a_missing_file_is_one_line(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "x.db"), "restore", str(tmp_path / "no.db"))
    assert code == 1 and "不存在" in err


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "carebook", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("carebook ")


def test_a_database_in_a_missing_folder_is_refused_not_created(capsys, tmp_path: Path) -> None:
    db = tmp_path / "打错的文件夹" / "carebook.db"
    code, out, err = run(capsys, "--db", str(db), "stats")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "找不到文件夹" in err and "打错的文件夹" in err
    assert not db.parent.exists()


def test_ctrl_c_while_starting_up_is_one_line(capsys, monkeypatch) -> None:
    import carebook.cli as cli

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    code, _, err = run(capsys, "stats")
    assert code == 1 and err == "已取消。\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--children", "0"],
        ["due", "--within", "-1"],
        ["print", "due-list", "x.pdf", "--within", "-1"],
        ["print", "visit-sheets", "x.pdf", "--due", "--within", "七"],
    ],
)
def test_a_wrong_number_is_a_usage_error(capsys, argv) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith("usage: carebook")
    assert "须为" in err.splitlines()[-1]
