"""carebook due and carebook stats --period on the demo county."""

from __future__ import annotations

import json

import pytest

from carebook.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_due_json_lists_overdue_children_in_the_issue_shape(demo_db, capsys):
    url = str(demo_db.file)
    demo_db.close()  # the CLI opens the file itself and takes the writer's lock
    code, out, _ = run(capsys, "--db", url, "due", "--overdue", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and set(rows[0]) == {
        "uid",
        "name",
        "village",
        "due",
        "days_overdue",
        "last_visit",
        "volunteer",
    }
    assert all(r["days_overdue"] > 0 for r in rows)
    village = rows[0]["village"]
    code, out, _ = run(capsys, "--db", url, "due", "--overdue", "--village", village, "--json")
    assert {r["village"] for r in json.loads(out)} == {village}
    code, out, _ = run(capsys, "--db", url, "due", "--within", "7")
    assert code == 0 and "共" in out


def test_stats_period_adds_the_period_figures(demo_db, capsys):
    url = str(demo_db.file)
    demo_db.close()
    code, out, _ = run(capsys, "--db", url, "stats", "--json", "--period", "2026-Q4")
    data = json.loads(out)
    assert data["period"] == {"from": "2026-10-01", "to": "2026-12-31"}
    assert 0 < data["pairing_coverage"]["total"] <= 1
    for key in ("visits_in_period", "due_in_period", "overdue", "joined", "left"):
        assert isinstance(data[key], int)
    assert "children" in data
    code, _, err = run(capsys, "--db", url, "stats", "--period", "2026-13")
    assert code == 1 and "时间段" in err
    with pytest.raises(SystemExit) as usage:  # a wrong argument is a usage error
        run(capsys, "--db", url, "due", "--within", "-3")
    assert usage.value.code == 2 and "--within" in capsys.readouterr().err


def test_due_names_a_mistyped_place_instead_of_saying_nobody_is_due(tmp_path, capsys):
    from carebook.cli import main

    db = str(tmp_path / "t.db")
    assert main(["--db", db, "demo", "--children", "30"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "due", "--village", "没有这个村"]) == 1
    assert "找不到村（社区）“没有这个村”" in capsys.readouterr().err
    assert main(["--db", db, "due", "--township", "没有这个镇"]) == 1
    assert "找不到乡镇" in capsys.readouterr().err
