"""The print preview, the print entry points the pages call, and finding a child from paper."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from carebook.gui import printing_actions as actions
from carebook.gui.dialogs.paper_visit_entry import PaperVisitEntryDialog
from carebook.gui.dialogs.print_preview import PrintPreviewDialog
from carebook.services import printing as jobs
from carebook.services.audit_log import LogFilter, log_lines
from carebook.services.progress import run_to_end
from carebook.services.schedule import DueQuery
from carebook.services.sheet_codes import make_code, qr_value
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def _closing_drops_a_typed_code(monkeypatch):
    """The sheet-code box asks before a close drops a typed code; offscreen that modal
    question would hang the teardown that closes the dialogs."""
    from carebook.gui.widgets import form_footer

    monkeypatch.setattr(
        form_footer.QMessageBox,
        "question",
        lambda *args: form_footer.QMessageBox.StandardButton.Discard,
    )


def _uids(workspace, n: int) -> list[str]:
    from sqlalchemy import select

    from carebook.storage.tables import Child

    with workspace.db.reading() as session:
        return list(session.scalars(select(Child.uid).where(Child.status == "在册").limit(n)))


def _has_ink(widget) -> bool:
    """Whether the widget shows dark pixels: QPdfView draws its pages in the background."""
    image = widget.grab().toImage()
    step = 7
    return any(
        image.pixelColor(x, y).lightness() < 100
        for x in range(20, image.width() - 20, step)
        for y in range(20, image.height() - 60, step)
    )


def _shot(widget, name: str) -> None:
    """Saved only into CAREBOOK_SCREENSHOTS (to look at them): pictures of children's records
    left in a fixed folder of the shared /tmp outlived every run."""
    image = widget.grab()
    folder = os.environ.get("CAREBOOK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def sheets_pdf(demo_workspace, tmp_path) -> Path:
    out = tmp_path / "carebook-print-x" / "sheets.pdf"
    out.parent.mkdir()
    ids = jobs.select_children(demo_workspace.db, keys=_uids(demo_workspace, 3))
    options = jobs.PrintOptions(county="寿阳县", today=TODAY)
    run_to_end(jobs.visit_sheets(demo_workspace.db, out, ids, options))
    return out


def test_the_preview_shows_every_page_and_prints_them(qtbot, sheets_pdf, tmp_path):
    dialog = PrintPreviewDialog(None, sheets_pdf, title="走访记录表", suggested_name="a.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count == 3
    assert dialog.pages_label.text() == "共 3 页"
    qtbot.waitUntil(lambda: _has_ink(dialog.view), timeout=15_000)
    _shot(dialog, "preview")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert dialog.print_to(printer, 2, 3) == 2
    assert len(PdfReader(printed).pages) == 2


def test_save_as_copies_the_pdf_and_closing_removes_the_temporary_one(qtbot, sheets_pdf, tmp_path):
    dialog = PrintPreviewDialog(None, sheets_pdf, title="t", suggested_name="a.pdf")
    qtbot.addWidget(dialog)
    saved = dialog.save_to(tmp_path / "kept.pdf")
    assert saved is not None and len(PdfReader(saved).pages) == 3
    dialog.reject()
    assert not sheets_pdf.exists() and not sheets_pdf.parent.exists()
    assert saved.exists()


def test_a_font_note_is_shown_above_the_pages(qtbot, sheets_pdf):
    note = "本机没有找到可嵌入的中文 TrueType 字体，改用内置 STSong-Light 字体"
    dialog = PrintPreviewDialog(
        None, sheets_pdf, title="t", suggested_name="a.pdf", note=note, temporary=False
    )
    qtbot.addWidget(dialog)
    assert any(note in label.text() for label in dialog.findChildren(type(dialog.pages_label)))


def test_printing_selected_children_runs_off_the_gui_thread_and_previews(
    qtbot, parent, demo_workspace
):
    uids = _uids(demo_workspace, 4)
    shown: list[PrintPreviewDialog] = []
    # The job may finish before a signal could be waited on: wait on its visible effect instead.
    actions.print_visit_sheets_for(parent, demo_workspace, uids, on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    dialog = shown[0]
    assert dialog.page_count == 4 and dialog.isVisible()
    logged = log_lines(demo_workspace.db, LogFilter(action="print"))
    assert {e.uid for e in logged} == set(uids)
    assert all(e.source == "界面打印" and e.actor == "测试员" for e in logged)
    dialog.reject()


@pytest.mark.parametrize("kind", ["case", "roster", "due", "record", "sign-in"])
def test_every_print_kind_previews(qtbot, parent, demo_workspace, kind):
    from sqlalchemy import select

    from carebook.storage.tables import Activity, Visit

    with demo_workspace.db.reading() as session:
        visit_uid = session.scalar(select(Visit.uid).limit(1))
        activity_uid = session.scalar(select(Activity.uid).limit(1))
    shown: list[PrintPreviewDialog] = []
    start = {
        "case": lambda: actions.open_case_file(
            parent, demo_workspace, _uids(demo_workspace, 1)[0], on_preview=shown.append
        ),
        "roster": lambda: actions.print_roster(parent, demo_workspace, on_preview=shown.append),
        "due": lambda: actions.print_due_list(
            parent, demo_workspace, DueQuery(TODAY, within_days=None), on_preview=shown.append
        ),
        "record": lambda: actions.print_visit_record(
            parent, demo_workspace, visit_uid, on_preview=shown.append
        ),
        "sign-in": lambda: actions.print_sign_in(
            parent, demo_workspace, activity_uid, on_preview=shown.append
        ),
    }[kind]
    start()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert shown[0].page_count >= 1
    qtbot.waitUntil(lambda: _has_ink(shown[0].view), timeout=15_000)
    _shot(shown[0], f"preview-{kind}")
    shown[0].reject()


def test_a_failed_print_tells_the_user_and_leaves_no_folder(
    qtbot, parent, demo_workspace, monkeypatch
):
    told: list[Exception] = []
    monkeypatch.setattr(actions, "show_error", lambda _parent, error: told.append(error))
    actions.print_sign_in(parent, demo_workspace, "0" * 32)
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    assert "找不到活动" in str(told[0])


def test_the_code_from_a_paper_sheet_finds_the_child(qtbot, demo_workspace):
    uid = _uids(demo_workspace, 1)[0]
    opened: list[str] = []
    dialog = actions.enter_paper_visit(None, demo_workspace, opened.append)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code, make_code(uid, TODAY).lower())
    dialog.find_button.click()
    assert dialog.child_uid == uid and dialog.open_button.isEnabled()
    assert "走访表打印于 2026-11-28" in dialog.result_label.text()
    _shot(dialog, "paper-entry-found")
    assert opened == []
    dialog.open_button.click()
    assert opened == [uid]


def test_a_scanner_sending_enter_opens_the_visit_form_at_once(qtbot, demo_workspace):
    first, second = _uids(demo_workspace, 2)
    opened: list[str] = []
    saved = [False, True, True]  # the first form cancelled, then each visit saved
    dialog = actions.enter_paper_visit(
        None, demo_workspace, lambda uid: opened.append(uid) or saved.pop(0)
    )
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code, qr_value(first, make_code(first, TODAY)))
    qtbot.keyClick(dialog.code, "\r")
    assert opened == [first] and dialog.isVisible()
    assert dialog.code.text()  # cancelled: the code stays to try again
    qtbot.keyClick(dialog.code, "\r")
    assert opened == [first, first]
    # Saved: the dialog waits for the next sheet of the pile, its box empty.
    assert dialog.isVisible() and dialog.code.text() == "" and dialog.entered == 1
    assert "请输入或扫描下一张" in dialog.result_label.text()
    _shot(dialog, "paper-entry-next-sheet")
    qtbot.keyClicks(dialog.code, qr_value(second, make_code(second, TODAY)))
    qtbot.keyClick(dialog.code, "\r")
    assert opened == [first, first, second] and dialog.entered == 2
    dialog.reject()  # nothing typed since: closes without asking
    assert not dialog.isVisible()


def test_a_scanned_qr_code_works_and_a_typo_is_explained(qtbot, demo_workspace):
    uid = _uids(demo_workspace, 1)[0]
    dialog = PaperVisitEntryDialog(None, demo_workspace)
    qtbot.addWidget(dialog)
    code = make_code(uid, TODAY)
    dialog.code.setText(code[:-1] + ("0" if code[-1] != "0" else "1"))
    dialog.look_up()
    assert dialog.child_uid is None and not dialog.open_button.isEnabled()
    assert "抄错" in dialog.result_label.text()
    _shot(dialog, "paper-entry-typo")
    dialog.code.setText(qr_value(uid, code))
    dialog.look_up()
    assert dialog.child_uid == uid


def test_the_settings_page_offers_the_fonts_found_here_and_says_which_is_used(
    qtbot, workspace, monkeypatch
):
    from carebook.gui.pages.settings_page import SettingsPage
    from carebook.printing.fonts import installed_candidates

    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    field = page.pdf_font
    values = [field.combo.itemData(i) for i in range(field.combo.count())]
    assert values[0] == "" and "STSong-Light" in values
    assert str(installed_candidates()[0]) in values
    assert "嵌入 PDF" in field.status.text()
    field.setText("STSong-Light")
    assert "不嵌入" in field.status.text() and field.text() == "STSong-Light"
    field.setText("/no/such/font.ttf")
    assert "无法使用" in field.status.text() and field.text() == "/no/such/font.ttf"
    field.setText(values[1])
    page.show()
    _shot(page, "settings-font")
    monkeypatch.setattr(
        "carebook.gui.pages.settings_page.QMessageBox.information", lambda *a, **k: None
    )
    page.save()
    assert workspace.settings.pdf_font == values[1]


def test_cancelling_a_batch_leaves_no_file_behind(qtbot, parent, demo_workspace, monkeypatch):
    made: list[Path] = []
    real = actions._temporary_pdf

    def remember(name: str) -> Path:
        made.append(real(name))
        return made[-1]

    monkeypatch.setattr(actions, "_temporary_pdf", remember)
    shown: list[PrintPreviewDialog] = []
    runner = actions.print_visit_sheets_for(
        parent, demo_workspace, _uids(demo_workspace, 200), on_preview=shown.append
    )
    with qtbot.waitSignal(runner.signals.cancelled, timeout=30_000):
        runner.cancel()  # connected before cancelling: the signal cannot be missed
    qtbot.waitUntil(lambda: not made[0].parent.exists(), timeout=5_000)
    assert shown == []
