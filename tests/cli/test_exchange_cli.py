"""carebook export / merge from the command line, and the function `carebook import` calls."""

from __future__ import annotations

import argparse
import json

from carebook.cli import main
from carebook.cli.commands.exchange import import_exchange_workbook
from carebook.cli.context import Context
from carebook.services.county_exchange import is_exchange_workbook
from tests.services.county_helpers import Clerk


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_then_merge_unchanged(tmp_path, capsys):
    db = str(tmp_path / "t.db")
    assert _run(capsys, "--db", db, "demo", "--children", "40")[0] == 0
    book = tmp_path / "县里.xlsx"
    code, out, _ = _run(capsys, "--db", db, "export", str(book), "--json", "--mask-ids")
    assert code == 0
    exported = json.loads(out)
    assert exported["masked_ids"] and exported["rows"]["儿童"] == 40
    assert is_exchange_workbook(book)
    code, out, _ = _run(capsys, "--db", db, "merge", str(book), "--json")
    report = json.loads(out)
    assert code == 0
    assert report["kind"] == "exchange" and report["applied"]
    assert report["unchanged"] == report["rows"] and report["created"] == report["updated"] == 0
    for key in (
        "file",
        "rows",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "errors",
        "warnings",
        "applied",
        "conflicts",
        "deleted",
    ):
        assert key in report


def test_merge_conflict_exit_code_and_prefer(tmp_path, capsys):
    db = str(tmp_path / "t.db")
    _run(capsys, "--db", db, "demo", "--children", "20")
    book = tmp_path / "b.xlsx"
    _run(capsys, "--db", db, "export", str(book), "--password", "pw", "--full-ids")
    code, _, err = _run(capsys, "--db", db, "merge", str(book))
    assert code == 1 and "密码" in err
    code, out, _ = _run(capsys, "--db", db, "merge", str(book), "--password", "pw", "--dry-run")
    assert code == 0 and "试运行" in out


def test_import_exchange_workbook_for_the_import_command(tmp_path, capsys):
    db = str(tmp_path / "t.db")
    _run(capsys, "--db", db, "demo", "--children", "20")
    book = tmp_path / "b.xlsx"
    _run(capsys, "--db", db, "export", str(book), "--full-ids")
    clerk = Clerk(book)
    uid = clerk.sheet("儿童").cell(2, 1).value
    clerk.set("儿童", uid, "备注", "县里已核实")
    clerk.save()
    args = argparse.Namespace(
        db=db,
        debug=False,
        dry_run=False,
        json=True,
        prefer=None,
        accept_deletions=False,
        password=None,
    )
    ctx = Context(args)
    try:
        report, code = import_exchange_workbook(ctx, args, book)
    finally:
        ctx.close()
    assert code == 0 and report["kind"] == "exchange"
    assert report["updated"] == 1 and report["conflicts"] == [] and report["deleted"] == []


def test_carebook_import_merges_a_county_workbook_instead_of_importing_it(tmp_path, capsys):
    db = str(tmp_path / "t.db")
    _run(capsys, "--db", db, "demo", "--children", "20")
    book = tmp_path / "县里改过.xlsx"
    _run(capsys, "--db", db, "export", str(book), "--full-ids")
    clerk = Clerk(book)
    uid = clerk.sheet("儿童").cell(2, 1).value
    clerk.set("儿童", uid, "备注", "县里已核实")
    clerk.save()
    code, out, _ = _run(capsys, "--db", db, "import", str(book), "--json")
    report = json.loads(out)
    assert code == 0 and report["kind"] == "exchange"
    assert report["updated"] == 1 and report["created"] == 0 and report["applied"]
    code, out, _ = _run(capsys, "--db", db, "import", str(book), "--json")
    again = json.loads(out)
    assert code == 0 and again["updated"] == 0 and again["unchanged"] == again["rows"]


def _both_changed(tmp_path, capsys, header: str, field: str, theirs: str, ours: str):
    """A 20-child county exported, one child's field changed in the workbook and here."""
    from carebook.services.children import facts_with, get_child, update_child
    from carebook.services.workspace import open_workspace

    db = str(tmp_path / "t.db")
    _run(capsys, "--db", db, "demo", "--children", "20")
    book = tmp_path / "b.xlsx"
    _run(capsys, "--db", db, "export", str(book), "--full-ids")
    clerk = Clerk(book)
    uid = clerk.sheet("儿童").cell(2, 1).value
    clerk.set("儿童", uid, header, theirs)
    clerk.save()
    workspace = open_workspace(db)
    try:
        record = get_child(workspace.db, uid)
        update_child(workspace.db, uid, facts_with(record, **{field: ours}))
    finally:
        workspace.close()
    return db, book


def test_import_reports_conflicts_as_rows_that_did_not_go_in(tmp_path, capsys):
    db, book = _both_changed(tmp_path, capsys, "备注", "notes", "县里的说法", "本机的说法")
    code, out, _ = _run(capsys, "--db", db, "import", str(book), "--json")
    report = json.loads(out)
    assert code == 1 and report["open_conflicts"] == 1
    assert report["conflicts"][0]["fields"]["备注"] == ["本机的说法", "县里的说法"]


