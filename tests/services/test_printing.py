"""Print jobs on a demo county: pages, names and headings in the PDF, masking, audit, codes."""

from __future__ import annotations

import re
from datetime import date

import pytest

from carebook.domain.id_numbers import mask_id
from carebook.services import printing as jobs
from carebook.services.audit import Origin
from carebook.services.audit_log import LogFilter, log_lines
from carebook.services.children import exit_register, get_child
from carebook.services.errors import NotFoundError, ServiceError
from carebook.services.print_data import Reveal
from carebook.services.progress import run_to_end
from carebook.storage.tables import Activity, Child, Visit
from tests.conftest import TODAY
from tests.printing.pdf_helpers import page_texts

ORIGIN = Origin("测试员", "测试")


def options(**kw) -> jobs.PrintOptions:
    return jobs.PrintOptions(county="寿阳县", origin=ORIGIN, today=TODAY, **kw)


def _village_with_children(db) -> tuple[str, list[tuple[str, str, str]]]:
    """The smallest village of five or more, and its children as (uid, name, id number)."""
    with db.reading() as session:
        from sqlalchemy import func, select

        from carebook.storage.tables import Area

        village = session.execute(
            select(Area.name)
            .join(Child, Child.village_id == Area.id)
            .where(Child.status == "在册")
            .group_by(Area.id)
            .having(func.count() >= 5)
            .order_by(func.count())
            .limit(1)
        ).scalar_one()
        rows = session.execute(
            select(Child.uid, Child.name, Child.id_number)
            .join(Area, Area.id == Child.village_id)
            .where(Area.name == village, Child.status == "在册")
        ).all()
    return village, [tuple(r) for r in rows]


def _prints(db, action="print"):
    return log_lines(db, LogFilter(action=action), limit=10_000)


def test_visit_sheets_for_a_village_one_page_each_names_and_masked_ids(demo_db, tmp_path):
    village, children = _village_with_children(demo_db)
    ids = jobs.select_children(demo_db, village=village)
    out = tmp_path / "sheets.pdf"
    result = run_to_end(jobs.visit_sheets(demo_db, out, ids, options()))
    assert result.pages == len(children) == len(ids)
    texts = page_texts(out)
    assert len(texts) == len(children)
    everything = "\n".join(texts)
    for _uid, name, id_number in children:
        assert name in everything
        if id_number:
            assert mask_id(id_number) in everything
            assert id_number not in everything
    assert all("寿阳县" in t and "留守儿童和困境儿童走访记录表" in t for t in texts)
    entries = _prints(demo_db)
    assert len(entries) == len(children)
    assert {e.uid for e in entries} == {uid for uid, _n, _i in children}
    assert all(e.field == "走访记录表" and e.actor == "测试员" for e in entries)
    assert not any("完整" in e.new_value for e in entries)


def test_full_ids_are_printed_only_when_asked_and_that_is_logged(demo_db, tmp_path):
    _village, children = _village_with_children(demo_db)
    uid, name, id_number = next(c for c in children if c[2])
    out = tmp_path / "full.pdf"
    ids = jobs.select_children(demo_db, keys=[id_number])
    run_to_end(jobs.visit_sheets(demo_db, out, ids, options(reveal=Reveal(ids=True))))
    (text,) = page_texts(out)
    assert name in text and id_number in text
    (logged,) = _prints(demo_db)
    assert logged.uid == uid and "完整身份证号" in logged.new_value


def test_phones_are_masked_unless_asked(demo_db, tmp_path):
    with demo_db.reading() as session:
        from sqlalchemy import select

        uid, phone = session.execute(
            select(Child.uid, Child.guardian_phone).where(Child.guardian_phone != "").limit(1)
        ).one()
    masked, full = tmp_path / "m.pdf", tmp_path / "f.pdf"
    ids = jobs.select_children(demo_db, keys=[uid])
    run_to_end(jobs.visit_sheets(demo_db, masked, ids, options()))
    run_to_end(jobs.visit_sheets(demo_db, full, ids, options(reveal=Reveal(phones=True))))
    assert phone not in page_texts(masked)[0]
    assert phone in page_texts(full)[0]


