"""The command line speaks the language chosen in 设置, help included."""

from __future__ import annotations

import pytest

from carebook import i18n
from carebook.cli import main
from carebook.settings import Settings, save_settings


@pytest.fixture
def english(isolated_home):
    save_settings(Settings(language="en"), isolated_home / "settings.json")
    yield
    i18n.set_language("zh_CN")


@pytest.mark.usefixtures("english")
def test_stats_in_english_when_chosen(db_path, capsys):
    assert main(["--db", str(db_path), "stats"]) == 0
    assert capsys.readouterr().out.startswith("Children: 0 in all")


@pytest.mark.usefixtures("english")
def test_help_in_english_when_chosen(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "Show the register's figures" in capsys.readouterr().out


def test_chinese_by_default(db_path, capsys):
    assert main(["--db", str(db_path), "stats"]) == 0
    assert capsys.readouterr().out.startswith("儿童：共 0 名")
