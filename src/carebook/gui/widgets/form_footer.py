"""The foot every care form shares: a red line for what is wrong, then 保存 and 取消."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel

from carebook.i18n import tr

PROBLEM_RED = "#b00020"


def problem_label() -> QLabel:
    """Where a form says, in one or two sentences, why it cannot be saved yet."""
    label = QLabel()
    label.setStyleSheet(f"color: {PROBLEM_RED};")
    label.setWordWrap(True)
    return label


def save_cancel_buttons() -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
    return buttons
