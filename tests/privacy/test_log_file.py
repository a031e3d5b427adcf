"""The log file a worker sends to support: private, and no full ID number or phone in it."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from carebook.logs import scrub, start_log

CHILD_ID = "14072520110606223X"
PHONE = "13812345678"


def test_scrub_masks_ids_and_mobiles_but_leaves_uids_dates_and_counts() -> None:
    uid = "0035e0695d3f40d6823f40a4cff5a8af"
    text = (
        f"KeyError: '{CHILD_ID}' phone={PHONE} +8613912345678 old 140725110606223 "
        f"uid {uid} at 2026-11-29 06:27:21,816 rows 100000"
    )
    cleaned = scrub(text)
    assert CHILD_ID not in cleaned and "140725********223X" in cleaned
    assert PHONE not in cleaned and "138****5678" in cleaned
    assert "13912345678" not in cleaned
    assert "140725110606223" not in cleaned
    assert uid in cleaned and "2026-11-29 06:27:21,816" in cleaned and "100000" in cleaned


def test_the_log_file_is_private_and_its_tracebacks_are_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = logging.getLogger()
    # The root logger as a fresh process has it: pytest's capture (added for the test's call)
    # set aside, restored afterwards with the level.
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    log_file = tmp_path / "logs" / "carebook.log"
    log_file.parent.mkdir()
    start_log(log_file)
    try:
        {}[CHILD_ID]
    except KeyError:
        logging.getLogger("carebook").exception("command import failed for %s", PHONE)
    for handler in root.handlers:
        handler.close()
    text = log_file.read_text(encoding="utf-8")
    assert "command import failed" in text and "Traceback" in text
    assert CHILD_ID not in text and PHONE not in text
    assert "140725********223X" in text
    if os.name == "posix":
        assert stat.S_IMODE(log_file.stat().st_mode) == 0o600


def test_the_crash_dialogs_details_mask_numbers_too(qtbot, tmp_path, monkeypatch) -> None:
    import sys

    from PySide6.QtWidgets import QMessageBox

    from carebook.gui.crash import install_crash_handler

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.detailedText()))
    previous = sys.excepthook
    try:
        install_crash_handler(tmp_path / "carebook.log")
        try:
            raise ValueError(f"duplicate {CHILD_ID} guardian {PHONE}")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
    (details,) = shown
    assert "Traceback" in details and "duplicate" in details
    assert CHILD_ID not in details and PHONE not in details and "138****5678" in details
