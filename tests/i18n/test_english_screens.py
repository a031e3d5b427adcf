"""In English, every page's own words are English: column titles, tabs, buttons, boxes.

The catalogue test finds the strings written as tr("…"); column titles kept in lists and
translated as tr(h) escape it. This test looks at the screens themselves instead.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabWidget,
)

from carebook.domain.categories import all_categories
from carebook.domain.people import SEXES, SUPPORT_KINDS
from carebook.gui.dialogs.import_wizard import ImportWizard
from carebook.gui.main_window import MainWindow

CJK = re.compile(r"[\u4e00-\u9fff]")
# Data, not the program's words: sexes head the statistics' age table, the language choice
# names each language in itself, and a child's categories and policies are ticked by name.
DATA = {*SEXES, "简体中文", *all_categories(), *SUPPORT_KINDS}


def _own_words(page) -> list[str]:
    texts = [b.text() for b in page.findChildren(QAbstractButton)]
    texts += [g.title() for g in page.findChildren(QGroupBox)]
    texts += [e.placeholderText() for e in page.findChildren(QLineEdit)]
    texts += [c.itemText(0) for c in page.findChildren(QComboBox) if c.count()]
    for tabs in page.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for header in page.findChildren(QHeaderView):
        model = header.model()
        if model is not None and header.orientation() == Qt.Orientation.Horizontal:
            horizontal = Qt.Orientation.Horizontal
            texts += [
                str(model.headerData(i, horizontal) or "") for i in range(model.columnCount())
            ]
    return texts


def test_every_page_speaks_english(qtbot, demo_workspace, english):
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    chinese = []
    for spec in window.specs:
        page = window.show_page(spec.key)
        QApplication.processEvents()
        if spec.key == "children":
            qtbot.waitUntil(lambda p=page: p.ready)
        chinese += [
            f"{spec.key}: {text}"
            for text in _own_words(page)
            if CJK.search(text) and text not in DATA
        ]
    assert chinese == []


def test_english_column_titles_are_whole(qtbot, demo_workspace, english):
    """Columns are sized from their first rows with a cap (long category lists elide), but a
    title is never cut: English ones run longer than the Chinese."""
    from carebook.gui.ui_settings import ui_settings

    ui_settings().remove("children_page/columns")  # sized afresh, as on a first start
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    page = window.page("children")
    header = page.view.horizontalHeader()
    labels = header.model()
    metrics = header.fontMetrics()
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        title = labels.headerData(section, Qt.Orientation.Horizontal)
        assert header.sectionSize(section) >= metrics.horizontalAdvance(title), title


def test_the_childs_file_and_the_import_wizard_speak_english(qtbot, demo_workspace, english):
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    page = window.page("children")
    qtbot.waitUntil(lambda: page.ready)
    child = page.model.row_at(0)
    page.open_child(child.uid)
    wizard = ImportWizard(demo_workspace)
    qtbot.addWidget(wizard)
    # Here the labels too: the form's field names (only the child's own name is data).
    chinese = [
        f"{where}: {text}"
        for where, root in (("child's file", page.dialog), ("import wizard", wizard))
        for text in [*_own_words(root), *(label.text() for label in root.findChildren(QLabel))]
        if CJK.search(text) and text not in DATA and child.name not in text
    ]
    page.dialog.done(0)
    assert chinese == []


def test_the_care_dialogs_speak_english(qtbot, demo_workspace, english):
    """Their field names, titles and lists; their choices (visit ways, projects, identities)
    are data and stay as written."""
    from carebook.gui.dialogs.activity_dialog import ActivityDialog
    from carebook.gui.dialogs.assistance_dialog import AssistanceDialog
    from carebook.gui.dialogs.pairing_dialog import PairingDialog
    from carebook.gui.dialogs.visit_dialog import VisitDialog
    from carebook.gui.dialogs.volunteer_dialog import VolunteerDialog
    from carebook.services.register_search import RegisterIndex, RegisterQuery

    index = RegisterIndex(demo_workspace.db)
    index.load()
    child = index.search(RegisterQuery()).all_rows()[0]
    dialogs = {
        "visit": VisitDialog(demo_workspace, [child.uid]),
        "pairing": PairingDialog(demo_workspace, child.uid),
        "volunteer": VolunteerDialog(demo_workspace),
        "assistance": AssistanceDialog(demo_workspace, [child.uid]),
        "activity": ActivityDialog(demo_workspace),
    }
    chinese = []
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        texts = [dialog.windowTitle(), *(label.text() for label in dialog.findChildren(QLabel))]
        texts += [g.title() for g in dialog.findChildren(QGroupBox)]
        texts += [text for text in _own_words(dialog) if text not in _choices(dialog)]
        chinese += [
            f"{name}: {text}"
            for text in texts
            if CJK.search(text) and text not in DATA and child.name not in text
        ]
    assert chinese == []


def _choices(dialog) -> set[str]:
    """What the dialog offers to pick: data (ways, findings, identities, providers)."""
    found = {c.itemText(i) for c in dialog.findChildren(QComboBox) for i in range(c.count())}
    found |= {b.text() for b in dialog.findChildren(QAbstractButton) if b.isCheckable()}
    return found
