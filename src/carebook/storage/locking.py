"""An advisory lock file beside a SQLite database so two programs never write it unawares."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from carebook.i18n import tr
from carebook.storage.errors import DatabaseInUseError

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class DatabaseLock:
    """Held for as long as a program has the database open for writing."""

    def __init__(self, database_file: Path) -> None:
        self.path = database_file.with_name(database_file.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise DatabaseInUseError(self._in_use_message())
        os.ftruncate(fd, 0)
        os.write(fd, f"进程 {os.getpid()}".encode())
        self._fd = fd

    def _in_use_message(self) -> str:
        holder = ""
        with contextlib.suppress(OSError):
            holder = self.path.read_text(encoding="utf-8").strip()
        # The file says "进程 1234" (other versions read it too): shown in the worker's language.
        pid = re.fullmatch(r"进程 (\d+)", holder)
        if pid:
            holder = tr("进程 {pid}", pid=pid.group(1))
        name = self.path.with_suffix("").name
        if holder:
            return tr(
                "数据库 {name} 正被另一个关爱簿程序使用（{holder}），请先关闭那个程序再打开。",
                name=name,
                holder=holder,
            )
        return tr("数据库 {name} 正被另一个关爱簿程序使用，请先关闭那个程序再打开。", name=name)

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
