"""The foot every care form shares: a red line for what is wrong, then 保存 and 取消, and a
question before 取消 (or Esc) throws away what was typed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

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


class _EnterMovesOn(QObject):
    """Enter typed in a field goes to the next field, as Tab does; on a button it presses it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers()
            in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            dialog = self.parent()
            if isinstance(watched, QDialog) and not _is_push_button(watched.focusWidget()):
                watched.focusNextChild()
                return True
            # An editable choice (生活情况, 走访人) kept the first Enter for itself: two
            # Enters a field. Its text is what the form reads, so nothing is lost here.
            if isinstance(watched, QComboBox) and isinstance(dialog, QDialog):
                dialog.focusNextChild()
                return True
        return super().eventFilter(watched, event)


def _is_push_button(widget: QWidget | None) -> bool:
    """A button Enter presses; a tick box (见到的人: 儿童, 监护人) is a field, and Enter on it
    saved the visit half written, through the dialog's default 保存."""
    return isinstance(widget, QAbstractButton) and not isinstance(widget, QCheckBox | QRadioButton)


def enter_moves_on(dialog: QDialog) -> None:
    """Enter in a field never saves the form: the dialog's default 保存 took it, and a visit was
    saved the moment the worker ended the first line with Enter, the rest still unwritten."""
    guard = _EnterMovesOn(dialog)
    dialog.installEventFilter(guard)
    for combo in dialog.findChildren(QComboBox):
        if combo.isEditable():
            combo.installEventFilter(guard)


def typed_values(form: QWidget) -> tuple:
    """Everything typed, ticked, chosen or picked in a form, to tell whether closing loses it."""
    values: list[object] = []
    for widget in form.findChildren(QWidget):
        if isinstance(widget, QLineEdit):
            values.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            values.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            values.append(widget.currentText())
        elif isinstance(widget, QDateTimeEdit):
            values.append(widget.dateTime())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            values.append(widget.isChecked())
        elif isinstance(widget, QListWidget):
            values.append(tuple(widget.item(i).text() for i in range(widget.count())))
        elif callable(getattr(widget, "selected_uids", None)):  # a ChildPicker's chosen children
            values.append(tuple(widget.selected_uids()))
    return tuple(values)


def may_discard(dialog: QDialog, typed_at_start: tuple) -> bool:
    """True when closing loses nothing, or the worker said to throw the typing away."""
    if typed_values(dialog) == typed_at_start:
        return True
    return ask_discard(dialog)


def ask_discard(dialog: QDialog) -> bool:
    """Asks whether to throw away what was typed; True when the worker said so."""
    answer = QMessageBox.question(
        dialog,
        tr("关爱簿"),
        tr("填写的内容还没有保存。要放弃这些内容吗？"),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard
