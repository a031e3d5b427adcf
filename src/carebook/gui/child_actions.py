"""Care actions started from a child (the list, the child's file or 走访): log, correct or
delete a visit, pair."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from carebook.gui.state import USER_ERRORS, show_error
from carebook.i18n import tr
from carebook.services.workspace import Workspace


def _need_selection(parent: QWidget, uids: Sequence[str]) -> bool:
    if uids:
        return True
    QMessageBox.information(parent, tr("关爱簿"), tr("请先在名单中选中儿童。"))
    return False


def log_visit(parent: QWidget, workspace: Workspace, child_uids: Sequence[str]) -> bool:
    """Open the visit form for the children (several children of one family: one visit)."""
    if not _need_selection(parent, child_uids):
        return False
    from carebook.gui.dialogs.visit_dialog import VisitDialog

    try:
        dialog = VisitDialog(workspace, child_uids, parent)
    except USER_ERRORS as error:  # a child deleted meanwhile (another window, a merge)
        show_error(parent, error)
        return False
    return dialog.exec() == QDialog.DialogCode.Accepted


def edit_visit(
    parent: QWidget,
    workspace: Workspace,
    child_uid: str,
    visit_uid: str,
    *,
    today: date | None = None,
) -> bool:
    """Correct one visit in the same form it was logged with; the service audits each changed
    field and moves the child's next visit."""
    from carebook.gui.dialogs.visit_dialog import VisitDialog

    try:
        dialog = VisitDialog(workspace, [child_uid], parent, visit_uid=visit_uid, today=today)
    except USER_ERRORS as error:  # deleted meanwhile (the other list, a merge)
        show_error(parent, error)
        return False
    return dialog.exec() == QDialog.DialogCode.Accepted


def delete_visit(
    parent: QWidget, workspace: Workspace, visit_uid: str, child_name: str, visited_on: date
) -> bool:
    """Delete one visit after a yes; the child's next visit is worked out again without it."""
    answer = QMessageBox.question(
        parent,
        tr("删除走访"),
        tr(
            "删除 {name} 在 {day} 的走访记录？下次走访日期会按剩下的记录重新计算。",
            name=child_name,
            day=visited_on,
        ),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    # Here, not at the top: the register's first screen comes before SQLAlchemy is imported.
    from carebook.services import visits as visit_service

    try:
        visit_service.delete_visit(
            workspace.db, visit_uid, rules=workspace.visit_rules(), origin=workspace.origin()
        )
    except USER_ERRORS as error:
        show_error(parent, error)
        return False
    return True


def pair_child(parent: QWidget, workspace: Workspace, child_uid: str | None) -> bool:
    """Pair the child with one or more 爱心妈妈 (nearby, least loaded first)."""
    if not _need_selection(parent, [child_uid] if child_uid else []):
        return False
    from carebook.gui.dialogs.pairing_dialog import PairingDialog

    dialog = PairingDialog(workspace, child_uid=child_uid, parent=parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_end_pairings(parent: QWidget, active_pairings: int) -> bool | None:
    """Whether a child leaving the register should end its pairings; None when cancelled."""
    if active_pairings == 0:
        return False
    answer = QMessageBox.question(
        parent,
        tr("退出台账"),
        tr("该儿童还有 {n} 个结对关系。是否以同样的原因和日期结束这些结对？", n=active_pairings),
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel,
    )
    if answer == QMessageBox.StandardButton.Cancel:
        return None
    return answer == QMessageBox.StandardButton.Yes
