"""The register table model on its own, without a view: rows, paging, masking, colours, sorting."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from carebook.gui.models import children_model
from carebook.gui.models.children_model import (
    COLUMN_KEYS,
    ChildrenTableModel,
    SpokenChildrenTableModel,
)
from carebook.services.register_search import RegisterIndex, RegisterQuery
from tests.conftest import TODAY


def _index(demo_db) -> RegisterIndex:
    index = RegisterIndex(demo_db, today=TODAY)
    index.load()
    return index


def test_model_pages_through_a_lazy_result(qapp, demo_db):
    index = _index(demo_db)
    model = ChildrenTableModel()
    result = index.search(RegisterQuery(status=""), page=50)
    model.set_result(result)
    assert model.rowCount() == 50
    assert model.columnCount() == len(COLUMN_KEYS)
    assert model.canFetchMore(QModelIndex())
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 300 == result.total
    assert model.rowCount(model.index(0, 0)) == 0  # a table, not a tree


def test_model_masks_numbers_and_marks_overdue_and_left_children(qapp, demo_db):
    index = _index(demo_db)
    model = ChildrenTableModel()
    model.today = TODAY
    model.set_result(index.search(RegisterQuery(status="")))
    phone_col = COLUMN_KEYS.index("guardian_phone")
    due_col = COLUMN_KEYS.index("next_due_on")
    id_col = COLUMN_KEYS.index("id_number")
    rows = [model.row_at(r) for r in range(model.rowCount())]
    with_phone = next(i for i, r in enumerate(rows) if r.guardian_phone)
    shown = model.data(model.index(with_phone, phone_col))
    assert "****" in shown and shown[-4:] == rows[with_phone].guardian_phone[-4:]
    assert rows[with_phone].guardian_phone not in shown
    shown_id = model.data(model.index(with_phone, id_col))
    assert shown_id[:6] == rows[with_phone].id_number[:6] and "*" in shown_id
    overdue = next(i for i, r in enumerate(rows) if r.overdue)
    cell = model.index(overdue, due_col)
    assert "逾期" in model.data(cell)
    assert model.data(cell, Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    assert "天" in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    left = next(i for i, r in enumerate(rows) if r.status == "退出")
    assert model.data(model.index(left, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(left, 0), Qt.ItemDataRole.UserRole) == rows[left].uid
    model.mask_numbers = False
    assert model.data(model.index(with_phone, phone_col)) == rows[with_phone].guardian_phone


def test_model_asks_the_search_to_sort_and_shows_headers(qapp, demo_db):
    model = ChildrenTableModel()
    model.set_result(_index(demo_db).search(RegisterQuery()))
    asked = []
    model.sortRequested.connect(lambda key, down: asked.append((key, down)))
    model.sort(COLUMN_KEYS.index("age"), Qt.SortOrder.DescendingOrder)
    assert asked == [("age", True)]
    model.sort(-1, Qt.SortOrder.AscendingOrder)  # Qt's "original order"
    assert asked[-1] == ("", False)
    labels = model.header_labels()  # what the view's header shows
    assert labels.columnCount() == model.columnCount()
    assert labels.headerData(0, Qt.Orientation.Horizontal) == "姓名"
    assert labels.headerData(COLUMN_KEYS.index("next_due_on"), Qt.Orientation.Horizontal) == (
        "下次应走访"
    )
    # Screen readers ask the model itself: the spoken model answers them.
    spoken = SpokenChildrenTableModel()
    assert spoken.headerData(0, Qt.Orientation.Horizontal) == "姓名"
    assert spoken.headerData(0, Qt.Orientation.Vertical) is None
    guardian = model.index(0, COLUMN_KEYS.index("guardian_name"))
    row = model.row_at(0)
    assert model.data(guardian) == f"{row.guardian_name}（{row.guardian_relation}）"


def test_set_rows_shows_a_fixed_preview(qapp, demo_db):
    index = RegisterIndex(demo_db, today=TODAY)
    preview = index.preview(limit=20)
    model = ChildrenTableModel()
    model.set_rows(preview)
    assert model.rowCount() == 20 and not model.canFetchMore(QModelIndex())
    assert all(r.status == "在册" for r in preview)


def test_role_numbers_are_qts():
    """The model names roles by number (see children_model): they must be Qt's."""
    roles = Qt.ItemDataRole
    assert roles.DisplayRole.value == children_model.DISPLAY_ROLE
    assert roles.ToolTipRole.value == children_model.TOOLTIP_ROLE
    assert roles.ForegroundRole.value == children_model.FOREGROUND_ROLE
    assert roles.UserRole.value == children_model.USER_ROLE
