"""Settings saved and upgraded, data locations (portable too), and the one translation mechanism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carebook import i18n, paths
from carebook.settings import Settings, load_settings, save_settings


def test_settings_round_trip_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert load_settings(path) == Settings()
    settings = Settings(worker_name="李主任", villages=["东村", "西村"], font_scale=1.3)
    save_settings(settings, path)
    assert load_settings(path) == settings
    assert json.loads(path.read_text(encoding="utf-8"))["worker_name"] == "李主任"


def test_unknown_keys_are_ignored_and_bad_language_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 0, "language": "xx", "future_key": 1}), "utf-8")
    settings = load_settings(path)
    assert settings.language == "zh_CN"
    assert settings.version == Settings().version


def test_a_damaged_settings_file_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == Settings()
    assert (tmp_path / "settings.damaged.json").exists()


def test_database_url_from_flag_environment_and_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.database_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert paths.database_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("CAREBOOK_DB", str(tmp_path / "env.db"))
    assert paths.database_url(None).endswith("env.db")
    monkeypatch.delenv("CAREBOOK_DB")
    assert paths.database_url(None).endswith("carebook.db")


def test_portable_marker_keeps_data_beside_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAREBOOK_HOME")
    monkeypatch.setattr(paths, "executable_dir", lambda: tmp_path)
    assert not paths.app_paths().portable
    (tmp_path / paths.PORTABLE_MARKER).write_text("portable", encoding="utf-8")
    where = paths.app_paths()
    assert where.portable and where.data_dir == tmp_path / paths.PORTABLE_FOLDER


def test_translation_placeholders_and_pseudo() -> None:
    try:
        assert i18n.tr("已备份到 {path}", path="x") == "已备份到 x"
        i18n.set_language("zh_CN", pseudo=True)
        assert i18n.tr("设置").startswith("[设置")
        i18n.set_language("nonexistent")
        assert i18n.current_language() == "zh_CN"
    finally:
        i18n.set_language("zh_CN")
