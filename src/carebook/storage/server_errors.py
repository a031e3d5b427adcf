"""A database server's failures (not running, unreachable, refused, lost) as one Chinese sentence.

psycopg reports them in libpq's English (or the server's own language) with the host, port and
a hint for programmers; a worker gets what happened to her work and what to do, the log keeps
the original for the county's IT person.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from carebook.i18n import tr
from carebook.storage.errors import StorageError

log = logging.getLogger(__name__)


class ServerUnavailableError(StorageError):
    """The server could not be reached or dropped the connection: nothing was written."""


class ServerBusyError(StorageError):
    """Another computer's change collided with this one: it was rolled back, try again."""


class TakenMeanwhileError(ServerBusyError):
    """Another computer saved the same unique value (an ID number, a village) a moment earlier."""

    def __init__(self, message: str, constraint: str) -> None:
        super().__init__(message)
        self.constraint = constraint  # e.g. "uq_children_id_number"


# SQLSTATE classes the server sends with a refused or lost piece of work.
_BUSY = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
_SHUTTING_DOWN = {"57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004"}
_NO_ROOM = {"53100", "53200"}  # disk full, out of memory
_TOO_MANY = {"53300"}
_READ_ONLY = {"25006"}
_NO_RIGHTS = {"42501"}


def _sqlstate(error: DBAPIError) -> str:
    return str(getattr(error.orig, "sqlstate", None) or "")


def _where(url: URL) -> str:
    return f"{url.host or 'localhost'}{f':{url.port}' if url.port else ''}"


@contextmanager
def in_words(url: URL) -> Iterator[None]:
    """A server's failure inside the block raised as its sentence; any other error as it came."""
    try:
        yield
    except DBAPIError as error:
        said = server_error(error, url)
        if said is None:
            raise
        raise said from error


def server_error(error: DBAPIError, url: URL) -> StorageError | None:
    """The sentence for a server's failure, or None for an error the caller handles itself
    (a duplicate, a bad value: those are the program's or the data's, not the connection's)."""
    if url.get_backend_name() == "sqlite":
        return None
    state = _sqlstate(error)
    text = str(error.orig)
    server = _where(url)
    found: StorageError | None = None
    if state == "23505":  # unique violation: on a server, another computer was quicker
        diag = getattr(error.orig, "diag", None)
        found = TakenMeanwhileError(
            tr("另一台电脑刚刚保存了同样的记录，这次操作没有保存。请刷新后再试一次。"),
            str(getattr(diag, "constraint_name", None) or ""),
        )
    elif state in _BUSY:
        found = ServerBusyError(
            tr("另一台电脑正在修改同样的数据，这次操作没有保存。请稍等片刻再试一次。")
        )
    elif state in _NO_ROOM:
        found = ServerUnavailableError(
            tr(
                "数据库服务器 {server} 的磁盘或内存不够了，这次操作没有保存。"
                "请联系县里管理数据库的人员。",
                server=server,
            )
        )
    elif state in _TOO_MANY or "too many clients" in text:
        found = ServerUnavailableError(
            tr(
                "数据库服务器 {server} 现在连接的电脑太多，这次操作没有完成。请稍后再试。",
                server=server,
            )
        )
    elif state in _READ_ONLY:
        found = ServerUnavailableError(
            tr(
                "数据库服务器 {server} 现在只能查看、不能修改，这次操作没有保存。"
                "请联系县里管理数据库的人员。",
                server=server,
            )
        )
    elif state in _NO_RIGHTS:
        found = StorageError(
            tr(
                "用户 {user} 在数据库服务器 {server} 上没有修改关爱簿数据的权限，"
                "这次操作没有保存。请联系县里管理数据库的人员授权。",
                user=url.username or "",
                server=server,
            )
        )
    elif "password authentication failed" in text or "no password supplied" in text:
        found = StorageError(
            tr(
                "数据库服务器 {server} 不接受用户 {user} 的登录：用户名或密码不对。"
                "密码请写在 pgpass 密码文件里。",
                server=server,
                user=url.username or "",
            )
        )
    elif "role" in text and "does not exist" in text:
        found = StorageError(
            tr(
                "数据库服务器 {server} 上没有用户 {user}，请核对地址中的用户名。",
                server=server,
                user=url.username or "",
            )
        )
    elif "database" in text and "does not exist" in text:
        found = StorageError(
            tr(
                "数据库服务器 {server} 上没有名为 {name} 的数据库，"
                "请核对地址，或请县里管理数据库的人员先建好它。",
                server=server,
                name=url.database or "",
            )
        )
    elif (
        state in _SHUTTING_DOWN
        or error.connection_invalidated
        or (
            isinstance(error, (OperationalError, InterfaceError))
            and (state == "" or state.startswith("08"))
        )
    ):
        found = ServerUnavailableError(
            tr(
                "连不上数据库服务器 {server}（服务器没有运行或网络不通），这次操作没有完成。"
                "请检查网络后再试，仍不行请联系县里管理数据库的人员。",
                server=server,
            )
        )
    if found is not None:
        found.message = str(found)  # type: ignore[attr-defined]  # kept whatever wraps it
        # The first line only: a DETAIL line repeats the values (a child's ID number).
        first = text.splitlines()[0] if text else ""
        log.warning("database server error (%s): %s", state or type(error.orig).__name__, first)
    return found
