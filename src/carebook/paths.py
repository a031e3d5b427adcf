"""Every on-disk location carebook uses, resolved on demand and overridable."""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "carebook"
PORTABLE_MARKER = "carebook-portable.txt"
PORTABLE_FOLDER = "carebook-data"
# The demo county the first-run welcome offers lives in its own file, never in the real one.
DEMO_DATABASE = "carebook-demo.db"


def executable_dir() -> Path:
    """The folder of the frozen executable, or of the source tree when run from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[2]


def portable_root() -> Path | None:
    """The data folder beside the executable when a portable marker file sits next to it."""
    base = executable_dir()
    if (base / PORTABLE_MARKER).exists():
        return base / PORTABLE_FOLDER
    return None


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    log_dir: Path
    portable: bool = False

    @property
    def default_database(self) -> Path:
        return self.data_dir / "carebook.db"

    @property
    def demo_database(self) -> Path:
        return self.data_dir / DEMO_DATABASE

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.json"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "carebook.log"

    def ensure(self) -> AppPaths:
        # The register, its backups and the log hold children's data: on a shared laptop other
        # accounts must not read them (the user profile folder does this on Windows).
        for folder in (self.data_dir, self.log_dir, self.backups_dir):
            folder.mkdir(parents=True, exist_ok=True)
            keep_private(folder)
        return self


def keep_private(path: Path) -> None:
    """Owner-only access (0700 for a folder, 0600 for a file) on POSIX; Windows keeps the
    profile folder's own rights. A file or folder someone else owns is left as it is."""
    if os.name != "posix":
        return
    try:
        info = path.stat()
        if info.st_uid != os.getuid():
            return
        wanted = 0o700 if path.is_dir() else 0o600
        if info.st_mode & 0o777 != wanted:
            path.chmod(wanted)
    except OSError:  # gone meanwhile, or a file system without modes (a FAT USB stick)
        pass


def create_private_file(path: Path) -> None:
    """Create path empty with owner-only access if it does not exist yet, so a database or log
    SQLite or logging makes there is never readable by other accounts, not even for a moment."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def app_paths() -> AppPaths:
    """Where data and logs live: CAREBOOK_HOME, else portable mode, else the user dirs."""
    home = os.environ.get("CAREBOOK_HOME")
    if home:
        root = Path(home)
        return AppPaths(root, root / "logs")
    portable = portable_root()
    if portable is not None:
        return AppPaths(portable, portable / "logs", portable=True)
    import platformdirs

    return AppPaths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )


def database_url(db: str | None) -> str:
    """The SQLAlchemy URL for --db / CAREBOOK_DB: a URL as it is, a path as a SQLite file."""
    chosen = db or os.environ.get("CAREBOOK_DB")
    if not chosen:
        chosen = str(app_paths().default_database)
    if "://" in chosen:
        return chosen
    return sqlite_url(Path(chosen).expanduser().resolve())


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file at any path: SQLAlchemy decodes %XX in a URL's file name, so a
    folder named like "a%20b" would otherwise open "a b"."""
    return "sqlite:///" + str(path).replace("%", "%25")


def sqlite_file(url: str) -> Path | None:
    """The file of a sqlite:/// URL, decoded the way SQLAlchemy decodes it; None for others."""
    from urllib.parse import unquote

    if not url.startswith("sqlite:///") or "?" in url:
        return None
    return Path(unquote(url[len("sqlite:///") :]))


def write_refused(path: Path | str, exc: OSError) -> str:
    """Why a file could not be written, as one sentence a worker can act on (not the system's
    English errno text, and never a traceback)."""
    from carebook.i18n import tr

    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return tr(
            "无法写入 {path}：没有写入权限（文件夹是只读的，"
            "或同名文件正被 Excel、WPS 等程序打开），请关闭那个程序或换一个文件夹后再试。",
            path=path,
        )
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return tr("无法写入 {path}：磁盘已满，请腾出空间或换一个磁盘后再试。", path=path)
    if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EEXIST):
        return tr("无法写入 {path}：它所在的文件夹不存在，请换一个文件夹。", path=path)
    return tr(
        "无法写入 {path}（{reason}），请换一个文件夹后再试。", path=path, reason=exc.strerror or exc
    )


def probe_writable(path: Path) -> None:
    """Create (and remove) path now, so a folder that refuses the file fails before long work
    starts; raises the OSError for write_refused."""
    existed = path.exists()
    with open(path, "ab"):
        pass
    if not existed:
        path.unlink(missing_ok=True)
