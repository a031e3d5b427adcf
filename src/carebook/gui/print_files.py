"""The private temporary folders print previews draw their PDFs into, and their removal.

A preview deletes its PDF when it closes; these folders still outlived a preview open when the
window was closed, the program was killed or the laptop lost power, each with a roster or case
file of children in the shared temp folder. Each folder now names its process: those of
programs no longer running are removed at the next start, this program's own at its exit.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "carebook-print-"
_OURS = re.compile(rf"^{PREFIX}(?P<pid>\d+)-")
# Folders without a process number (older versions), or on Windows where a process cannot be
# asked after safely: removed once this old; no preview stays open that long.
STALE_AFTER_S = 12 * 3600
_made: set[Path] = set()


def new_print_folder(root: Path | None = None) -> Path:
    """A new folder only this account can open (mkdtemp makes it 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root))
    _made.add(folder)
    return folder


def remove_print_folder(folder: Path) -> None:
    """The folder and whatever is in it (a finished or a partial PDF)."""
    shutil.rmtree(folder, ignore_errors=True)
    _made.discard(folder)


def remove_own_print_folders() -> None:
    """At exit: the folders of previews still open, or of prints still being drawn."""
    for folder in list(_made):
        remove_print_folder(folder)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # POSIX only: on Windows signal 0 would be a Ctrl-C sent to it
    except ProcessLookupError:
        return False
    except OSError:  # another account's process: not ours to judge
        return True
    return True


def _stale(folder: Path, now: float) -> bool:
    try:
        info = folder.stat()
    except OSError:
        return False
    if os.name == "posix" and info.st_uid != os.getuid():
        return False
    match = _OURS.match(folder.name)
    if match and os.name == "posix":
        return not _running(int(match["pid"]))
    return now - info.st_mtime > STALE_AFTER_S


def sweep_stale_print_folders(root: Path | None = None, *, now: float | None = None) -> int:
    """Remove the print folders left by programs that ended without removing them; returns
    how many went."""
    root = Path(root or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = 0
    try:
        candidates = [p for p in root.glob(f"{PREFIX}*") if p.is_dir()]
    except OSError:
        return 0
    for folder in candidates:
        if _stale(folder, now):
            shutil.rmtree(folder, ignore_errors=True)
            removed += not folder.exists()
    if removed:
        log.info("removed %d print folders left by earlier runs", removed)
    return removed
