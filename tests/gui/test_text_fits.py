"""Every main page, the settings and the welcome keep their text whole in pseudo and English."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from carebook import i18n
from carebook.gui.dialogs.first_run import FirstRunDialog
from carebook.gui.main_window import MainWindow

# A common village-office laptop: 1366x768 less the taskbar.
SCREEN = (1366, 720)


@pytest.fixture(params=["pseudo", "en"])
def language(request):
    if request.param == "pseudo":
        i18n.set_language("zh_CN", pseudo=True)
    else:
        i18n.set_language("en")
    yield request.param
    i18n.set_language("zh_CN")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Screenshots go to CAREBOOK_SCREENSHOTS when set (to look at them), else a temp folder."""
    folder = Path(os.environ.get("CAREBOOK_SCREENSHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cut_text(root: QWidget) -> list[str]:
    """Visible labels and buttons narrower than their text needs (Qt would clip or elide it)."""
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        wraps = isinstance(widget, QLabel) and widget.wordWrap()
        if not isinstance(widget, QLabel | QAbstractButton) or wraps or not widget.text():
            continue
        text = widget.text()
        if widget.width() < widget.sizeHint().width():
            problems.append(f"{text!r}: {widget.width()} < {widget.sizeHint().width()} px")
    return problems


def test_main_pages_fit(qtbot, workspace, language, shots):
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    assert window.minimumSizeHint().width() <= SCREEN[0]
    # Navigation labels are never elided: the list is as wide as its widest entry.
    assert window.nav.sizeHintForColumn(0) <= window.nav.viewport().width()
    for spec in window.specs:
        window.show_page(spec.key)
        QApplication.processEvents()
        window.grab().save(str(shots / f"{language}-{spec.key}.png"))
        assert cut_text(window) == [], f"page {spec.key} in {language}"
        # A page asking for more width than the screen pushes the window past its edge.
        assert window.minimumSizeHint().width() <= SCREEN[0], f"page {spec.key} in {language}"


def test_welcome_fits(qtbot, workspace, language, shots):
    dialog = FirstRunDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1]
    dialog.grab().save(str(shots / f"{language}-welcome.png"))
    assert cut_text(dialog) == []


def test_pseudo_mode_really_stretches_what_the_pages_show(qtbot, workspace, language):
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    labels = [window.nav.item(row).text() for row in range(window.nav.count())]
    if language == "pseudo":
        assert all(text.startswith("[") and text.endswith("]") for text in labels)
    else:
        assert "Settings" in labels


def test_care_list_titles_are_never_clipped(qtbot):
    from carebook.gui.pages.care_table import RowTableModel, make_table, set_widths

    model = RowTableModel(["Date", "Village (community)", "Value (yuan)", "Notes"])
    view = make_table(model)
    qtbot.addWidget(view)
    set_widths(view, {0: 95, 1: 70, 2: 50})  # widths chosen for the Chinese titles
    header = view.horizontalHeader()
    assert all(header.sectionSize(c) >= header.sectionSizeHint(c) for c in range(3))
    # A list that changes its columns (走访's four lists) keeps them whole too.
    model.set_rows([("x",) * 4], [None], headers=["Guardian phone number", "A", "B", "C"])
    assert header.sectionSize(0) >= header.sectionSizeHint(0)
