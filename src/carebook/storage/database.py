"""open_database(url): pragmas, a writer's lock, a backup before migrating, upgrade to head."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from carebook.i18n import tr
from carebook.paths import create_private_file, write_refused
from carebook.storage.errors import DatabaseDamagedError, StorageError
from carebook.storage.locking import DatabaseLock
from carebook.storage.migrate import (
    current_revision,
    head_revision,
    is_known_revision,
    upgrade_to_head,
)
from carebook.storage.server_errors import in_words, server_error

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10  # seconds a server gets to answer before the user is told


# SQLite's page cache, per connection. A reading (a page opening, a search, the statistics) gets
# 16 MB: at 100,000 children the statistics' several passes over the register's indexes took no
# longer than with 64 MB, and the window's peak was 50 MB lower. A transaction (an import, a
# merge, the demo) gets 64 MB: it looks children up by index while writing many new pages; so
# does the register's whole load (storage.memory.cache_whole_register: 6% faster with it).
READING_CACHE_KB = 16 * 1024
LARGE_CACHE_KB = 64 * 1024


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA journal_mode=WAL")
    # A corrected ID number or phone, a removed record: the old bytes are overwritten with
    # zeros, not left in free space where anyone with the file (or a backup of it) reads them.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute(f"PRAGMA cache_size=-{READING_CACHE_KB}")
    cursor.close()


def _release_page_cache(dbapi_connection, _record) -> None:
    """A unit of work is over: free the pages it cached, and size the cache for a reading again.

    Within one reading or transaction the cache serves repeated passes; kept after it, it held
    66 MB of a 100,000-child register in the window's process for good, while the next
    reading's pages come back from the operating system's file cache in milliseconds.
    """
    if dbapi_connection is None:  # invalidated: nothing is cached any more
        return
    with contextlib.suppress(sqlite3.Error):  # a closed or busy connection keeps its cache
        dbapi_connection.execute("PRAGMA shrink_memory")
        dbapi_connection.execute(f"PRAGMA cache_size=-{READING_CACHE_KB}")


class Database:
    """An open database: the engine, a session per unit of work, and the writer's lock."""

    def __init__(self, engine: Engine, lock: DatabaseLock | None) -> None:
        self.engine = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.closed = False

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def server(self) -> str:
        """host:port/database of a server database, for telling the user where the data lives."""
        url = self.engine.url
        return f"{url.host or 'localhost'}{f':{url.port}' if url.port else ''}/{url.database or ''}"

    @property
    def file(self) -> Path | None:
        if not self.is_sqlite or not self.engine.url.database:
            return None
        return Path(self.engine.url.database)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit when the block ends, roll back if it raises.

        A server that went away or refused is raised as a sentence (server_errors); any other
        error as it came.
        """
        with in_words(self.engine.url), self._sessions.begin() as session:
            if self.is_sqlite:
                # Until the connection goes back to the pool, where it is sized for reading.
                session.connection().exec_driver_sql(f"PRAGMA cache_size=-{LARGE_CACHE_KB}")
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; nothing it does is committed."""
        with in_words(self.engine.url), self._sessions() as session:
            yield session

    def close(self) -> None:
        self.closed = True
        if self._lock is not None and self.is_sqlite:
            _refresh_planner_statistics(self.engine)
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _refresh_planner_statistics(engine: Engine) -> None:
    """Sampled ANALYZE (milliseconds at 100,000 children) as the writer closes the file.

    Without statistics SQLite guesses, and at 100,000 children it guessed wrong: it read the
    register's first page through a covering index of every child instead of by id (30 ms at
    each start instead of 1). The sample keeps the cost flat however large the file grows.
    """
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA analysis_limit=1000")
            connection.exec_driver_sql("ANALYZE")
    except DatabaseError as error:  # a busy or read-only file: next time will do
        log.warning("planner statistics not refreshed: %s", error)


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database before SQLAlchemy gives a cryptic error."""
    if path.is_dir():
        raise StorageError(
            tr("{path} 是文件夹，请给出数据库文件的路径（如 {example}）。", path=path,
               example=path / "carebook.db")
        )  # fmt: skip
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise DatabaseDamagedError(
            tr("文件 {path} 不是关爱簿的数据库（不是 SQLite 文件）。", path=path)
        )


def backup_before_migration(path: Path, backups_dir: Path, revision: str | None) -> Path:
    """Copy the file aside with SQLite's backup API so a failed migration loses nothing."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"{path.stem}-before-migration-{revision or 'none'}-{stamp}.db"
    create_private_file(target)
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    return target


