"""Argument types that turn a bad number into argparse's usage error (exit 2), not a failure."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import NoReturn

from carebook.i18n import tr


def _whole(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def positive_int(text: str) -> int:
    value = _whole(text)
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(tr("须为正整数：{v}", v=text))
    return value


def days(text: str) -> int:
    value = _whole(text)
    if value is None or value < 0:
        raise argparse.ArgumentTypeError(tr("须为不小于 0 的天数：{v}", v=text))
    return value


class Parser(argparse.ArgumentParser):
    """argparse saying its usage mistakes in the chosen language (argparse speaks English)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {usage_mistake(message)}\n")


def _listed(text: str) -> str:
    return tr("、").join(part.strip().strip("'\"") for part in text.split(","))


def _choice(m: re.Match[str]) -> str:
    if m[1] == "COMMAND":
        return tr("没有“{name}”这个命令；可用的命令：{names}。", name=m[2], names=_listed(m[3]))
    return tr(
        "{option} 的值“{value}”无效，可选：{choices}。",
        option=m[1],
        value=m[2],
        choices=_listed(m[3]),
    )


_MISTAKES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"the following arguments are required: (.+)"),
        lambda m: tr("缺少参数：{names}。", names=_listed(m[1])),
    ),
    (
        re.compile(r"unrecognized arguments: (.+)"),
        lambda m: tr("无法识别的参数：{args}。", args=m[1]),
    ),
    (
        re.compile(r"argument (\S+): invalid choice: '?([^']*?)'? \(choose from (.+)\)"),
        _choice,
    ),
    (
        re.compile(r"argument (\S+): expected one argument"),
        lambda m: tr("{option} 后面缺少一个值。", option=m[1]),
    ),
    (
        re.compile(r"ambiguous option: (\S+) could match (.+)"),
        lambda m: tr(
            "选项 {option} 不明确，可能是：{matches}。", option=m[1], matches=_listed(m[2])
        ),
    ),
    # The rest name the option before a message of ours (an ArgumentTypeError's).
    (
        re.compile(r"argument (\S+): (.+)"),
        lambda m: tr("{option}：{message}", option=m[1], message=m[2]),
    ),
)


def usage_mistake(message: str) -> str:
    """argparse's English message as one sentence in the chosen language (unknown: as is)."""
    for pattern, say in _MISTAKES:
        m = pattern.fullmatch(message)
        if m:
            return say(m)
    return message


def password(text: str) -> str:
    """--password's value; "-" asks for it without echo, so it stays out of the shell's history
    and of the process list other accounts can read while a long import or export runs."""
    if text != "-":
        return text
    import getpass

    return getpass.getpass(tr("工作簿密码（输入时不显示）："))
