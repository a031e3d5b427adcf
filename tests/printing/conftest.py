"""Fixtures for the printing layer tests."""

from __future__ import annotations

import pytest

from carebook.printing.fonts import FontChoice, choose_font
from carebook.printing.records import SheetHeader


@pytest.fixture(scope="session")
def font() -> FontChoice:
    return choose_font()


@pytest.fixture
def header() -> SheetHeader:
    return SheetHeader("寿阳县", "宗艾镇", "2026-11-28")
