"""Usage mistakes are said in one Chinese sentence, with exit status 2 and no traceback."""

from __future__ import annotations

import pytest

from carebook import i18n
from carebook.cli import main
from carebook.settings import Settings, save_settings


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["merge"], "缺少参数：workbook"),
        (["stats", "--bogus"], "无法识别的参数：--bogus"),
        (["merge", "w.xlsx", "--prefer", "mine"], "--prefer 的值“mine”无效，可选：ours、theirs"),
        (["export", "w.xlsx", "--period"], "--period 后面缺少一个值"),
        (["audit", "--limit", "x"], "须为正整数：x"),
        (["nosuch"], "没有“nosuch”这个命令"),
    ],
)
def test_a_usage_mistake_is_one_chinese_sentence(capsys, argv, said) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert said in last, err
    assert "error:" not in err and "argument" not in last


def test_in_english_when_chosen(isolated_home, capsys) -> None:
    save_settings(Settings(language="en"), isolated_home / "settings.json")
    try:
        with pytest.raises(SystemExit) as stop:
            main(["merge", "w.xlsx", "--prefer", "mine"])
    finally:
        i18n.set_language("zh_CN")
    assert stop.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.endswith("--prefer: “mine” is not a choice; choose from ours, theirs.")
