"""数据交换 holds ledger import and county workbook; a dropped file goes where it belongs."""

from __future__ import annotations

from carebook.gui.main_window import MainWindow
from carebook.services.county_exchange import export_workbook
from carebook.services.progress import run_to_end


def test_county_panel_sits_on_the_exchange_page(qtbot, demo_workspace) -> None:
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    page = window.show_page("exchange")
    assert page.county_panel.parent() is not None
    assert page.import_button.isVisibleTo(page)


def test_a_dropped_county_workbook_is_merged_and_a_ledger_imported(
    qtbot, demo_workspace, tmp_path, monkeypatch
) -> None:
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    page = window.show_page("exchange")
    merged, imported = [], []
    monkeypatch.setattr(page.county_panel, "read_workbook", lambda path: merged.append(path))
    monkeypatch.setattr(page, "open_wizard", lambda path=None: imported.append(path))
    ledger = tmp_path / "台账.csv"
    ledger.write_text("姓名,身份证号\n张三,110105201503120025\n", encoding="utf-8")
    page.open_file(ledger)
    assert imported == [ledger] and merged == []
    book = tmp_path / "县里.xlsx"
    run_to_end(export_workbook(demo_workspace.db, book))
    page.open_file(book)
    assert merged == [book] and imported == [ledger]


def test_import_now_from_the_welcome_opens_the_import_wizard(qtbot, workspace) -> None:
    """现在导入台账… in the welcome lands on 数据交换 with the wizard open, as the guide says."""
    from carebook.gui import application
    from carebook.gui.dialogs.import_wizard import ImportWizard

    window = MainWindow(workspace)
    qtbot.addWidget(window)
    application._open_import(window)
    page = window.page("exchange")
    qtbot.waitUntil(lambda: isinstance(page.wizard, ImportWizard) and page.wizard.isVisible())
    assert window.stack.currentWidget() is page
    page.wizard.reject()
