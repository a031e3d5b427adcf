"""carebook audit: the log of reveals, exports, prints and changes, signed by whoever ran them."""

from __future__ import annotations

import getpass
import json
import shutil

import pytest

from carebook.cli import main
from carebook.services.audit import Origin
from carebook.services.children import get_child, reveal
from carebook.storage.database import open_database


@pytest.fixture
def county(demo_template, tmp_path):
    path = tmp_path / "county.db"
    shutil.copy2(demo_template, path)
    return path


def _log(capsys, db, *args):
    capsys.readouterr()
    assert main(["--db", str(db), "audit", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_exports_and_prints_are_listed_with_who_did_them(county, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "wangfang")
    assert main(["--db", str(county), "export", str(tmp_path / "县.xlsx"), "--mask-ids"]) == 0
    assert main(["--db", str(county), "print", "roster", str(tmp_path / "r.pdf")]) == 0
    exports = _log(capsys, county, "--action", "export")
    assert [(e["actor"], e["entity"]) for e in exports] == [("wangfang", "workbook")]
    prints = _log(capsys, county, "--action", "print", "--limit", "5")
    assert len(prints) == 5 and {e["actor"] for e in prints} == {"wangfang"}
    assert all(e["name"] for e in prints)  # each names the child printed


def test_one_childs_entries_found_by_id_number(county, capsys):
    with open_database(f"sqlite:///{county}") as db:
        with db.reading() as session:
            from carebook.storage.tables import Child

            uid = session.query(Child.uid).first()[0]
        number = get_child(db, uid).facts.id_number
        reveal(db, uid, "id_number", origin=Origin("李主任"))
    entries = _log(capsys, county, "--child", number, "--action", "reveal")
    assert [(e["actor"], e["uid"]) for e in entries] == [("李主任", uid)]
    capsys.readouterr()
    assert main(["--db", str(county), "audit", "--child", number]) == 0
    out = capsys.readouterr().out
    assert "李主任" in out and "查看完整号码" in out and number not in out


def test_wrong_arguments_are_usage_errors(county, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(county), "audit", "--limit", "0"])
    assert stop.value.code == 2
    assert main(["--db", str(county), "audit", "--child", "110105201503120025"]) == 1
    assert "没有这名儿童" in capsys.readouterr().err