def test_the_code_on_a_sheet_finds_its_child(demo_db, tmp_path):
    _village, children = _village_with_children(demo_db)
    keys = [uid for uid, _n, _i in children[:5]]
    out = tmp_path / "s.pdf"
    run_to_end(jobs.visit_sheets(demo_db, out, jobs.select_children(demo_db, keys=keys), options()))
    for uid, text in zip(keys, page_texts(out), strict=True):
        code = re.search(r"走访表编码 ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", text).group(1)
        assert jobs.resolve_sheet_code(demo_db, code) == uid
        found = jobs.find_sheet(demo_db, code.lower().replace("-", " "))
        assert found.uid == uid and found.printed_on == TODAY
        assert found.name == get_child(demo_db, uid).facts.name


def test_a_scanned_qr_code_finds_its_child(demo_db):
    from carebook.services.sheet_codes import make_code, qr_value

    _village, children = _village_with_children(demo_db)
    uid = children[0][0]
    assert jobs.resolve_sheet_code(demo_db, qr_value(uid, make_code(uid, TODAY))) == uid


def test_a_code_of_no_child_here_says_so(demo_db):
    from carebook.services.sheet_codes import make_code

    with pytest.raises(NotFoundError, match="没有找到"):
        jobs.resolve_sheet_code(demo_db, make_code("f" * 32, TODAY))
    with pytest.raises(ServiceError, match="抄错"):
        jobs.resolve_sheet_code(demo_db, "0000-0000-0001")


def test_children_are_chosen_by_id_number_or_uid_and_unknown_ones_named(demo_db):
    _village, children = _village_with_children(demo_db)
    uid, _name, id_number = next(c for c in children if c[2])
    spaced = " ".join([id_number[:6], id_number[6:14], id_number[14:]])
    by_id = jobs.select_children(demo_db, keys=[spaced])
    assert by_id == jobs.select_children(demo_db, keys=[uid.upper()])
    with pytest.raises(NotFoundError, match="110105201503120025"):
        jobs.select_children(demo_db, keys=["110105201503120025"])


def test_due_children_only(demo_db):
    from carebook.services.schedule import due_children

    due = due_children(demo_db, today=TODAY, within_days=7)
    ids = jobs.select_children(demo_db, due=True, within_days=7, today=TODAY)
    assert len(ids) == len(due) > 0


def test_a_cancelled_batch_leaves_no_file_and_no_audit(demo_db, tmp_path):
    ids = jobs.select_children(demo_db)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "cancelled.pdf"
    job = jobs.visit_sheets(demo_db, out, ids, options())
    for _ in range(3):
        next(job)
    job.close()
    assert not out.exists()
    assert list(folder.iterdir()) == []
    assert _prints(demo_db) == []


def test_a_batch_does_not_overwrite_a_good_file_when_it_fails(demo_db, tmp_path):
    out = tmp_path / "keep.pdf"
    out.write_bytes(b"%PDF old")
    with pytest.raises(NotFoundError):
        run_to_end(jobs.visit_record(demo_db, out, "0" * 32, options()))
    assert out.read_bytes() == b"%PDF old"


def test_a_visit_record_is_the_sheet_filled_in(demo_db, tmp_path):
    with demo_db.reading() as session:
        from sqlalchemy import select

        visit_uid, life, child_uid = session.execute(
            select(Visit.uid, Visit.life, Child.uid)
            .join(Child, Child.id == Visit.child_id)
            .where(Visit.life != "")
            .limit(1)
        ).one()
    out = tmp_path / "record.pdf"
    result = run_to_end(jobs.visit_record(demo_db, out, visit_uid, options()))
    (text,) = page_texts(out)
    assert result.pages == 1
    assert life in text.replace("\n", "") and "（存档）" in text
    assert {(e.entity, e.uid) for e in _prints(demo_db)} == {
        ("child", child_uid),
        ("visit", visit_uid),
    }


