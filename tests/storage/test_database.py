"""open_database: pragmas, the writer's lock, migrations from the first revision, damaged files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from carebook.paths import database_url, sqlite_url
from carebook.storage.database import open_database
from carebook.storage.errors import DatabaseDamagedError, DatabaseInUseError, StorageError
from carebook.storage.migrate import current_revision, head_revision, upgrade_to
from carebook.storage.tables import Base

FIRST_REVISION = "0001"


def test_sqlite_pragmas_are_set(db) -> None:
    with db.engine.connect() as con:
        assert con.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert con.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert con.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert con.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_foreign_keys_are_enforced(db) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), db.engine.begin() as con:
        con.execute(
            text(
                "INSERT INTO child_categories (child_id, category, position) "
                "VALUES (999, '孤儿', 0)"
            )
        )


def test_models_and_migrations_agree(db) -> None:
    with db.engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
    assert diff == []


def test_second_writer_gets_a_clear_message(db, db_path: Path) -> None:
    with pytest.raises(DatabaseInUseError, match="正被另一个关爱簿程序使用"):
        open_database(f"sqlite:///{db_path}")


def test_reader_may_open_beside_the_writer(db, db_path: Path) -> None:
    reader = open_database(f"sqlite:///{db_path}", read_only=True)
    try:
        assert current_revision(reader.engine) == head_revision()
    finally:
        reader.close()


def test_lock_is_released_on_close(db_path: Path) -> None:
    open_database(f"sqlite:///{db_path}").close()
    open_database(f"sqlite:///{db_path}").close()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(DatabaseDamagedError, match="不是关爱簿的数据库"):
        open_database(f"sqlite:///{path}")


def test_read_only_open_of_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="不存在"):
        open_database(f"sqlite:///{tmp_path / 'missing.db'}", read_only=True)


def test_populated_first_revision_upgrades_to_head_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade_to(engine, FIRST_REVISION)
    now = datetime(2025, 1, 2, 3, 4, 5)
    with engine.begin() as con:
        con.execute(
            text(
                "INSERT INTO areas (id, level, name, code, parent_id) VALUES "
                "(1, 'township', '宗艾镇', '', NULL), (2, 'village', '东村', '', 1)"
            )
        )
        con.execute(
            text(
                "INSERT INTO children (id, uid, name, name_pinyin, name_initials, search_text, sex,"
                " ethnicity, id_number, birth_date, village_id, household_address, current_address,"
                " school, grade, boarding, health, disability_type, disability_grade, father_name,"
                " father_id_number, father_status, father_work_place, father_phone, mother_name,"
                " mother_id_number, mother_status, mother_work_place, mother_phone, guardian_name,"
                " guardian_relation, guardian_phone, guardian_id_number, guardian_health,"
                " guardianship_type, guardianship_assessment, support, help_measures, care_level,"
                " status, status_date, status_reason, registered_on, notes, last_visit_on,"
                " next_due_on, created_at, updated_at, deleted_at) VALUES (1, 'u1', '王小明', '',"
                " '', '', '男', '汉族', '110105201503120025', :birth, 2, '', '', '', '', 0, '',"
                " '', '', '', '', '', '', '', '', '', '', '', '', '张桂兰', '祖母', '13812345678',"
                " '', '', '', '', '', '', '一般', '在册', NULL, '', :reg, '', NULL, NULL, :now,"
                " :now, NULL)"
            ),
            {"birth": date(2015, 3, 12), "reg": date(2024, 5, 1), "now": now},
        )
        con.execute(
            text(
                "INSERT INTO child_categories (child_id, category, position) VALUES (1, '孤儿', 0)"
            )
        )
    engine.dispose()

    backups = tmp_path / "backups"
    database = open_database(f"sqlite:///{path}", backups_dir=backups)
    try:
        assert current_revision(database.engine) == head_revision()
        with database.engine.connect() as con:
            # Statistics at once, new indexes included: without them SQLite chose the due
            # list's index for the statistics page's counts and read every child's row.
            analysed = con.execute(text("SELECT idx FROM sqlite_stat1")).scalars().all()
            assert {"ix_children_due", "ix_children_figures"} <= set(analysed)
            row = con.execute(
                text("SELECT name, id_number, guardian_phone FROM children WHERE uid = 'u1'")
            ).one()
            assert tuple(row) == ("王小明", "110105201503120025", "13812345678")
            assert con.execute(text("SELECT category FROM child_categories")).scalar() == "孤儿"
    finally:
        database.close()
    if head_revision() != FIRST_REVISION:
        assert list(backups.glob("old-before-migration-0001-*.db")), "no backup before migrating"


def test_backup_is_taken_before_a_migration(tmp_path: Path) -> None:
    path = tmp_path / "stale.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade_to(engine, FIRST_REVISION)
    with engine.begin() as con:
        # Pretend the file is at an older revision than this program knows.
        con.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    from carebook.storage.database import backup_before_migration

    saved = backup_before_migration(path, tmp_path / "b", "0001")
    assert saved.exists() and saved.stat().st_size > 0


def test_revision_graph_read_from_files_matches_alembic() -> None:
    from alembic.script import ScriptDirectory

    from carebook.storage.migrate import alembic_config, revision_graph

    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [head_revision()]
    assert {r.revision: r.down_revision for r in script.walk_revisions()} == revision_graph()


def test_opening_a_current_database_does_not_import_alembic(db_path: Path) -> None:
    import subprocess
    import sys

    open_database(f"sqlite:///{db_path}").close()
    code = (
        "import sys\n"
        "from carebook.storage.database import open_database\n"
        f"open_database('sqlite:///{db_path}').close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_closing_the_writer_leaves_planner_statistics(demo_db) -> None:
    """Without statistics SQLite read the first page through an index of every child."""
    import sqlite3

    from carebook.storage import register_sql

    path = demo_db.file
    demo_db.close()
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        stats = connection.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'children'")
        assert stats.fetchone()[0] > 0
        ids = register_sql.first_child_ids(connection, 20)
        sql = register_sql._ROWS_SQL + register_sql._id_filter("c.id", ids)
        plan = " | ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SEARCH c USING INTEGER PRIMARY KEY" in plan, plan
    finally:
        connection.close()


def test_a_read_only_open_writes_no_statistics(db_path: Path, isolated_home: Path) -> None:
    open_database(f"sqlite:///{db_path}", backups_dir=isolated_home / "b").close()
    import sqlite3

    connection = sqlite3.connect(db_path)
    connection.execute("DROP TABLE sqlite_stat1")
    connection.commit()
    connection.close()
    reader = open_database(f"sqlite:///{db_path}", read_only=True)
    reader.close()
    connection = sqlite3.connect(db_path)
    found = connection.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
    assert found.fetchall() == []
    connection.close()


@pytest.mark.parametrize("folder", ["用户 张三", "50% 进度", "a%20b"])
def test_a_file_under_a_chinese_or_percent_folder_opens_and_migrates(
    tmp_path: Path, folder: str
) -> None:
    """Windows user folders are often Chinese; the URL carries them as %XX, which Alembic's
    configuration once read as placeholders and refused."""
    path = tmp_path / folder / "关爱簿.db"
    path.parent.mkdir()
    engine = create_engine(sqlite_url(path))
    upgrade_to(engine, FIRST_REVISION)
    engine.dispose()
    database = open_database(database_url(str(path)), backups_dir=tmp_path / "备份")
    try:
        assert current_revision(database.engine) == head_revision()
        assert database.file == path
        # Nothing made anywhere but beside the file (once a "50%25" folder held the lock).
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([folder, "备份"])
    finally:
        database.close()
    from carebook.services.quick_start import abandon, quick_start

    start = quick_start(path)
    assert start is not None and start.rows == []
    abandon(start)


@pytest.mark.parametrize("name", ["关爱簿.db", "a%20b.db", "50% 进度/x.db", "a b.db"])
def test_a_files_url_leads_back_to_the_file(tmp_path: Path, name: str) -> None:
    from sqlalchemy.engine import make_url

    from carebook.paths import sqlite_file

    path = tmp_path / name
    url = sqlite_url(path)
    assert make_url(url).database == str(path)
    assert sqlite_file(url) == path
    assert sqlite_file("postgresql://u@h/db") is None


@pytest.mark.parametrize(
    "url",
    [
        # a password with @ # : written into the URL unescaped: SQLAlchemy misreads the port
        "postgresql+psycopg://carebook:Xq7@k#p2:w@192.0.2.1:5432/carebook",
        "postgres://carebook@192.0.2.1:5432/carebook",  # not a dialect SQLAlchemy knows
        "postgresql+nodriver://carebook@192.0.2.1/carebook",
    ],
)
def test_an_unusable_server_url_gets_a_message_without_the_password(url: str) -> None:
    with pytest.raises(StorageError, match=r"^数据库地址无法识别") as caught:
        open_database(url)
    assert "Xq7" not in str(caught.value) and "192.0.2.1" not in str(caught.value)


def test_a_failed_statement_does_not_carry_the_childs_data(db) -> None:
    # Errors are shown to the user and logged; the log goes to whoever helps with a problem.
    with pytest.raises(IntegrityError) as caught, db.transaction() as session:
        session.execute(
            text("INSERT INTO children (name, id_number) VALUES (:name, :id_number)"),
            {"name": "王小明", "id_number": "140725201301016011"},
        )
    assert "140725201301016011" not in str(caught.value)
    assert "王小明" not in str(caught.value)


def test_a_database_a_newer_carebook_upgraded_gets_a_clear_message(db_path: Path) -> None:
    open_database(sqlite_url(db_path)).close()
    engine = create_engine(sqlite_url(db_path))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(StorageError, match=r"^这个数据库已由更新版本的关爱簿升级过（0099）"):
        open_database(sqlite_url(db_path))


def test_a_folder_or_an_unwritable_place_is_refused_in_words(tmp_path):
    from carebook.storage.database import open_database
    from carebook.storage.errors import StorageError

    with pytest.raises(StorageError, match="是文件夹，请给出数据库文件的路径"):
        open_database(f"sqlite:///{tmp_path}")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="无法写入") as refused:
        open_database(f"sqlite:///{blocker / 'carebook.db'}")
    assert "Errno" not in str(refused.value)
