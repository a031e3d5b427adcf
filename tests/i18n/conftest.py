"""Tests that run in both languages, or in English only, and come back to Chinese after."""

from __future__ import annotations

import pytest

from carebook import i18n


@pytest.fixture(params=["zh_CN", "en"])
def language(request):
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("zh_CN")


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("zh_CN")
