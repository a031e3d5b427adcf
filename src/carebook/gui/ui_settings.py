"""Where the window remembers sizes and column choices: the host, or beside us when portable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from carebook.paths import AppPaths

_place: dict[str, Path] = {}
UI_SETTINGS_FILE = "carebook-ui.ini"


def keep_ui_settings_for(paths: AppPaths) -> None:
    """Portable mode leaves nothing on the host computer, not even a window size."""
    if paths.portable:
        _place["file"] = paths.data_dir / UI_SETTINGS_FILE
    else:
        _place.pop("file", None)


def ui_settings() -> QSettings:
    """QSettings for layout memory; use this rather than QSettings("carebook", ...) directly."""
    file = _place.get("file")
    if file is not None:
        return QSettings(str(file), QSettings.Format.IniFormat)
    return QSettings("carebook", "carebook")
