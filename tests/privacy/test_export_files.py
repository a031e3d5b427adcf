"""A password-protected workbook never exists unencrypted beside its target."""

from __future__ import annotations

import os
from pathlib import Path

from carebook.exchange.county import crypto
from carebook.services.county_exchange import ExportOptions, export_workbook
from carebook.services.progress import run_to_end


def test_the_plain_workbook_is_drawn_in_a_private_folder_and_removed(
    demo_db, tmp_path: Path, monkeypatch
) -> None:
    stick = tmp_path / "U盘"
    stick.mkdir()
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp_root))
    plains: list[Path] = []
    real = crypto.encrypt_file

    def watch(plain: Path, target: Path, password: str) -> None:
        plains.append(plain)
        assert plain.exists() and plain.parent.parent == temp_root
        if os.name == "posix":
            assert plain.parent.stat().st_mode & 0o077 == 0
        real(plain, target, password)

    monkeypatch.setattr("carebook.services.county_exchange.encrypt_file", watch)
    target = stick / "寿阳县.xlsx"
    run_to_end(export_workbook(demo_db, target, ExportOptions(password="县里")))
    assert plains and crypto.is_encrypted(target)
    assert sorted(p.name for p in stick.iterdir()) == ["寿阳县.xlsx"]
    assert list(temp_root.iterdir()) == []
