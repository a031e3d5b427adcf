"""The same program on PostgreSQL: migrations, services, statistics and the demo by URL."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from carebook.services.assistance import AssistanceFilter, ledger_page, ledger_summary
from carebook.services.children import (
    exit_register,
    find_by_id_number,
    get_child,
    register_child,
    update_child,
)
from carebook.services.demo import build_demo
from carebook.services.errors import DuplicateChildError
from carebook.services.ledger_import import ImportOptions, apply_import, build_plan
from carebook.services.progress import run_to_end
from carebook.services.schedule import due_children, paired_volunteers
from carebook.services.statistics import period_figures
from carebook.services.stats import register_stats
from carebook.services.visits import list_visits
from carebook.storage.database import open_database
from carebook.storage.errors import StorageError
from carebook.storage.import_queries import fingerprinted_children
from tests.conftest import TODAY, child_facts
from tests.exchange.builders import child_id, ledger_rows, write_csv
from tests.services.county_helpers import Clerk, export, merge
from tests.storage.postgres_server import postgres_cluster

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url():
    # Not under pytest's tmp dir: that is private to root, and the cluster runs as "postgres".
    folder = Path(tempfile.mkdtemp(prefix="carebook-pg-"))
    try:
        with postgres_cluster(folder) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_services_and_figures_work_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    db = open_database(pg_url, backups_dir=tmp_path)
    try:
        record = register_child(db, child_facts(), today=TODAY)
        with pytest.raises(DuplicateChildError):
            register_child(db, child_facts(name="重复"), today=TODAY)
        update_child(db, record.uid, child_facts(school="宗艾小学"), today=TODAY)
        exit_register(db, record.uid, on=TODAY, reason="迁出")
        run_to_end(build_demo(db, children=80, seed=5, today=TODAY))
        stats = register_stats(db)
        assert stats.total == 81 and stats.exited >= 1
        assert due_children(db, today=TODAY, within_days=None)
        figures = period_figures(db, date(2026, 1, 1), date(2026, 12, 31), today=TODAY)
        assert figures.visits_in_period > 0 and 0 < figures.pairing_coverage <= 1
        # The 走访 page's queries: the newest visits (read down the date index), a search,
        # and the volunteers paired in the county.
        newest = list_visits(db, start=date(2025, 1, 1), limit=50)
        assert len(newest) == 50
        assert newest == sorted(newest, key=lambda v: v.visited_on, reverse=True)
        name = newest[0].child_name
        assert {v.child_name for v in list_visits(db, search=name)} >= {name}
        volunteers = paired_volunteers(db)
        assert volunteers and due_children(
            db, today=TODAY, within_days=None, volunteer_uid=volunteers[0].uid
        )
        # The 帮扶 page's figures, summed in SQL (months from the date's text, fen as integers).
        wanted = AssistanceFilter(start=date(2025, 1, 1), end=TODAY)
        summary = ledger_summary(db, wanted)
        every = ledger_page(db, wanted)
        assert summary.records == len(every) > 0
        assert summary.total_value == sum((r.value_yuan or 0 for r in every), Decimal(0))
        assert sum(t.records for t in summary.by_month) == summary.records
        assert all(len(t.key) == 7 and t.key[4] == "-" for t in summary.by_month)
        assert ledger_page(db, wanted, limit=3, sort=("value_yuan", True))[0].value_yuan == max(
            r.value_yuan or 0 for r in every
        )
    finally:
        db.close()


def test_reopening_postgresql_runs_no_migration_and_backups_say_use_pg_dump(
    pg_url: str, tmp_path: Path
) -> None:
    from carebook.storage.maintenance import backup_to, check_open

    db = open_database(pg_url, backups_dir=tmp_path)
    try:
        with pytest.raises(StorageError, match="pg_dump"):
            backup_to(db, tmp_path / "x.db")
        with pytest.raises(StorageError, match=r"^检查数据库只适用于本机 SQLite"):
            check_open(db)
    finally:
        db.close()


@pytest.fixture
def empty_pg_url(pg_url: str) -> str:
    """A database of its own in the shared cluster: these tests count what they wrote."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{pg_url.rsplit('/', 1)[0]}/{name}"


