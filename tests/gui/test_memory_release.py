"""Building a page leaves no module sources behind (shiboken6 reads them on import)."""

from __future__ import annotations

import linecache

from carebook.gui.main_window import MainWindow


def test_building_a_page_drops_the_sources_read_while_importing_it(qtbot, workspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    linecache.getlines(__file__)  # what any import through shiboken6 leaves in the cache
    assert __file__ in linecache.cache
    window.page("activities")
    assert __file__ not in linecache.cache
    assert len(linecache.cache) < 5
