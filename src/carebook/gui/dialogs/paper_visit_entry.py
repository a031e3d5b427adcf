"""走访 → 录入纸质走访表: type or scan the code from a paper visit sheet to find its child, log
its visit, and go on to the next sheet of the pile."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.state import USER_ERRORS
from carebook.gui.widgets.form_footer import may_discard, typed_values
from carebook.i18n import tr
from carebook.services.children import get_child
from carebook.services.printing import SheetLookup, find_sheet
from carebook.services.workspace import Workspace


class PaperVisitEntryDialog(QDialog):
    """Finds the child of a paper sheet. With a visit form to open, it stays for the next sheet
    once a visit is saved (a 爱心妈妈 hands in a month's pile), and keeps the code when the form
    is cancelled; without one it is accepted with child_uid set."""

    child_found = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        workspace: Workspace,
        open_visit_form: Callable[[str], bool | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.open_visit_form = open_visit_form  # True when the visit was saved
        self.entered = 0  # sheets whose visit was saved in this dialog
        self.found: SheetLookup | None = None
        self._build_ui()
        self._connect_signals()
        self._typed = typed_values(self)

    @property
    def child_uid(self) -> str | None:
        return self.found.uid if self.found else None

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("录入纸质走访表"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        hint = QLabel(
            tr("输入走访表右上角二维码下方的编码（如 7K3M-Q9XA-B2FC），或用扫码枪扫描二维码。")
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.code = QLineEdit()
        big = QFont(self.code.font())
        big.setPointSizeF(big.pointSizeF() * 1.5)
        self.code.setFont(big)
        self.code.setPlaceholderText("XXXX-XXXX-XXXX")
        self.find_button = QPushButton(tr("查找"))
        row.addWidget(self.code, 1)
        row.addWidget(self.find_button)
        layout.addLayout(row)
        self.result_label = QLabel(" ")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setMinimumHeight(48)
        layout.addWidget(self.result_label)
        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton(
            tr("录入走访"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = self.buttons.addButton(
            tr("关闭") if self.open_visit_form else tr("取消"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        self.open_button.setEnabled(False)
        # Enter in the code box is handled there (a scanner types the code and then Enter):
        # no button may take the same key press as well.
        for button in (self.find_button, *self.buttons.buttons()):
            button.setAutoDefault(False)
            button.setDefault(False)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        # The key press is taken here, not through returnPressed: the button box makes 录入走访
        # its default when shown, and the same Enter went on to press it, opening the sheet's
        # visit form a second time as soon as the first was cancelled.
        self._enter_keys = _EnterInCode(self)
        self.code.installEventFilter(self._enter_keys)
        self.find_button.clicked.connect(self.look_up)
        self.code.textEdited.connect(self._forget)
        self.buttons.accepted.connect(self._accept_found)
        self.buttons.rejected.connect(self.reject)

    def look_up(self) -> None:
        text = self.code.text()
        try:
            self.found = find_sheet(self.workspace.db, text)
        except USER_ERRORS as exc:
            self.found = None
            self.result_label.setStyleSheet("color:#b00020;")
            self.result_label.setText(getattr(exc, "message", None) or str(exc))
            self.open_button.setEnabled(False)
            return
        f = self.found
        place = " ".join(p for p in (f.township, f.village) if p)
        printed = tr("（走访表打印于 {d}）", d=f.printed_on.isoformat()) if f.printed_on else ""
        self.result_label.setStyleSheet("color:#1b5e20;")
        self.result_label.setText(f"{f.name}  {place}{printed}{self._left_note(f.uid)}")
        self.open_button.setEnabled(True)
        self.open_button.setFocus()

    def _left_note(self, uid: str) -> str:
        """A sheet printed before the child left the register is still entered (the visit
        happened); the worker is told, rather than wonder why the child is not on the lists."""
        try:
            record = get_child(self.workspace.db, uid)
        except USER_ERRORS:
            return ""
        if record.status == "在册":
            return ""
        when = record.status_date.isoformat() if record.status_date else ""
        return "\n" + tr(
            "该儿童已于 {date} 退出台账（{reason}），仍可登记这次走访。",
            date=when,
            reason=record.status_reason,
        )

    def _enter(self) -> None:
        """Enter after a code (typed, or sent by a scanner) finds the child and goes on at once."""
        self.look_up()
        if self.found is not None:
            self._accept_found()

    def _forget(self) -> None:
        if self.found is not None:
            self.found = None
            self.open_button.setEnabled(False)
            self.result_label.setText(" ")

    def _accept_found(self) -> None:
        if self.found is None:
            self.look_up()
            return
        self.child_found.emit(self.found.uid)
        if self.open_visit_form is None:
            self.accept()
            return
        found = self.found
        if not self.open_visit_form(found.uid):
            self.code.setFocus()  # cancelled: the code stays, to try again or put right
            return
        self.entered += 1
        self.found = None
        self.code.clear()
        self._typed = typed_values(self)  # nothing left unsaved: closing asks nothing
        self.open_button.setEnabled(False)
        self.result_label.setStyleSheet("color:#1b5e20;")
        self.result_label.setText(
            tr(
                "已登记 {name} 的走访（本次共 {n} 张）。请输入或扫描下一张走访表的编码。",
                name=found.name,
                n=self.entered,
            )
        )
        self.code.setFocus()

    def reject(self) -> None:
        """取消, Esc and the window's close come here: a code typed (or half typed) off a
        sheet is not thrown away without asking; an empty box closes at once."""
        if may_discard(self, self._typed):
            super().reject()


class _EnterInCode(QObject):
    """Enter (or a scanner's Enter) in the code box looks the code up, and goes no further."""

    def __init__(self, dialog: PaperVisitEntryDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            self.dialog._enter()
            return True
        return super().eventFilter(watched, event)
