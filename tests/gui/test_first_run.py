"""The first-run welcome: what it asks, what it refuses, what it saves, and the demo kept apart."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from carebook.domain.schedule import DEFAULT_RULES
from carebook.gui.dialogs.first_run import (
    DEMO,
    EMPTY,
    FirstRunDialog,
    open_demo_workspace,
    run_first_run,
    split_villages,
)
from carebook.gui.main_window import MainWindow
from carebook.services.stats import register_stats
from carebook.settings import load_settings
from carebook.storage.areas import all_villages


def fill(dialog: FirstRunDialog) -> None:
    dialog.worker.setText(" 王秀英 ")
    dialog.county.setText("和顺县")
    dialog.township.setText("义兴镇")
    dialog.villages.setText("东村，西村、 东村 南村")


def test_villages_split_on_every_separator_people_type():
    assert split_villages("东村，西村、 东村 南村;北村") == ["东村", "西村", "南村", "北村"]
    assert split_villages(" 、 ") == []


def test_real_data_needs_a_name_township_and_village(qtbot, workspace):
    workspace.settings.worker_name = ""
    dialog = FirstRunDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.empty_button.click()
    assert dialog.choice is None and not dialog.problem.isHidden()
    assert "姓名" in dialog.problem.text() and "乡镇" in dialog.problem.text()
    assert not workspace.paths.settings_file.exists()  # nothing saved from a refused form


def test_choices_save_the_worker_place_and_rules(qtbot, workspace):
    dialog = FirstRunDialog(workspace)
    qtbot.addWidget(dialog)
    fill(dialog)
    dialog.rule_spins[0][1].setValue(2)
    with qtbot.waitSignal(dialog.accepted):
        dialog.import_button.click()
    assert dialog.choice == "import"
    saved = load_settings(workspace.paths.settings_file)
    assert saved.first_run_done
    assert (saved.worker_name, saved.county, saved.township) == ("王秀英", "和顺县", "义兴镇")
    assert saved.villages == ["东村", "西村", "南村"]
    assert saved.visit_rules[0]["interval_months"] == 2
    assert len(saved.visit_rules) == len(DEFAULT_RULES)
    assert workspace.visit_rules()[0].interval_months == 2


def test_a_demo_needs_no_details(qtbot, workspace):
    workspace.settings.worker_name = ""
    dialog = FirstRunDialog(workspace)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.accepted):
        dialog.demo_button.click()
    assert dialog.choice == DEMO


def test_demo_county_lives_in_its_own_file(qtbot, workspace):
    real_file = workspace.db.file
    demo = open_demo_workspace(workspace)
    assert demo is not None
    qtbot.addWidget(window := MainWindow(demo))
    try:
        assert demo.db.file == workspace.paths.demo_database != real_file
        assert register_stats(demo.db).total == 300
        assert "示例县" in window.windowTitle()
    finally:
        demo.close()
    from carebook.storage.database import open_database

    with open_database(f"sqlite:///{real_file}") as real:
        assert register_stats(real).total == 0  # the real register got none of it


def test_run_first_run_returns_the_choice_and_workspace(qtbot, workspace):
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FirstRunDialog)
        fill(dialog)
        dialog.empty_button.click()

    QTimer.singleShot(0, answer)
    result = run_first_run(workspace)
    assert result is not None and result.choice == EMPTY and result.workspace is workspace
    data = json.loads(workspace.paths.settings_file.read_text(encoding="utf-8"))
    assert data["first_run_done"] is True and data["worker_name"] == "王秀英"
    # Its villages are in the register already, for the first child's form.
    with workspace.db.reading() as session:
        villages = {(town, village) for _id, town, village in all_villages(session)}
    assert villages == {("义兴镇", "东村"), ("义兴镇", "西村"), ("义兴镇", "南村")}


def test_closing_the_welcome_decides_nothing(qtbot, workspace):
    def close() -> None:
        QApplication.activeModalWidget().reject()

    QTimer.singleShot(0, close)
    assert run_first_run(workspace) is None
    assert not workspace.paths.settings_file.exists()