def test_the_case_file_holds_facts_history_pairings_visits_and_assistance(demo_db, tmp_path):
    with demo_db.reading() as session:
        from sqlalchemy import func, select

        uid, name, visits = session.execute(
            select(Child.uid, Child.name, func.count(Visit.id))
            .join(Visit, Visit.child_id == Child.id)
            .group_by(Child.id)
            .order_by(func.count(Visit.id).desc())
            .limit(1)
        ).one()
    exit_register(demo_db, uid, on=date(2026, 11, 20), reason="父母返乡", origin=ORIGIN)
    out = tmp_path / "case.pdf"
    result = run_to_end(jobs.case_file(demo_db, out, uid, options()))
    texts = page_texts(out)
    assert result.pages == len(texts) > 1
    text = "\n".join(texts)
    for heading in ("一人一档", "一、基本情况", "二、类别与状态变更", "三、爱心妈妈结对"):
        assert heading in text
    assert f"四、走访记录（共 {visits} 次）" in text
    assert "五、帮扶记录" in text
    assert name in texts[0] and all(f"{name} 的档案（续）" in t for t in texts[1:])
    assert "父母返乡" in text and "退出" in text


def test_the_case_file_lists_the_activities_the_child_took_part_in(demo_db, tmp_path):
    from sqlalchemy import func, select

    from carebook.storage.tables import ActivityChild

    with demo_db.reading() as session:
        uid, taken = session.execute(
            select(Child.uid, func.count())
            .join(ActivityChild, ActivityChild.child_id == Child.id)
            .group_by(Child.id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        titles = session.scalars(
            select(Activity.title)
            .join(ActivityChild, ActivityChild.activity_id == Activity.id)
            .join(Child, Child.id == ActivityChild.child_id)
            .where(Child.uid == uid)
        ).all()
        none_uid = session.scalar(
            select(Child.uid).where(~Child.id.in_(select(ActivityChild.child_id))).limit(1)
        )
    out = tmp_path / "case.pdf"
    run_to_end(jobs.case_file(demo_db, out, uid, options()))
    text = "\n".join(page_texts(out))
    assert f"六、参加活动（共 {taken} 次）" in text
    assert all(title in text for title in titles)
    run_to_end(jobs.case_file(demo_db, out, none_uid, options()))
    text = "\n".join(page_texts(out))
    assert "六、参加活动（共 0 次）" in text and "（尚未参加活动）" in text


def test_the_roster_of_a_village_is_landscape_with_everyone(demo_db, tmp_path):
    from pypdf import PdfReader

    village, children = _village_with_children(demo_db)
    out = tmp_path / "roster.pdf"
    result = run_to_end(jobs.roster(demo_db, out, options(), village=village))
    page = PdfReader(out).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = "\n".join(page_texts(out))
    # The title names the village's township too: village names recur across a county.
    assert re.search(f"寿阳县\\S+镇{village}留守儿童和困境儿童花名册", text)
    assert all(name in text for _u, name, _i in children)
    assert result.items == len(children)
    with pytest.raises(ServiceError, match="找不到村（社区）“没有这个村”"):
        run_to_end(jobs.roster(demo_db, out, options(), village="没有这个村"))


def test_the_due_list_names_who_is_due_and_overdue(demo_db, tmp_path):
    from carebook.services.schedule import DueQuery, due_children

    due = due_children(demo_db, today=TODAY, within_days=14)
    out = tmp_path / "due.pdf"
    query = DueQuery(TODAY, within_days=14)
    result = run_to_end(jobs.due_list(demo_db, out, options(), query))
    text = "\n".join(page_texts(out))
    assert result.items == len(due)
    assert "待走访儿童名单" in text and "走访人签字" in text
    assert all(d.name in text for d in due)
    overdue = sum(1 for d in due if d.days_overdue)
    assert f"其中逾期 {overdue} 名" in text


def test_the_sign_in_sheet_lists_the_activitys_children(demo_db, tmp_path):
    with demo_db.reading() as session:
        from sqlalchemy import select

        from carebook.storage.tables import ActivityChild

        activity_uid, title = session.execute(select(Activity.uid, Activity.title).limit(1)).one()
        names = session.scalars(
            select(Child.name)
            .join(ActivityChild, ActivityChild.child_id == Child.id)
            .join(Activity, Activity.id == ActivityChild.activity_id)
            .where(Activity.uid == activity_uid)
        ).all()
    out = tmp_path / "sign.pdf"
    result = run_to_end(jobs.sign_in(demo_db, out, activity_uid, options()))
    text = "\n".join(page_texts(out))
    assert f"{title} 签到表" in text and "签到（签字）" in text
    assert all(n in text for n in names) and result.items == len(names)
    with pytest.raises(NotFoundError):
        run_to_end(jobs.sign_in(demo_db, out, "0" * 32, options()))


def test_a_child_whose_uid_is_not_hex_is_found_through_the_print_log(demo_db, tmp_path):
    from sqlalchemy import update

    _village, children = _village_with_children(demo_db)
    old_uid = children[0][0]
    foreign = "XJ-2024-000123-from-another-system"
    with demo_db.transaction() as session:
        session.execute(update(Child).where(Child.uid == old_uid).values(uid=foreign))
    out = tmp_path / "s.pdf"
    ids = jobs.select_children(demo_db, keys=[foreign])
    run_to_end(jobs.visit_sheets(demo_db, out, ids, options()))
    code = re.search(r"走访表编码 (\S{4}-\S{4}-\S{4})", page_texts(out)[0]).group(1)
    assert jobs.resolve_sheet_code(demo_db, code) == foreign


def test_several_visits_print_together_each_numbered_on_its_own(demo_db, tmp_path):
    with demo_db.reading() as session:
        from sqlalchemy import select

        rows = session.execute(
            select(Visit.uid, Visit.visited_on, Child.name)
            .join(Child, Child.id == Visit.child_id)
            .limit(3)
        ).all()
    out = tmp_path / "records.pdf"
    result = run_to_end(jobs.visit_record(demo_db, out, [r[0] for r in rows], options()))
    texts = page_texts(out)
    assert result.items == 3 and result.pages == len(texts) >= 3
    for (_uid, visited_on, name), text in zip(rows, texts, strict=False):
        assert name in text and visited_on.isoformat() in text and "第 1 页" in text
    logged = {(e.entity, e.uid) for e in _prints(demo_db)}
    assert {("visit", r[0]) for r in rows} <= logged


def test_the_qr_code_scanned_off_the_printed_page_opens_its_child(demo_db, tmp_path):
    import subprocess

    _village, children = _village_with_children(demo_db)
    uid = children[1][0]
    out = tmp_path / "one.pdf"
    run_to_end(
        jobs.visit_sheets(demo_db, out, jobs.select_children(demo_db, keys=[uid]), options())
    )
    # 150 dpi: what a cheap scanner or a phone photo of the sheet gives.
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(out), str(tmp_path / "page")], check=True)
    (image,) = tmp_path.glob("page*.png")
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert scanned.startswith("CBZF:")
    assert jobs.resolve_sheet_code(demo_db, scanned) == uid