def _import(db, path: Path, tmp_path: Path):
    options = ImportOptions(township="宗艾镇", today=TODAY)
    plan = run_to_end(build_plan(db, path, options))
    result = run_to_end(apply_import(db, plan, backups_dir=tmp_path, today=TODAY))
    return plan, result


def test_ledger_import_and_re_import_on_postgresql(empty_pg_url: str, tmp_path: Path) -> None:
    db = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        ledger = write_csv(tmp_path / "留守儿童台账.csv", ledger_rows(30))
        plan, result = _import(db, ledger, tmp_path)
        assert dict(plan.counts) == {"create": 30} and not plan.errors
        assert result.backup is None  # a server database is backed up with pg_dump
        # The rows' fingerprints were saved, so the same file again skips its checks.
        with db.reading() as session:
            remembered = fingerprinted_children(session, [child_id(n) for n in (1, 2)], TODAY)
        assert sorted(remembered) == sorted([child_id(1), child_id(2)])
        again, _ = _import(db, ledger, tmp_path)
        assert dict(again.counts) == {"unchanged": 30}
        rows = ledger_rows(30)
        rows[4][6] = "王秀英"  # 监护人 of the fifth child
        changed, _ = _import(db, write_csv(tmp_path / "改.csv", rows), tmp_path)
        assert dict(changed.counts) == {"update": 1, "unchanged": 29}
        uid = find_by_id_number(db, child_id(5))
        assert uid is not None and get_child(db, uid).facts.guardian_name == "王秀英"
        # Imported children went in with ids of their own; one registered by hand still gets
        # a free id (PostgreSQL's sequence was moved past them).
        record = register_child(db, child_facts(), today=TODAY)
        assert get_child(db, record.uid).facts.name == child_facts().name
    finally:
        db.close()


def test_county_workbook_round_trip_on_postgresql(empty_pg_url: str, tmp_path: Path) -> None:
    db = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        run_to_end(build_demo(db, children=20, seed=7, today=TODAY))
        record = register_child(db, child_facts(), today=TODAY)  # after the demo's bulk ids
        path = tmp_path / "county.xlsx"
        export(db, path)
        clerk = Clerk(path)
        clerk.set("儿童", record.uid, "就读学校", "宗艾镇中心小学")
        clerk.save()
        _plan, result = merge(db, path, backups_dir=tmp_path)
        assert (result.updated, result.created, result.errors) == (1, 0, [])
        assert result.backup is None
        assert get_child(db, record.uid).facts.school == "宗艾镇中心小学"
    finally:
        db.close()


def test_every_page_opens_on_postgresql_and_says_where_the_data_is(
    empty_pg_url: str, tmp_path: Path, qtbot
) -> None:
    from carebook.gui.main_window import MainWindow
    from carebook.services.workspace import Workspace, load_app_settings

    db = open_database(empty_pg_url, backups_dir=tmp_path)
    run_to_end(build_demo(db, children=30, seed=2, today=TODAY))
    paths, settings = load_app_settings()
    window = MainWindow(Workspace(paths, settings, db))
    qtbot.addWidget(window)
    try:
        window.show()
        page = window.page("children")
        qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
        for spec in window.specs:
            assert window.show_page(spec.key) is not None, spec.key
        message = window.statusBar().currentMessage()
        assert "数据库服务器 127.0.0.1" in message and "本机" not in message
    finally:
        window.close()
        db.close()


