"""`carebook print ...` on the command line: each kind writes its PDF and says its page count."""

from __future__ import annotations

import re
import shutil

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from carebook.cli import main
from carebook.storage.tables import Activity, Child, Visit
from tests.printing.pdf_helpers import page_texts


@pytest.fixture
def demo_file(demo_template, tmp_path):
    path = tmp_path / "county.db"
    shutil.copy2(demo_template, path)
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([*map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _one(demo_db_path, query):
    from carebook.storage.database import open_database

    db = open_database(f"sqlite:///{demo_db_path}", backups_dir=demo_db_path.parent / "b")
    try:
        with db.reading() as session:
            return session.execute(query).first()
    finally:
        db.close()


def pages_said(out: str) -> int:
    return int(re.search(r"共 (\d+) 页", out).group(1))


def test_visit_sheets_for_one_child_by_id_number(capsys, demo_file, tmp_path):
    id_number, name = _one(
        demo_file, select(Child.id_number, Child.name).where(Child.id_number.is_not(None))
    )
    out = tmp_path / "one.pdf"
    code, said, _ = run(
        capsys, "--db", demo_file, "print", "visit-sheets", out, "--child", id_number
    )
    assert code == 0 and pages_said(said) == 1
    (text,) = page_texts(out)
    assert name in text and id_number not in text


def test_visit_sheets_with_full_ids(capsys, demo_file, tmp_path):
    (id_number,) = _one(demo_file, select(Child.id_number).where(Child.id_number.is_not(None)))
    out = tmp_path / "full.pdf"
    args = ("print", "visit-sheets", out, "--child", id_number, "--full-ids", "--db", demo_file)
    assert run(capsys, *args)[0] == 0
    assert id_number in page_texts(out)[0]


def test_due_visit_sheets_and_due_list_agree(capsys, demo_file, tmp_path):
    sheets, listing = tmp_path / "due-sheets.pdf", tmp_path / "due.pdf"
    code, said, _ = run(
        capsys, "--db", demo_file, "print", "visit-sheets", sheets, "--due", "--within", "7"
    )
    assert code == 0
    code, said_list, _ = run(capsys, "--db", demo_file, "print", "due-list", listing)
    assert code == 0 and pages_said(said_list) == len(PdfReader(listing).pages)
    assert pages_said(said) == len(PdfReader(sheets).pages) > 0


def test_case_file_roster_record_and_sign_in(capsys, demo_file, tmp_path):
    (child_uid,) = _one(demo_file, select(Child.uid))
    (visit_uid,) = _one(demo_file, select(Visit.uid))
    (activity_uid,) = _one(demo_file, select(Activity.uid))
    for args in (
        ("case-file", tmp_path / "case.pdf", "--child", child_uid),
        ("roster", tmp_path / "roster.pdf"),
        ("visit-record", tmp_path / "record.pdf", "--visit", visit_uid),
        ("sign-in", tmp_path / "sign.pdf", "--activity", activity_uid),
    ):
        code, said, err = run(capsys, "--db", demo_file, "print", *args)
        assert code == 0, err
        assert pages_said(said) == len(PdfReader(args[1]).pages) >= 1


def test_unknown_child_is_one_clear_line(capsys, demo_file, tmp_path):
    code, _, err = run(
        capsys, "--db", demo_file, "print", "case-file", tmp_path / "x.pdf", "--child", "123"
    )
    assert code == 1
    assert err.strip().startswith("carebook: 找不到儿童“123”") and "\n" not in err.strip()
    assert not (tmp_path / "x.pdf").exists()


def test_output_must_be_a_pdf_and_filters_must_not_clash(capsys, demo_file, tmp_path):
    code, _, err = run(capsys, "--db", demo_file, "print", "roster", tmp_path / "x.xlsx")
    assert code == 1 and ".pdf" in err
    code, _, err = run(
        capsys,
        "--db",
        demo_file,
        "print",
        "visit-sheets",
        tmp_path / "x.pdf",
        "--child",
        "1",
        "--due",
    )
    assert code == 1 and "--child" in err


def test_a_village_with_nobody_writes_nothing(capsys, demo_file, tmp_path):
    out = tmp_path / "none.pdf"
    code, _, err = run(
        capsys, "--db", demo_file, "print", "visit-sheets", out, "--village", "没有这个村"
    )
    assert code == 1 and "找不到村（社区）“没有这个村”" in err and not out.exists()


def test_within_belongs_with_due(capsys, demo_file, tmp_path):
    out = tmp_path / "x.pdf"
    code, _, err = run(capsys, "--db", demo_file, "print", "visit-sheets", out, "--within", "7")
    assert code == 1 and "--due" in err and not out.exists()


def test_due_list_of_the_never_visited_and_of_one_volunteer(capsys, demo_file, tmp_path):
    from carebook.storage.tables import Pairing, Volunteer

    never = tmp_path / "never.pdf"
    code, _, err = run(capsys, "--db", demo_file, "print", "due-list", "--never-visited", never)
    assert code == 0, err
    text = "".join(page_texts(never))
    (expected,) = _one(
        demo_file,
        select(func.count()).where(
            Child.deleted_at.is_(None),
            Child.status == "在册",
            Child.next_due_on.is_not(None),
            Child.last_visit_on.is_(None),
        ),
    )
    assert 0 < expected < 100
    assert f"从未走访：共 {expected} 名" in text
    (name,) = _one(
        demo_file,
        select(Volunteer.name)
        .join(Pairing, Pairing.volunteer_id == Volunteer.id)
        .where(Pairing.ended_on.is_(None)),
    )
    hers = tmp_path / "hers.pdf"
    code, _, err = run(
        capsys,
        "--db", demo_file, "print", "due-list", "--within", "365", "--volunteer", name, hers,
    )  # fmt: skip
    assert code == 0, err
    assert f"爱心妈妈：{name}" in page_texts(hers)[0]