def open_database(
    url: str,
    *,
    backups_dir: Path | None = None,
    migrate: bool = True,
    read_only: bool = False,
    lock: DatabaseLock | None = None,
) -> Database:
    """Open (and create or upgrade) the database at url; SQLite files get pragmas and a lock.

    `lock`: the file's writer's lock, already held by the caller (a quick start took it before
    showing the first rows); it is kept, or released if opening fails.
    """
    if url.startswith("sqlite"):
        # Decoded as SQLAlchemy decodes it (%XX in a file name), or a folder named "50%25"
        # would be made beside the real "50%" one and the lock taken there.
        database = make_url(url).database if "///" in url else None
        path = Path(database) if database else None
        if path is not None:
            if read_only and not path.exists():
                raise StorageError(tr("数据库文件 {path} 不存在。", path=path))
            _check_sqlite_file(path)
            try:  # a folder on a CD or a read-only share: said in words, not as an errno
                path.parent.mkdir(parents=True, exist_ok=True)
                if not read_only:
                    # A new register is the owner's alone (its -wal and -shm take its mode).
                    create_private_file(path)
                if not read_only and lock is None:
                    lock = DatabaseLock(path)
                    lock.acquire()
            except OSError as exc:
                raise StorageError(write_refused(path, exc)) from None
        # hide_parameters: a failed statement's message (shown to the user, written to the log a
        # worker sends to support) would carry whole rows of children, ID numbers and phones.
        engine = create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkin", _release_page_cache)
    else:
        engine = _server_engine(url)
    try:
        if migrate and not read_only:
            _migrate(engine, backups_dir)
        elif current_revision(engine) != head_revision():
            raise StorageError(tr("数据库版本与程序不一致，请用可写方式打开一次以升级。"))
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        if lock:
            lock.release()
        said = server_error(exc, engine.url)
        if said is not None:
            raise said from exc
        raise DatabaseDamagedError(tr("无法打开数据库：{reason}", reason=exc.orig)) from exc
    except BaseException:
        engine.dispose()
        if lock:
            lock.release()
        raise
    return Database(engine, lock)


def _server_engine(url: str) -> Engine:
    """The engine for a server URL, or a clear message that never repeats the URL: a password
    written into it (with an unescaped @ or #, SQLAlchemy misreads the rest) would show."""
    try:
        parsed = make_url(url)
        # A server that cannot be reached (a laptop off the county's network) is said within
        # seconds: libpq alone waits for the system's TCP timeout, minutes on some networks.
        waits = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT}
        return create_engine(
            parsed, pool_pre_ping=True, hide_parameters=True, connect_args=waits
        )  # hide_parameters as for SQLite
    except (ArgumentError, ValueError, ImportError) as exc:
        log.warning("unusable database URL (%s)", type(exc).__name__)
        raise StorageError(
            tr(
                "数据库地址无法识别。PostgreSQL 的地址应写成 "
                "postgresql+psycopg://用户名@服务器:5432/数据库名；"
                "密码请写在 pgpass 密码文件里，不要写进地址。"
            )
        ) from None


def _migrate(engine: Engine, backups_dir: Path | None) -> None:
    revision = current_revision(engine)
    if revision == head_revision():
        return
    if revision is not None and not is_known_revision(revision):
        # A newer carebook upgraded it: on a county's server, another computer did.
        raise StorageError(
            tr(
                "这个数据库已由更新版本的关爱簿升级过（{rev}），请先把本机的关爱簿升级。",
                rev=revision,
            )
        )
    path = Path(engine.url.database) if engine.dialect.name == "sqlite" else None
    # Only a carebook database at an older revision holds data worth copying aside.
    if revision is not None and path is not None:
        folder = backups_dir or path.parent / "backups"
        saved = backup_before_migration(path, folder, revision)
        log.info("backed up %s to %s before migrating from %s", path, saved, revision)
    upgrade_to_head(engine)
    if path is not None:
        # New indexes have no statistics yet, and SQLite may prefer one that does not cover a
        # query over one that does (the statistics page took twice as long after 0008).
        _refresh_planner_statistics(engine)
