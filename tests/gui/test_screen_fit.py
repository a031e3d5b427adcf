"""Every page and the main dialogs fit a 1024×768 laptop screen, in Chinese and in English.

A widget's minimumSizeHint is what its layout cannot go below: a window asking for more than
the screen runs off its edge (English filters once asked for 1,108 px), and a dialog taller
than the screen hides its buttons under the taskbar.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from carebook import i18n
from carebook.gui.main_window import MainWindow
from carebook.gui.window_size import SCREEN_SHARE
from carebook.services.county_plan import FieldConflict, MergePlan, RowConflict, RowDeletion
from carebook.services.register_search import RegisterIndex, RegisterQuery
from tests.gui.test_text_fits import cut_text

SCREEN = (1024, 768)
WINDOW_MOST = (1024, 740)  # less the window's title bar
DIALOG_MOST = (1024, 700)  # less the title bar and the taskbar
APP_POINTS = 10.5  # the smallest text the application sets (create_qt_app)


@pytest.fixture
def app_font(qapp):
    """The font the application runs with, not the bare test default: sizes follow it."""
    before = qapp.font()
    font = QApplication.font()
    font.setPointSizeF(max(font.pointSizeF(), APP_POINTS))
    qapp.setFont(font)
    yield
    qapp.setFont(before)


def _too_big(widget: QWidget, most: tuple[int, int]) -> str | None:
    hint = widget.minimumSizeHint()
    if hint.width() > most[0] or hint.height() > most[1]:
        return f"{hint.width()}×{hint.height()} > {most[0]}×{most[1]}"
    return None


def _sideways(root: QWidget) -> list[str]:
    """Scrolled forms and figures wider than their view: half of them off to the right."""
    found = []
    for scroll in root.findChildren(QScrollArea):
        body = scroll.widget()
        if scroll.isVisibleTo(root) and scroll.widgetResizable() and body is not None:
            need, room = body.minimumSizeHint().width(), scroll.viewport().width()
            if need > room:
                found.append(f"{scroll.parent().objectName() or 'scroll'}: {need} > {room} px")
    return found


def test_every_page_fits_the_screen(qtbot, demo_workspace, language, app_font):
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    problems = []
    for spec in window.specs:
        page = window.show_page(spec.key)
        if spec.key == "children":
            qtbot.waitUntil(lambda p=page: p.ready)
            # The counts widen every filter box: measure with them in.
            with qtbot.waitSignal(page.countsShown, timeout=5000):
                page.run_search()
        if spec.key == "statistics":  # the figure cards' titles are there once counted
            qtbot.waitUntil(lambda p=page: p.job is None, timeout=10000)
        QApplication.processEvents()
        # The stack keeps every page built so far: this is the window with all of them.
        if (too_big := _too_big(window, WINDOW_MOST)) is not None:
            problems.append(f"{spec.key}: {too_big}")
        window.resize(*SCREEN)
        QApplication.processEvents()
        problems += [f"{spec.key}: cut {text}" for text in cut_text(page)]
        problems += [f"{spec.key}: sideways {text}" for text in _sideways(page)]
    assert problems == [], language


def _register_filters_wrap(page) -> bool:
    bar = page.filters
    top = {combo.y() for combo in bar.combos.values()}
    return len(top) > 1


def test_the_register_filters_wrap_rather_than_widen_the_window(qtbot, demo_workspace, app_font):
    i18n.set_language("en")
    try:
        window = MainWindow(demo_workspace)
        qtbot.addWidget(window)
        window.resize(*SCREEN)
        window.show()
        page = window.page("children")
        qtbot.waitUntil(lambda: page.ready)
        QApplication.processEvents()
        assert window.width() <= SCREEN[0]
        assert _register_filters_wrap(page)  # two lines of filters at 1024 px in English
        combos = page.filters.combos.values()
        assert all(c.width() >= c.sizeHint().width() for c in combos)  # none squeezed
        window.resize(1600, 900)
        QApplication.processEvents()
        assert not _register_filters_wrap(page)  # one line where there is room
    finally:
        i18n.set_language("zh_CN")


def _merge_plan(tmp_path: Path) -> MergePlan:
    from carebook.exchange.county.reader import BookMeta

    meta = BookMeta("w", "o", "寿阳县", "2026-11-28", True, {}, {})
    conflict = RowConflict(
        "k", "儿童", 3, "u1", "王小明", [FieldConflict("school", "就读学校", "镇一小", "县一小")]
    )
    deletion = RowDeletion("k2", "儿童", 9, "u2", "李四")
    return MergePlan(
        tmp_path / "x.xlsx", "0", meta, True, conflicts=[conflict], deletions=[deletion]
    )


def _dialogs(workspace, tmp_path: Path) -> dict:
    from carebook.gui.dialogs.activity_dialog import ActivityDialog
    from carebook.gui.dialogs.assistance_dialog import AssistanceDialog
    from carebook.gui.dialogs.child_dialog import ChildDialog
    from carebook.gui.dialogs.first_run import FirstRunDialog
    from carebook.gui.dialogs.import_wizard import ImportWizard
    from carebook.gui.dialogs.merge_conflicts_dialog import MergeConflictsDialog
    from carebook.gui.dialogs.pairing_dialog import PairingDialog
    from carebook.gui.dialogs.print_preview import PrintPreviewDialog
    from carebook.gui.dialogs.visit_dialog import VisitDialog
    from carebook.gui.dialogs.visit_rules_dialog import VisitRulesDialog
    from carebook.gui.dialogs.volunteer_dialog import VolunteerDialog

    index = RegisterIndex(workspace.db)
    index.load()
    uids = [row.uid for row in index.search(RegisterQuery()).all_rows()[:3]]
    return {
        "child": lambda: ChildDialog(workspace, uids[0]),
        "new child": lambda: ChildDialog(workspace, None),
        "family visit": lambda: VisitDialog(workspace, uids),
        "pairing": lambda: PairingDialog(workspace, uids[0]),
        "pairing, mother first": lambda: PairingDialog(workspace),
        "activity": lambda: ActivityDialog(workspace),
        "assistance": lambda: AssistanceDialog(workspace),
        "volunteer": lambda: VolunteerDialog(workspace),
        "import wizard": lambda: ImportWizard(workspace),
        "merge conflicts": lambda: MergeConflictsDialog(_merge_plan(tmp_path)),
        "print preview": lambda: PrintPreviewDialog(
            None, tmp_path / "x.pdf", title="t", suggested_name="x.pdf", note=i18n.tr("走访")
        ),
        "visit rules": lambda: VisitRulesDialog(workspace),
        "first run": lambda: FirstRunDialog(workspace),
    }


def test_the_main_dialogs_fit_the_screen(qtbot, demo_workspace, language, app_font, tmp_path):
    problems = []
    for name, make in _dialogs(demo_workspace, tmp_path).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        QApplication.processEvents()
        if (too_big := _too_big(dialog, DIALOG_MOST)) is not None:
            problems.append(f"{name}: {too_big}")
        if name == "child":  # the child's file at the size it opens with on such a screen
            dialog.resize(int(SCREEN[0] * SCREEN_SHARE), int(SCREEN[1] * SCREEN_SHARE))
            QApplication.processEvents()
            problems += [f"{name}: sideways {text}" for text in _sideways(dialog)]
        dialog.close()
    assert problems == [], language
