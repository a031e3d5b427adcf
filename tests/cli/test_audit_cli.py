"""carebook audit: the operations log from the command line, filtered, as text or JSON."""

from __future__ import annotations

import json

from carebook.cli import main
from carebook.services.audit import Origin
from carebook.services.children import register_child, reveal
from tests.conftest import child_facts


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_audit_lists_filters_and_refuses_unknown_actions(db, capsys):
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
    code, out, _ = run(capsys, "--db", url, "audit", "--action", "登记", "--json")
    data = json.loads(out)
    assert data["total"] == 1
    assert data["entries"][0]["actor"] == "李主任" and data["entries"][0]["action"] == "登记"
    code, out, _ = run(capsys, "--db", url, "audit", "--action", "reveal", "--search", "李主任")
    assert code == 0 and "没有符合条件" in out
    code, _, err = run(capsys, "--db", url, "audit", "--action", "偷看")
    assert code == 1 and "没有“偷看”这种操作" in err and "查看完整号码" in err
    code, _, err = run(capsys, "--db", url, "audit", "--period", "上个月吧")
    assert code == 1 and "时间段" in err and "Traceback" not in err
