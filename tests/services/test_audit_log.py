"""The whole audit log: every kind of entry, newest first, named, filtered, with IDs masked."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from carebook.domain.records import VolunteerFacts
from carebook.services.audit import Origin
from carebook.services.audit_log import (
    LogFilter,
    action_choices,
    action_label,
    count_entries,
    log_lines,
)
from carebook.services.children import register_child, reveal, update_child
from carebook.services.places import add_my_villages
from carebook.services.volunteers import register_volunteer
from carebook.storage.tables import AuditEntry
from tests.conftest import child_facts

LI = Origin("李主任", "手工录入")
WANG = Origin("王督导", "手工录入")


def _log_some_work(db) -> str:
    record = register_child(db, child_facts(), origin=LI)
    update_child(db, record.uid, child_facts(school="东村小学"), origin=LI)
    reveal(db, record.uid, "id_number", origin=WANG)
    register_volunteer(db, VolunteerFacts(name="刘秀英", phone="13900001111"), origin=WANG)
    add_my_villages(db, "宗艾镇", ["西村"], LI)
    return record.uid


def test_every_entry_newest_first_with_whom_it_is_about(db):
    _log_some_work(db)
    lines = log_lines(db)
    assert count_entries(db) == len(lines) == 5
    assert [line.action for line in lines] == ["登记", "登记", "查看完整号码", "修改", "登记"]
    assert [line.actor for line in lines] == ["李主任", "王督导", "王督导", "李主任", "李主任"]
    # The child and the volunteer are named as they are called now; other records by kind.
    assert lines[1].subject == "爱心妈妈 刘秀英"
    assert lines[2].subject == lines[4].subject == "儿童 张子涵"
    assert lines[0].subject == "村（社区）"
    assert (lines[3].field, lines[3].new_value) == ("就读学校", "东村小学")
    assert lines[2].field == "公民身份号码"


def test_the_log_never_shows_a_full_id_number(db):
    uid = _log_some_work(db)
    update_child(db, uid, child_facts(id_number="110105201503120041"), origin=LI)
    shown = " ".join(
        f"{line.old_value} {line.new_value} {line.subject} {line.field}" for line in log_lines(db)
    )
    assert "110105201503120025" not in shown and "110105201503120041" not in shown
    assert "110105********0025" in shown


def test_filters_by_action_words_and_days(db):
    uid = _log_some_work(db)
    reveals = LogFilter(action="reveal")
    assert count_entries(db, reveals) == 1
    assert [line.actor for line in log_lines(db, reveals)] == ["王督导"]
    # Words match the worker, the values, the source, and the child's or volunteer's name.
    assert count_entries(db, LogFilter(text="王督导")) == 2
    assert count_entries(db, LogFilter(text="张子")) == 3
    assert count_entries(db, LogFilter(text="刘秀")) == 1
    assert count_entries(db, LogFilter(text="东村小学")) == 1
    # One record's entries, one worker's entries (exactly that name, not a part of it).
    assert count_entries(db, LogFilter(uid=uid)) == 3
    assert count_entries(db, LogFilter(uid=uid, actor="王督导")) == 1
    assert count_entries(db, LogFilter(actor="王督")) == 0
    # LIKE's wildcards are plain characters here.
    assert count_entries(db, LogFilter(text="%")) == 0
    assert count_entries(db, LogFilter(text="_")) == 0
    # An entry written yesterday is in a span ending yesterday, and not in one starting today.
    with db.transaction() as session:
        entry = session.query(AuditEntry).filter(AuditEntry.action == "reveal").one()
        entry.at = datetime.now() - timedelta(days=1)
    today = date.today()
    yesterday = today - timedelta(days=1)
    assert count_entries(db, LogFilter(start=yesterday, end=yesterday)) == 1
    assert count_entries(db, LogFilter(start=today, end=today)) == 4
    assert count_entries(db, LogFilter("reveal", today, today, "")) == 0


def test_pages_follow_on_without_gaps(db):
    record = register_child(db, child_facts(), origin=LI)
    for n in range(7):
        reveal(db, record.uid, "guardian_phone", origin=Origin(f"人{n}"))
    first = log_lines(db, offset=0, limit=3)
    rest = log_lines(db, offset=3, limit=10)
    assert [line.actor for line in first + rest] == [
        *(f"人{n}" for n in range(6, -1, -1)),
        "李主任",
    ]


def test_action_words_and_choices():
    assert action_label("export") == "导出"
    assert action_label("新增") == "登记"  # what an early version wrote for new villages
    assert action_label("something-new") == "something-new"
    keys = [key for _label, key in action_choices()]
    assert "reveal" in keys and "print" in keys and "新增" not in keys
