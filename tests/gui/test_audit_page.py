"""操作记录: the log as a worker reads it, filtered from the bar, and current when shown."""

from __future__ import annotations

from carebook.gui.main_window import MainWindow
from carebook.services.audit import Origin
from carebook.services.children import register_child, reveal
from tests.conftest import child_facts


def _rows(page) -> list[tuple]:
    model = page.model
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_the_log_page_shows_filters_and_catches_up(qtbot, workspace) -> None:
    record = register_child(workspace.db, child_facts(), origin=Origin("李主任"))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("audit")
    assert [row[1:4] for row in _rows(page)] == [("李主任", "登记", "儿童 张子涵")]
    # Done elsewhere while the page was built: the page reads the log again when shown.
    reveal(workspace.db, record.uid, "id_number", origin=Origin("王督导"))
    window.show_page("settings")
    window.show_page("audit")
    assert _rows(page)[0][1:5] == (
        "王督导",
        "查看完整号码",
        "儿童 张子涵",
        "公民身份号码",
    )
    assert "共 2 条" in page.count.text()
    page.action.setCurrentIndex(page.action.findData("create"))
    assert [row[2] for row in _rows(page)] == ["登记"]
    page.action.setCurrentIndex(0)
    page.text.setText("王督导")
    page.text.returnPressed.emit()
    assert [row[1] for row in _rows(page)] == ["王督导"]
    # A period nobody can read is said so, and the list stays as it was.
    page.period.setText("上个月吧")
    page.period.editingFinished.emit()
    assert "时间段" in page.count.text() or "上个月吧" in page.count.text()
    assert len(_rows(page)) == 1