def test_a_name_the_font_cannot_print_is_boxed_and_the_worker_is_told(db, tmp_path):
    from carebook.printing.fonts import choose_font
    from carebook.printing.pagekit import Pen
    from carebook.services.children import register_child
    from tests.conftest import child_facts

    pen = Pen(None, choose_font().name)  # only asked which characters the font has
    rare = "".join(ch for ch in "𠮷䶮𪚥" if pen._glyphs is not None and ord(ch) not in pen._glyphs)
    uid = register_child(db, child_facts(name=f"王{rare or '小明'}"), today=TODAY).uid
    out = tmp_path / "档案.pdf"
    result = run_to_end(jobs.case_file(db, out, uid, options()))
    text = "\n".join(page_texts(out))
    if rare:  # an embedded TrueType font that lacks them (the CID font cannot be asked)
        assert f"王{'□' * len(rare)}" in text
        assert "手写补上" in result.font_note and rare[0] in result.font_note
    else:
        assert "王小明" in text and "手写" not in result.font_note


def test_each_print_entry_names_the_pdf_it_went_into(demo_db, tmp_path):
    # Who printed what is on the log; which file the children's data went into was not.
    village, children = _village_with_children(demo_db)
    ids = jobs.select_children(demo_db, village=village)
    run_to_end(jobs.visit_sheets(demo_db, tmp_path / "东村走访表.pdf", ids, options()))
    run_to_end(jobs.roster(demo_db, tmp_path / "花名册.pdf", options(), village=village))
    entries = _prints(demo_db)
    assert len(entries) == 2 * len(children)
    assert sum("东村走访表.pdf" in e.new_value for e in entries) == len(children)
    assert sum("花名册.pdf" in e.new_value for e in entries) == len(children)
