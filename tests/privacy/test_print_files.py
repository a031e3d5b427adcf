"""Print previews' temporary PDFs: private, removed, and a copy saved elsewhere is logged."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from carebook.gui import print_files
from carebook.gui import printing_actions as actions
from carebook.services.audit_log import LogFilter, log_lines

posix_only = pytest.mark.skipif(os.name != "posix", reason="process numbers are asked on POSIX")


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temp folder, as the print folders see it, moved into the test's own."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(print_files.tempfile, "tempdir", str(root))
    return root


def _ended_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@posix_only
def test_folders_of_ended_programs_go_at_the_next_start_running_ones_stay(temp_root) -> None:
    ended = temp_root / f"carebook-print-{_ended_pid()}-abc"
    ended.mkdir()
    (ended / "花名册-全部-20261128.pdf").write_bytes(b"%PDF-1.4 children")
    running = print_files.new_print_folder()  # this very program's preview, still open
    (running / "儿童档案.pdf").write_bytes(b"%PDF")
    old_style = temp_root / "carebook-print-j8ijua46"  # an older version's name, a day old
    old_style.mkdir()
    (old_style / "签到表.pdf").write_bytes(b"%PDF")
    day_old = time.time() - 24 * 3600
    os.utime(old_style, (day_old, day_old))
    fresh_old_style = temp_root / "carebook-print-xpxd50z4"
    fresh_old_style.mkdir()
    unrelated = temp_root / "carebook-printer-settings"
    unrelated.write_text("not ours")

    assert print_files.sweep_stale_print_folders() == 2
    assert not ended.exists() and not old_style.exists()
    assert running.exists() and fresh_old_style.exists() and unrelated.exists()
    assert stat.S_IMODE(running.stat().st_mode) == 0o700
    print_files.remove_own_print_folders()  # what the application does as it exits
    assert not running.exists()


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_a_preview_left_open_at_exit_leaves_no_pdf_and_save_as_is_logged(
    qtbot, parent, demo_workspace, temp_root, tmp_path, monkeypatch
) -> None:
    def failed(_parent, error):  # a modal box would hang the test: fail it instead
        raise AssertionError(error)

    monkeypatch.setattr(actions, "show_error", failed)
    shown = []
    actions.print_roster(parent, demo_workspace, on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    dialog = shown[0]
    folder = dialog.pdf.parent
    assert folder.parent == temp_root and dialog.pdf.exists()

    target = tmp_path / "交给乡镇" / "花名册.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF 文件 (*.pdf)")
    )
    assert dialog.save_as() == target and target.exists()
    saved = log_lines(demo_workspace.db, LogFilter(action="export"), limit=5)
    assert saved[0].field == "花名册" and saved[0].new_value == str(target)
    assert saved[0].old_value == f"文件 {dialog.pdf.name}"  # the name the print entries give
    assert saved[0].actor == "测试员"
    printed = log_lines(demo_workspace.db, LogFilter(action="print", text=dialog.pdf.name))
    assert printed and all(line.entity == "child" for line in printed)

    # The window closes with the preview still open: no finished() ever comes for it.
    print_files.remove_own_print_folders()
    assert not folder.exists()
