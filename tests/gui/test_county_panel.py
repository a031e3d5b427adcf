"""The 与县里交换 panel: export with progress, read back with a password, conflicts dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from carebook.domain.records import ChildFacts
from carebook.gui.dialogs.merge_conflicts_dialog import MergeConflictsDialog
from carebook.gui.widgets.county_exchange_panel import CountyExchangePanel
from carebook.services.children import get_child, update_child
from carebook.services.county_merge import plan_merge
from carebook.services.progress import run_to_end
from tests.conftest import TODAY
from tests.services.county_helpers import Clerk


def test_export_and_read_back_with_password_and_a_conflict(qtbot, demo_workspace, tmp_path):
    panel = CountyExchangePanel(demo_workspace)
    qtbot.addWidget(panel)
    assert panel.township.count() > 1
    panel.township.setCurrentIndex(1)
    panel.password.setText("县里")
    panel.mask.setChecked(False)
    path = tmp_path / "交换.xlsx"
    with qtbot.waitSignal(panel.exported, timeout=60000) as got:
        panel.export_to(path)
    assert got.args[0].encrypted and path.exists()
    assert panel.open_folder_button.isEnabled() and "已导出" in panel.export_summary.text()
    panel.resize(900, 720)
    panel.grab().save(str(tmp_path / "panel.png"))

    # The county edits a phone the township also changed: a conflict, chosen in code.
    from carebook.exchange.county.crypto import decrypt_to_memory

    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(decrypt_to_memory(path, "县里").getvalue())
    clerk = Clerk(plain)
    uid = clerk.sheet("儿童").cell(2, 1).value
    clerk.set("儿童", uid, "监护人电话", "13900002222")
    clerk.save()
    facts = get_child(demo_workspace.db, uid).facts
    update_child(
        demo_workspace.db,
        uid,
        ChildFacts(**{**facts.as_dict(), "guardian_phone": "13655556666"}),
        today=TODAY,
    )

    panel.ask_choices = False
    with qtbot.waitSignal(panel.merged, timeout=60000) as done:
        panel.read_workbook(plain)
    assert done.args[0].open_conflicts == 1
    assert get_child(demo_workspace.db, uid).facts.guardian_phone == "13655556666"
    assert "冲突" in panel.merge_summary.text()

    # Read the encrypted one: the panel asks for the password.
    panel.ask_password = lambda message: "县里"
    with qtbot.waitSignal(panel.merged, timeout=60000) as done:
        panel.read_workbook(path)
    assert done.args[0].updated == 0


def test_conflicts_dialog_side_by_side_with_a_choice_per_field(qtbot, demo_db, tmp_path):
    from tests.services.county_helpers import export

    path = tmp_path / "b.xlsx"
    export(demo_db, path)
    clerk = Clerk(path)
    uid = clerk.sheet("儿童").cell(2, 1).value
    other = clerk.sheet("儿童").cell(3, 1).value
    clerk.set("儿童", uid, "监护人电话", "13900002222")
    clerk.set("儿童", uid, "就读学校", "县第一小学")
    clerk.delete("儿童", other)
    clerk.save()
    facts = get_child(demo_db, uid).facts
    update_child(
        demo_db,
        uid,
        ChildFacts(**{**facts.as_dict(), "guardian_phone": "13655556666", "school": "镇中心小学"}),
        today=TODAY,
    )
    plan = run_to_end(plan_merge(demo_db, path))
    dialog = MergeConflictsDialog(plan)
    qtbot.addWidget(dialog)
    model = dialog.conflicts
    assert model.rowCount() == 2
    shown = {
        model.data(model.index(r, 3)): (
            model.data(model.index(r, 4)),
            model.data(model.index(r, 5)),
        )
        for r in range(2)
    }
    assert shown["监护人电话"] == ("13655556666", "13900002222")
    phone_row = next(r for r in range(2) if model.data(model.index(r, 3)) == "监护人电话")
    model.setData(
        model.index(phone_row, 5), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert dialog.choices()[(uid, "guardian_phone")] == "theirs"
    assert dialog.choices()[(uid, "school")] == "ours"
    deletions = dialog.deletions
    assert deletions.rowCount() == 1 and dialog.accepted_deletions() == set()
    deletions.setData(
        deletions.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert dialog.accepted_deletions() == {other}
    dialog.show()
    dialog.grab().save(str(tmp_path / "dialog.png"))
    # Enter while going through the lists merges nothing: only the button does.
    for view in (dialog.conflict_view, dialog.deletion_view):
        view.setFocus()
        view.setCurrentIndex(view.model().index(0, 0))
        QTest.keyClick(view, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.result() == 0
    merge = dialog.box.button(QDialogButtonBox.StandardButton.Ok)
    merge.setFocus()
    QTest.keyClick(merge, Qt.Key.Key_Return)  # on the button itself Enter presses it
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_full_ids_without_a_password_are_confirmed_first(qtbot, demo_workspace, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    panel = CountyExchangePanel(demo_workspace)
    qtbot.addWidget(panel)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    chosen: list[bool] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (chosen.append(True), ("", ""))[1]
    )
    panel.mask.setChecked(False)
    panel.password.clear()
    panel.export_button.click()
    assert len(asked) == 1 and "完整的身份证号" in asked[0] and not chosen  # not exported
    answer[0] = QMessageBox.StandardButton.Yes
    panel.export_button.click()
    assert chosen  # the worker chose to go on: the file dialog opens
    asked.clear()
    panel.password.setText("县里")
    assert panel.unprotected_export_confirmed() and not asked
    panel.password.clear()
    panel.mask.setChecked(True)
    assert panel.unprotected_export_confirmed() and not asked
