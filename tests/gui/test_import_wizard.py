"""The import wizard end to end: read, preview, remap a column, plan, apply, cancel, report."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from carebook.exchange.columns import header_key
from carebook.gui.dialogs.import_wizard import APPLY, MAPPING, PLAN, SHEETS, ImportWizard
from carebook.gui.main_window import MainWindow
from carebook.services.stats import register_stats
from tests.exchange.builders import bad_check, ledger_rows, write_xlsx

WAIT = 20000


def _ledger(tmp_path, count=6):
    rows = ledger_rows(count)
    rows[1][3] = bad_check(rows[1][3])
    header = ["序号", "姓名", "性别", "身份证号", "出生日期", "村", "监护人", "联系电话", "爱好"]
    rows = [[*r[:8], "画画"] for r in rows]
    return write_xlsx(tmp_path / "宗艾镇留守儿童台账.xlsx", rows, header=header)


def _read(qtbot, wizard):
    with qtbot.waitSignal(wizard.plan_ready, timeout=WAIT):
        wizard.read_file()


def test_wizard_end_to_end(qtbot, workspace, tmp_path) -> None:
    wizard = ImportWizard(workspace, path=_ledger(tmp_path))
    qtbot.addWidget(wizard)
    _read(qtbot, wizard)
    assert wizard.stack.currentIndex() == SHEETS
    assert "表头在第 1 行" in wizard.sheets_label.text()
    assert wizard.preview_model.headerData(0, Qt.Orientation.Vertical) == "表头 1"
    wizard._show_step(MAPPING)
    wizard.set_mapping(header_key("爱好"), "notes")
    with qtbot.waitSignal(wizard.plan_ready, timeout=WAIT):
        wizard._next()
    assert wizard.stack.currentIndex() == PLAN
    assert wizard.plan.tables[0].field_columns()["notes"] == 8
    assert wizard.issue_model.rowCount() == 1
    assert wizard.issue_model.issue(0).row == 3
    wizard.show_row(0)
    assert "身份证号" in wizard._row_box.text()
    wizard._row_box.close()
    wizard._next()
    assert wizard.stack.currentIndex() == APPLY
    with qtbot.waitSignal(wizard.finished_import, timeout=WAIT):
        wizard.start_apply()
    assert register_stats(workspace.db).total == 5
    assert "发回村里改正" in wizard.summary_label.text()
    assert wizard.report_button.isVisibleTo(wizard)
    report = wizard.save_report_to(tmp_path / "问题.xlsx")
    assert report.exists()
    # The corrected mapping was remembered for the next file laid out the same way.
    again = ImportWizard(workspace, path=_ledger(tmp_path))
    qtbot.addWidget(again)
    _read(qtbot, again)
    assert again.plan.tables[0].field_columns()["notes"] == 8
    assert again.plan.counts["unchanged"] == 5


def test_a_clean_file_needs_no_problem_report(qtbot, workspace, tmp_path) -> None:
    wizard = ImportWizard(workspace, path=write_xlsx(tmp_path / "留守儿童.xlsx", ledger_rows(4)))
    qtbot.addWidget(wizard)
    _read(qtbot, wizard)
    wizard._show_step(APPLY)
    with qtbot.waitSignal(wizard.finished_import, timeout=WAIT):
        wizard.start_apply()
    assert "新增 4 名" in wizard.summary_label.text()
    assert "不需要问题报告" in wizard.summary_label.text()
    assert not wizard.report_button.isVisibleTo(wizard)


def test_cancel_leaves_the_register_as_it_was(qtbot, workspace, tmp_path, monkeypatch) -> None:
    from carebook.services import ledger_write

    monkeypatch.setattr(ledger_write, "CHUNK", 1)
    wizard = ImportWizard(workspace, path=_ledger(tmp_path, 60))
    qtbot.addWidget(wizard)
    _read(qtbot, wizard)
    wizard._prepare_apply()
    wizard.cancel_apply()  # nothing running yet: harmless
    with qtbot.waitSignal(wizard.failed, timeout=WAIT) as failed:
        wizard.start_apply()
        wizard.cancel_apply()
    assert failed.args == ["cancelled"]
    assert "没有任何改动" in wizard.message.text()
    assert register_stats(workspace.db).total == 0


def test_refused_file_and_password_prompt(qtbot, workspace, tmp_path) -> None:
    fake = tmp_path / "名单.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    wizard = ImportWizard(workspace, path=fake)
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.failed, timeout=WAIT) as failed:
        wizard.read_file()
    assert "不是表格" in failed.args[0]
    assert wizard.next_button.isEnabled()


def test_dropping_a_file_on_the_window_opens_the_wizard(qtbot, workspace, tmp_path) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(_ledger(tmp_path)))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    wizard = window.page("exchange").wizard
    qtbot.waitSignal(wizard.plan_ready, timeout=WAIT).wait()
    assert wizard.plan.counts["create"] == 5


def test_enter_after_the_password_checks_the_file(qtbot, workspace, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    picked = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: picked.append(1) or ("", "")
    )
    fake = tmp_path / "名单.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    wizard = ImportWizard(workspace, path=fake)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.password_edit, "1234")
    with qtbot.waitSignal(wizard.failed, timeout=WAIT):  # the file was checked
        qtbot.keyClick(wizard.password_edit, Qt.Key.Key_Return)
    assert not picked  # and no file picker popped up
