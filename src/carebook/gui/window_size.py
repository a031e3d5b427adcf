"""Window sizes that fit the screen: many workers have a 1366×768 laptop, some less."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.92  # leave room for the taskbar and the window's title bar


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to width × height, or smaller where the screen is smaller: a window taller than
    the screen hides its bottom row (the buttons, the status bar) below the taskbar."""
    screen = window.screen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, int(area.width() * SCREEN_SHARE))
        height = min(height, int(area.height() * SCREEN_SHARE))
    window.resize(width, height)
