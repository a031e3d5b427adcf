"""An error with a sentence for the user that no page caught is said as that sentence."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QMessageBox

from carebook.gui.crash import install_crash_handler
from carebook.storage.errors import StorageError


def test_an_uncaught_user_error_is_a_warning_not_a_crash(qtbot, tmp_path, monkeypatch) -> None:
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, text, *a, **k: said.append(("warning", text))
    )
    monkeypatch.setattr(QMessageBox, "exec", lambda self: said.append(("crash", self.text())))
    previous = sys.excepthook
    try:
        install_crash_handler(tmp_path / "carebook.log")
        # As PySide6 hands over an error raised in a page's showEvent.
        error = StorageError(
            "Error calling Python override of QWidget::showEvent(): 连不上数据库服务器 x:5432。"
        )
        sys.excepthook(type(error), error, None)
        crash = RuntimeError("测试崩溃")
        sys.excepthook(type(crash), crash, None)
    finally:
        sys.excepthook = previous
    assert said[0] == ("warning", "连不上数据库服务器 x:5432。")
    assert said[1][0] == "crash" and "意外错误" in said[1][1]
