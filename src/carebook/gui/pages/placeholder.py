"""A plain page for a navigation entry whose work is not built yet, saying so honestly."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from carebook.i18n import tr
from carebook.services.workspace import Workspace


def placeholder(title: str, what: str) -> Callable[[Workspace], QWidget]:
    def build(_workspace: Workspace) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        heading = QLabel(f"<h2>{tr(title)}</h2>")
        note = QLabel(tr("“{what}”还在开发中，将在后续版本提供。", what=tr(what)))
        note.setWordWrap(True)
        for label in (heading, note):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch()
        return page

    return build
