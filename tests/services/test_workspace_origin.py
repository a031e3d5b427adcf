"""Who the audit log names for what is done in the window."""

from __future__ import annotations

import getpass

from carebook.paths import app_paths
from carebook.services.workspace import Workspace
from carebook.settings import Settings


def test_no_worker_name_set_signs_with_the_login_name_like_the_command_line(
    db, monkeypatch
) -> None:
    # Exports, prints and reveals from the window went unsigned (an empty 操作人) when nobody
    # had typed a name in 设置, while the same action from the command line was signed.
    monkeypatch.setattr(getpass, "getuser", lambda: "xiangzhen-pc")
    unnamed = Workspace(app_paths(), Settings(), db)
    assert unnamed.origin("界面导出").actor == "xiangzhen-pc"
    named = Workspace(app_paths(), Settings(worker_name="王督导"), db)
    assert named.origin().actor == "王督导"


def test_no_login_name_either_leaves_it_empty(db, monkeypatch) -> None:
    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_login)
    assert Workspace(app_paths(), Settings(), db).origin().actor == ""
