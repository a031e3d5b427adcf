"""Argument types that turn a bad number into argparse's usage error (exit 2), not a failure."""

from __future__ import annotations

import argparse

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