def test_two_imports_at_once_on_postgresql_both_go_in(empty_pg_url: str, tmp_path: Path) -> None:
    """Two computers importing into the county's server at the same moment: the second waits."""
    import threading

    first_db = open_database(empty_pg_url, backups_dir=tmp_path)
    second_db = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        options = ImportOptions(township="宗艾镇", today=TODAY)
        first = write_csv(tmp_path / "一村.csv", ledger_rows(30))
        second = write_csv(tmp_path / "二村.csv", ledger_rows(30, start=31))
        plan = run_to_end(build_plan(first_db, first, options))
        job = apply_import(first_db, plan, backups_dir=tmp_path, today=TODAY)
        next(job)  # the backup step (none on a server)
        next(job)  # the rows are written, the transaction still open
        outcome: list[object] = []

        def second_computer() -> None:
            try:
                other = run_to_end(build_plan(second_db, second, options))
                run_to_end(apply_import(second_db, other, backups_dir=tmp_path, today=TODAY))
                outcome.append(dict(other.counts))
            except Exception as exc:  # the test reports what went wrong
                outcome.append(exc)

        worker = threading.Thread(target=second_computer)
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive()  # waiting for the first import to finish
        with pytest.raises(StopIteration):
            while True:
                next(job)
        worker.join(timeout=60)
        assert outcome == [{"create": 30}]
        assert register_stats(first_db).total == 60
        record = register_child(first_db, child_facts(), today=TODAY)  # ids still free after
        assert find_by_id_number(first_db, child_facts().id_number) == record.uid
    finally:
        first_db.close()
        second_db.close()


def test_a_lost_connection_is_one_sentence_and_writes_nothing(empty_pg_url: str, tmp_path) -> None:
    """The server drops the connection in the middle of a unit of work (restarted, cable out):
    the worker reads one Chinese sentence, the half-done work is gone, the next one works."""
    import psycopg
    from sqlalchemy import func, select, text

    from carebook.storage.server_errors import ServerUnavailableError
    from carebook.storage.tables import Area

    db = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        with pytest.raises(ServerUnavailableError) as raised, db.transaction() as session:
            session.add(Area(name="断线村", level="village"))
            session.flush()
            pid = session.scalar(text("SELECT pg_backend_pid()"))
            with psycopg.connect(empty_pg_url.replace("+psycopg", ""), autocommit=True) as c:
                c.execute("SELECT pg_terminate_backend(%s)", (pid,))
            session.execute(select(1))
        message = str(raised.value)
        assert message.startswith("连不上数据库服务器 127.0.0.1:") and "没有完成" in message
        assert "psycopg" not in message and "server" not in message
        with db.reading() as session:  # a new connection; nothing of the lost work is there
            assert session.scalar(select(func.count()).where(Area.name == "断线村")) == 0
    finally:
        db.close()


def test_a_server_that_is_not_there_or_refuses_is_said_in_chinese(pg_url: str, tmp_path) -> None:
    from carebook.storage.server_errors import ServerUnavailableError

    base = pg_url.rsplit("/", 1)[0]
    with pytest.raises(StorageError, match=r"^数据库服务器 .* 上没有名为 nosuchdb 的数据库"):
        open_database(f"{base}/nosuchdb", backups_dir=tmp_path)
    with pytest.raises(StorageError, match=r"^数据库服务器 .* 上没有用户 nobody"):
        open_database(pg_url.replace("carebook@", "nobody@"), backups_dir=tmp_path)
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ServerUnavailableError, match=r"^连不上数据库服务器 127.0.0.1:"):
        open_database(f"postgresql+psycopg://carebook@127.0.0.1:{port}/x", backups_dir=tmp_path)


