"""carebook audit: the log of reveals, exports, prints and changes, signed by whoever ran them,
filtered, as text or JSON."""

from __future__ import annotations

import getpass
import json
import shutil

import pytest

from carebook.cli import main
from carebook.services.audit import Origin
from carebook.services.children import get_child, register_child, reveal
from carebook.storage.database import open_database
from tests.conftest import child_facts


@pytest.fixture
def county(demo_template, tmp_path):
    path = tmp_path / "county.db"
    shutil.copy2(demo_template, path)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _log(capsys, db, *args) -> list[dict]:
    code, out, _ = run(capsys, "--db", str(db), "audit", "--json", *args)
    assert code == 0
    return json.loads(out)["entries"]


def test_exports_and_prints_are_listed_with_who_did_them(county, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "wangfang")
    assert main(["--db", str(county), "export", str(tmp_path / "县.xlsx"), "--mask-ids"]) == 0
    assert main(["--db", str(county), "print", "roster", str(tmp_path / "r.pdf")]) == 0
    exports = _log(capsys, county, "--action", "export")
    assert [(e["actor"], e["entity"]) for e in exports] == [("wangfang", "workbook")]
    prints = _log(capsys, county, "--action", "print", "--limit", "5")
    assert len(prints) == 5 and {e["actor"] for e in prints} == {"wangfang"}
    assert all(e["name"] for e in prints)  # each names the child printed
    # The action may be named in the worker's words too.
    assert _log(capsys, county, "--action", "导出") == exports


def test_one_childs_entries_found_by_id_number(county, capsys):
    with open_database(f"sqlite:///{county}") as db:
        with db.reading() as session:
            from carebook.storage.tables import Child

            uid = session.query(Child.uid).first()[0]
        number = get_child(db, uid).facts.id_number
        reveal(db, uid, "id_number", origin=Origin("李主任"))
    entries = _log(capsys, county, "--child", number, "--action", "reveal")
    assert [(e["actor"], e["uid"]) for e in entries] == [("李主任", uid)]
    code, out, _ = run(capsys, "--db", str(county), "audit", "--child", number)
    assert code == 0
    assert "李主任" in out and "查看完整号码" in out and number not in out


def test_text_lists_newest_first_filters_and_says_what_it_left_out(db, capsys):
    record = register_child(db, child_facts(), origin=Origin("李主任"))
    for _ in range(3):
        reveal(db, record.uid, "id_number", origin=Origin("王督导"))
    url = str(db.file)
    db.close()  # the CLI opens the file itself and takes the writer's lock
    code, out, _ = run(capsys, "--db", url, "audit", "--limit", "2")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert "王督导" in lines[0] and "查看完整号码" in lines[0] and "儿童 张子涵" in lines[0]
    assert "共 4 条" in lines[2]
    # A registration names the child once, not again as its value.
    code, out, _ = run(capsys, "--db", url, "audit", "--actor", "李主任")
    assert out.count("张子涵") == 1 and "登记" in out
    code, out, _ = run(capsys, "--db", url, "audit", "--action", "登记", "--json")
    data = json.loads(out)
    assert data["total"] == 1
    assert (data["entries"][0]["actor"], data["entries"][0]["action"]) == ("李主任", "create")
    code, out, _ = run(capsys, "--db", url, "audit", "--action", "reveal", "--search", "李主任")
    assert code == 0 and "没有符合条件" in out


def test_wrong_arguments_are_refused_in_one_sentence(county, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(county), "audit", "--limit", "0"])
    assert stop.value.code == 2
    code, _, err = run(capsys, "--db", str(county), "audit", "--child", "110105201503120025")
    assert code == 1 and "没有这名儿童" in err
    code, _, err = run(capsys, "--db", str(county), "audit", "--action", "偷看")
    assert code == 1 and "没有“偷看”这种操作" in err and "查看完整号码" in err
    code, _, err = run(capsys, "--db", str(county), "audit", "--period", "上个月吧")
    assert code == 1 and "时间段" in err and "Traceback" not in err
