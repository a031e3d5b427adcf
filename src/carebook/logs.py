"""The log file: owner-only, and no full ID number or mobile phone in any line it keeps."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from carebook.domain.id_numbers import mask_id
from carebook.domain.phones import mask_phone
from carebook.paths import create_private_file, keep_private

# A traceback's last line repeats the exception's message, and a message may quote a cell
# ("invalid literal for int(): '140725201106062235'") or a key (KeyError: '13812345678').
# The log is what a worker sends to support by WeChat: numbers are masked before it is written.
# Letters or digits on either side mean a longer token (a record's uid, a hash): left alone.
_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9A-Za-z])")


def scrub(text: str) -> str:
    """text with every full ID number and mobile phone in it masked as on screen."""
    text = _ID.sub(lambda m: mask_id(m[0]), text)
    return _MOBILE.sub(lambda m: mask_phone(m[0][-11:]), text)


class ScrubbingFormatter(logging.Formatter):
    """Formats as usual (message, traceback, stack), then masks the numbers in the whole."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def start_log(log_file: Path, *, debug: bool = False) -> None:
    """Send the program's log to log_file, kept private and scrubbed. Like basicConfig, it does
    nothing when logging is already set up (a test's capture, an embedding program)."""
    root = logging.getLogger()
    if root.handlers:
        return
    create_private_file(log_file)
    keep_private(log_file)  # a log written by an older version, readable by every account
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(ScrubbingFormatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