def test_two_computers_registering_one_child_at_once_get_the_duplicate_message(
    empty_pg_url: str, tmp_path: Path
) -> None:
    """Both check the ID number before either has saved: the slower one is told the child is
    already registered (and which one), as if it had checked after, not an SQL error."""
    import threading

    dbs = [open_database(empty_pg_url, backups_dir=tmp_path) for _ in range(2)]
    together = threading.Barrier(2)
    outcome: list[object] = []

    def computer(n: int) -> None:
        together.wait()
        try:
            outcome.append(register_child(dbs[n], child_facts(name=f"同时{n}"), today=TODAY))
        except Exception as exc:  # the test looks at what each got
            outcome.append(exc)

    try:
        workers = [threading.Thread(target=computer, args=(n,)) for n in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
        saved = [o for o in outcome if not isinstance(o, Exception)]
        refused = [o for o in outcome if isinstance(o, Exception)]
        assert len(saved) >= 1 and len(saved) + len(refused) == 2
        for error in refused:  # most runs: they met; the check alone refuses the rest
            assert isinstance(error, DuplicateChildError), error
            assert error.existing_uid == saved[0].uid and "不能重复登记" in str(error)
        assert register_stats(dbs[0]).total == 1
    finally:
        for db in dbs:
            db.close()


def test_backup_of_a_server_is_a_carebook_file_and_restore_refuses(
    empty_pg_url: str, tmp_path: Path
) -> None:
    """备份 on a county server copies its data, as of one moment, into a carebook file on this
    computer that opens and checks like any other; 从备份恢复 refuses in words."""
    from carebook.services.audit import Origin
    from carebook.services.audit_log import LogFilter, log_lines
    from carebook.services.backup import backup_job, restore_backup
    from carebook.services.errors import ServiceError
    from carebook.storage.maintenance import check_file

    db = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        run_to_end(build_demo(db, children=40, seed=3, today=TODAY))
        job = backup_job(db, tmp_path / "backups", origin=Origin("李主任", "窗口"))
        first = next(job)
        assert first.total > 40 and first.done == 0
        path = run_to_end(job)
        assert path.parent == tmp_path / "backups" and not list(path.parent.glob("*.part"))
        assert check_file(path).ok
        with open_database(f"sqlite:///{path}", backups_dir=tmp_path) as copy:
            assert register_stats(copy) == register_stats(db)
            due = due_children(db, today=TODAY, within_days=None)
            assert due and due_children(copy, today=TODAY, within_days=None) == due
            assert get_child(copy, due[0].uid) == get_child(db, due[0].uid)
        logged = log_lines(db, LogFilter(action="backup"))
        assert [(line.actor, line.new_value) for line in logged] == [("李主任", str(path))]
        with pytest.raises(ServiceError, match=r"^数据保存在县里的数据库服务器上，不能从本机恢复"):
            restore_backup(db, path, tmp_path)
    finally:
        db.close()


def test_settings_on_a_server_backs_up_to_a_file_and_says_why_restore_is_off(
    empty_pg_url: str, tmp_path: Path, qtbot, monkeypatch
) -> None:
    import sqlite3

    from carebook.gui.pages import settings_page
    from carebook.services.workspace import Workspace, load_app_settings

    db = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        register_child(db, child_facts(), today=TODAY)
        paths, settings = load_app_settings()
        page = settings_page.SettingsPage(Workspace(paths, settings, db))
        qtbot.addWidget(page)
        assert not page.restore_button.isEnabled()
        assert "不能从本机恢复" in page.restore_button.toolTip()
        assert "数据库服务器 127.0.0.1" in page.server_note.text()
        target = tmp_path / "U盘" / "县里的数据.db"
        monkeypatch.setattr(
            settings_page.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "")
        )
        notes: list[str] = []
        monkeypatch.setattr(
            settings_page.QMessageBox, "information", lambda _p, _t, text: notes.append(text)
        )
        page.backup_button.click()
        qtbot.waitUntil(lambda: bool(notes), timeout=20000)
        assert str(target) in notes[0]
        names = sqlite3.connect(target).execute("SELECT name FROM children").fetchall()
        assert names == [(child_facts().name,)]
    finally:
        db.close()