def test_merge_says_what_it_did_with_conflicts_and_deletions(tmp_path, capsys):
    db = str(tmp_path / "t.db")
    _run(capsys, "--db", db, "demo", "--children", "20")
    book = tmp_path / "b.xlsx"
    _run(capsys, "--db", db, "export", str(book), "--full-ids")
    clerk = Clerk(book)
    kept, gone = clerk.sheet("儿童").cell(2, 1).value, clerk.sheet("儿童").cell(3, 1).value
    gone_name = clerk.get("儿童", gone, "姓名")
    clerk.set("儿童", kept, "备注", "县里的说法")
    clerk.delete("儿童", gone)
    clerk.save()
    from carebook.services.children import facts_with, get_child, update_child
    from carebook.services.workspace import open_workspace

    workspace = open_workspace(db)
    try:
        update_child(workspace.db, kept, facts_with(get_child(workspace.db, kept), notes="本机"))
    finally:
        workspace.close()
    code, out, _ = _run(capsys, "--db", db, "merge", str(book))
    assert code == 2 and gone_name in out and "--accept-deletions 再读一次" in out
    args = ("--prefer", "theirs", "--accept-deletions")
    code, out, _ = _run(capsys, "--db", db, "merge", str(book), *args)
    assert code == 0
    assert "已在本机标记删除 1 行" in out and "1 处冲突按县里的内容处理" in out
    assert "再读一次" not in out


def test_conflicting_phones_are_masked_on_screen_and_whole_in_json(tmp_path, capsys):
    db, book = _both_changed(
        tmp_path, capsys, "监护人电话", "guardian_phone", "13911112222", "13911110000"
    )
    code, out, _ = _run(capsys, "--db", db, "merge", str(book), "--dry-run")
    assert code == 2 and "139****0000" in out and "139****2222" in out
    assert "13911112222" not in out and "13911110000" not in out
    code, out, _ = _run(capsys, "--db", db, "merge", str(book), "--dry-run", "--json")
    assert json.loads(out)["conflicts"][0]["fields"]["监护人电话"] == ["13911110000", "13911112222"]


def test_export_with_full_ids_and_no_password_is_flagged(tmp_path, capsys):
    db = str(tmp_path / "t.db")
    assert _run(capsys, "--db", db, "demo", "--children", "10")[0] == 0
    code, out, err = _run(capsys, "--db", db, "export", str(tmp_path / "a.xlsx"), "--full-ids")
    assert code == 0 and "已导出" in out and "没有设打开密码" in err
    for extra in ([], ["--mask-ids"], ["--full-ids", "--password", "县里"]):
        code, _, err = _run(capsys, "--db", db, "export", str(tmp_path / "b.xlsx"), *extra)
        assert code == 0 and "没有设打开密码" not in err


def test_export_masks_id_numbers_unless_full_ones_are_asked_for(tmp_path, capsys):
    """As the window does (设置 → 隐私): a workbook leaves with full ID numbers only on request,
    and the log says which one it was."""
    import openpyxl

    def ids(book) -> list[str]:
        sheet = openpyxl.load_workbook(book, read_only=True)["儿童"]
        rows = list(sheet.iter_rows(values_only=True))
        column = rows[0].index("公民身份号码")
        return [str(r[column]) for r in rows[1:]]

    db = str(tmp_path / "t.db")
    assert _run(capsys, "--db", db, "demo", "--children", "10")[0] == 0
    code, out, _ = _run(capsys, "--db", db, "export", str(tmp_path / "a.xlsx"), "--json")
    assert code == 0 and json.loads(out)["masked_ids"] is True
    code, out, _ = _run(capsys, "--db", db, "export", str(tmp_path / "b.xlsx"), "--full-ids")
    assert code == 0
    assert all("*" in n for n in ids(tmp_path / "a.xlsx"))
    assert not any("*" in n for n in ids(tmp_path / "b.xlsx"))
    code, out, _ = _run(capsys, "--db", db, "audit", "--action", "export", "--json")
    news = [e["new"] for e in json.loads(out)["entries"]]
    assert any("含完整身份证号" in n for n in news) and any("已打码" in n for n in news)


def test_merge_prefer_ours_is_not_asked_again_for_the_same_workbook(tmp_path, capsys):
    db, book = _both_changed(tmp_path, capsys, "备注", "notes", "县里的说法", "本机的说法")
    assert _run(capsys, "--db", db, "merge", str(book))[0] == 2
    assert _run(capsys, "--db", db, "merge", str(book), "--prefer", "ours")[0] == 0
    code, out, _ = _run(capsys, "--db", db, "merge", str(book))
    assert (
        code == 0 and "1 处冲突上次已选择保留本机内容，没有再问" in out and "冲突 儿童" not in out
    )
    code, out, _ = _run(capsys, "--db", db, "merge", str(book), "--json")
    report = json.loads(out)
    assert report["conflicts"] == [] and report["open_conflicts"] == 0
    assert report["settled_conflicts"][0]["fields"]["备注"] == ["本机的说法", "县里的说法"]
