"""Packaged assets (icons, translations, synonym tables), found from source and frozen alike."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """The path of a packaged asset; inside a PyInstaller bundle it is under sys._MEIPASS."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle, "carebook", "resources", *parts)
    return Path(__file__).resolve().parent.joinpath(*parts)