def test_searches_ignore_case_on_postgresql_as_on_sqlite(empty_pg_url: str, tmp_path) -> None:
    """SQLite's LIKE ignores the case of Latin letters, PostgreSQL's does not: a team or work
    unit typed as "Sunshine" is found by "sunshine" on both; pinyin and ID x alike."""
    from carebook.domain.records import VolunteerFacts
    from carebook.services.volunteers import find_volunteers, list_volunteers, register_volunteer

    db = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        register_volunteer(
            db,
            VolunteerFacts(
                name="刘秀英", phone="13900001111", team_name="Sunshine志愿队", work_unit="ABC公司"
            ),
        )
        for term in ("sunshine", "SUNSHINE", "abc公司"):
            assert [v.name for v in list_volunteers(db, search=term)] == ["刘秀英"], term
        assert [m.name for m in find_volunteers(db, "SunShine").rows] == ["刘秀英"]
        assert [m.name for m in find_volunteers(db, "LXY").rows] == ["刘秀英"]
        from carebook.domain.id_numbers import make_id

        with_x = next(
            n for n in (make_id("140702", date(2016, 3, 1), i) for i in range(100)) if n[-1] == "X"
        )
        record = register_child(db, child_facts(id_number=with_x.lower()), today=TODAY)
        assert find_by_id_number(db, with_x.lower()) == record.uid
        assert get_child(db, record.uid).facts.id_number == with_x
    finally:
        db.close()


def test_two_computers_logging_visits_to_one_child_leave_the_right_due_date(
    empty_pg_url: str, tmp_path: Path
) -> None:
    """Each recomputed the child's last visit from the visits it could see; the one committing
    last could leave the earlier date (and due date) behind: one in four tries, unlocked."""
    import threading

    from carebook.domain.id_numbers import make_id
    from carebook.services.visits import VisitInput, log_visit

    dbs = [open_database(empty_pg_url, backups_dir=tmp_path) for _ in range(2)]
    days = (date(2026, 11, 1), date(2026, 11, 20))
    try:
        for n in range(10):
            number = make_id("140702", date(2016, 3, 1), n)
            uid = register_child(dbs[0], child_facts(id_number=number), today=TODAY).uid
            together = threading.Barrier(2)
            failures: list[Exception] = []

            def computer(i: int, uid: str = uid, together=together, failures=failures) -> None:
                together.wait()
                try:
                    visit = VisitInput(visited_on=days[i], visitor_name="王芳")
                    log_visit(dbs[i], [uid], visit, today=TODAY)
                except Exception as exc:  # the test reports it
                    failures.append(exc)

            workers = [threading.Thread(target=computer, args=(i,)) for i in range(2)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=30)
            assert failures == []
            assert get_child(dbs[1], uid).last_visit_on == days[1], n
    finally:
        for db in dbs:
            db.close()


def test_the_register_shows_children_another_computer_was_still_importing(
    empty_pg_url: str, tmp_path: Path
) -> None:
    """An import's rows carry the time it began. The register read while it ran (not yet
    committed) and asked afterwards for rows changed since reading: the imported children were
    older than that, and never showed until the program was restarted."""
    from carebook.services.register_search import RegisterIndex

    here = open_database(empty_pg_url, backups_dir=tmp_path)
    there = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        register_child(here, child_facts(), today=TODAY)
        options = ImportOptions(township="宗艾镇", today=TODAY)
        plan = run_to_end(
            build_plan(there, write_csv(tmp_path / "村.csv", ledger_rows(30)), options)
        )
        job = apply_import(there, plan, backups_dir=tmp_path, today=TODAY)
        next(job)
        next(job)  # the rows are written, not yet committed
        index = RegisterIndex(here, today=TODAY)
        assert index.load() == 1
        with pytest.raises(StopIteration):
            while True:
                next(job)
        assert index.refresh()
        assert index.size == 31
    finally:
        here.close()
        there.close()


@pytest.fixture
def chinese_pg_url(pg_url: str) -> str:
    """A database of its own set up as a Chinese county's server often is: text sorted by the
    zh locale's rules (pinyin, spaces ignored) instead of by code point as SQLite does."""
    import psycopg

    name = f"zh_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(
            f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'zh' "
            "LOCALE 'C.UTF-8'"
        )
    return f"{pg_url.rsplit('/', 1)[0]}/{name}"


