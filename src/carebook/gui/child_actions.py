"""Care actions started from a child (the list or the child's file): log a visit, pair."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

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

    return VisitDialog(workspace, child_uids, parent).exec() == QDialog.DialogCode.Accepted


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