def test_figures_and_sorted_lists_come_out_as_on_sqlite(
    chinese_pg_url: str, tmp_path: Path
) -> None:
    """The same county on a Chinese-sorting server and in a SQLite copy: the statistics
    tables, the due list in its own order and sorted by 上次走访 (the never-visited at the
    same end), by name (pinyin), village and volunteer, the places and the register's first
    page read the same."""
    from carebook.services.backup import backup_job
    from carebook.services.care_figures import figure_tables, overview
    from carebook.services.register_search import RegisterIndex, all_places
    from carebook.services.schedule import DueQuery, due_page

    db = open_database(chinese_pg_url, backups_dir=tmp_path)
    try:
        run_to_end(build_demo(db, children=120, seed=11, today=TODAY))
        copy_path = run_to_end(backup_job(db, tmp_path, dest=tmp_path / "copy.db"))
        with open_database(f"sqlite:///{copy_path}", backups_dir=tmp_path) as copy:
            start, end = date(2026, 1, 1), date(2026, 12, 31)
            assert figure_tables(overview(db, start, end, today=TODAY)) == figure_tables(
                overview(copy, start, end, today=TODAY)
            )
            query = DueQuery(today=TODAY, within_days=None)
            sorts = [("last_visit", False), ("last_visit", True), ("name", False)]
            for sort in [None, *sorts, ("village", False), ("volunteer", True)]:
                server = due_page(db, query, limit=1000, sort=sort)
                assert any(r.last_visit is None for r in server), "the demo has never-visited"
                assert server == due_page(copy, query, limit=1000, sort=sort), sort
            assert all_places(db) == all_places(copy)
            first = [r.id for r in RegisterIndex(db, today=TODAY).preview(30)]
            assert first == [r.id for r in RegisterIndex(copy, today=TODAY).preview(30)]
    finally:
        db.close()


def test_the_same_ledger_imported_on_two_computers_at_once_goes_in_once(
    empty_pg_url: str, tmp_path: Path
) -> None:
    """Both planned "30 new" before either wrote. The second checked again before waiting for
    the first, so it inserted the same ID numbers: an English SQL error showing a child's full
    ID number. Now it waits, then finds the 30 children there, unchanged."""
    import threading

    first_db = open_database(empty_pg_url, backups_dir=tmp_path)
    second_db = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        options = ImportOptions(township="宗艾镇", today=TODAY)
        ledger = write_csv(tmp_path / "同一本.csv", ledger_rows(30))
        plan = run_to_end(build_plan(first_db, ledger, options))
        other = run_to_end(build_plan(second_db, ledger, options))
        job = apply_import(first_db, plan, backups_dir=tmp_path, today=TODAY)
        next(job)
        next(job)  # written, not yet committed
        outcome: list[object] = []

        def second_computer() -> None:
            try:
                run_to_end(apply_import(second_db, other, backups_dir=tmp_path, today=TODAY))
                outcome.append(dict(other.counts))
            except Exception as exc:  # the test reports what went wrong
                outcome.append(exc)

        worker = threading.Thread(target=second_computer)
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive()
        with pytest.raises(StopIteration):
            while True:
                next(job)
        worker.join(timeout=60)
        assert outcome == [{"unchanged": 30}]
        assert register_stats(first_db).total == 30
    finally:
        first_db.close()
        second_db.close()


def test_a_bulk_insert_that_collides_is_a_sentence_without_the_values(
    empty_pg_url: str, tmp_path: Path
) -> None:
    """COPY runs on the driver's own cursor: its error came out raw (English, with the row's
    ID number in its DETAIL line) instead of as the sentence other statements give."""
    from carebook.storage.bulk import insert_rows
    from carebook.storage.server_errors import TakenMeanwhileError

    db = open_database(empty_pg_url, backups_dir=tmp_path)
    try:
        record = register_child(db, child_facts(), today=TODAY)
        row = {"uid": "f" * 32, "name": "重复", "id_number": child_facts().id_number}
        row |= {"registered_on": TODAY, "created_at": record.created_at}
        row |= {"updated_at": record.created_at, "status": "在册"}
        with pytest.raises(TakenMeanwhileError) as raised, db.transaction() as session:
            insert_rows(session, "children", [row])
        assert raised.value.constraint == "uq_children_id_number"
        assert child_facts().id_number not in str(raised.value)
        assert register_stats(db).total == 1
    finally:
        db.close()
