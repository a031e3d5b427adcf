"""Both versions side by side, field by field, with a choice per field; and deletions to confirm."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.widgets.form_footer import enter_moves_on
from carebook.i18n import tr
from carebook.services.county_merge import MergePlan

OURS, THEIRS = "ours", "theirs"


class ConflictModel(QAbstractTableModel):
    """One line per conflicting field: sheet, row, record, field, ours, theirs; tick one side."""

    HEADERS = ("表", "行", "记录", "字段", "本机的内容", "县里的内容")
    OURS_COLUMN, THEIRS_COLUMN = 4, 5
    WORDS = (0, 3)  # the workbook's sheet and column names: the program's words, translated

    def __init__(self, plan: MergePlan) -> None:
        super().__init__()
        # (uid, field, sheet, row, label, header, ours, theirs) as light tuples
        self.rows = [
            (c.uid, f.field, c.sheet, c.row, c.label, f.header, f.ours, f.theirs)
            for c in plan.conflicts
            for f in c.fields
        ]
        self.choice = [OURS] * len(self.rows)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = row[2:][col]
            if value == "":
                return tr("（空）")
            return tr(value) if col in self.WORDS else str(value)
        if role == Qt.ItemDataRole.CheckStateRole and col in (self.OURS_COLUMN, self.THEIRS_COLUMN):
            wanted = OURS if col == self.OURS_COLUMN else THEIRS
            chosen = self.choice[index.row()] == wanted
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (self.OURS_COLUMN, self.THEIRS_COLUMN):
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        self.choose(index.row(), OURS if index.column() == self.OURS_COLUMN else THEIRS)
        return True

    def choose(self, row: int, side: str) -> None:
        self.choice[row] = side
        self.dataChanged.emit(
            self.index(row, self.OURS_COLUMN), self.index(row, self.THEIRS_COLUMN)
        )

    def choose_all(self, side: str) -> None:
        self.beginResetModel()
        self.choice = [side] * len(self.rows)
        self.endResetModel()

    def choices(self) -> dict[tuple[str, str], str]:
        return {(r[0], r[1]): c for r, c in zip(self.rows, self.choice, strict=True)}


class DeletionModel(QAbstractTableModel):
    HEADERS = ("确认删除", "表", "原行号", "记录")

    def __init__(self, plan: MergePlan) -> None:
        super().__init__()
        self.rows = [(d.uid, d.sheet, d.row, d.label) for d in plan.deletions]
        self.confirmed = [False] * len(self.rows)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        if index.column() == 0:
            if role == Qt.ItemDataRole.CheckStateRole:
                return (
                    Qt.CheckState.Checked
                    if self.confirmed[index.row()]
                    else Qt.CheckState.Unchecked
                )
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = row[index.column()]
            return tr(value) if index.column() == 1 else str(value)  # the sheet's name
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        self.confirmed[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index)
        return True

    def accepted(self) -> set[str]:
        return {r[0] for r, ok in zip(self.rows, self.confirmed, strict=True) if ok}


class MergeConflictsDialog(QDialog):
    """Shown before a merge is applied when fields conflict or rows were deleted there."""

    def __init__(self, plan: MergePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.conflicts = ConflictModel(plan)
        self.deletions = DeletionModel(plan)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setWindowTitle(tr("合并县里的工作簿：请逐项选择"))
        self.resize(980, 560)
        layout = QVBoxLayout(self)
        self.conflict_label = QLabel(
            tr(
                "下面的内容在本机和县里都改过，而且改得不一样。请逐项勾选采用哪一边；"
                "没有选择的保持本机内容。"
            )
        )
        self.conflict_label.setWordWrap(True)  # a long line in English set a 1,100-pixel minimum
        layout.addWidget(self.conflict_label)
        self.conflict_view = QTableView()
        self.conflict_view.setModel(self.conflicts)
        self.conflict_view.verticalHeader().hide()
        self.conflict_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.conflict_view.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((80, 50, 90, 110, 260)):
            # At least the widest value: English field names ("Guardian phone") run longer.
            fitted = self.conflict_view.sizeHintForColumn(col) if col < 4 else 0
            header = self.conflict_view.horizontalHeader().sectionSizeHint(col)
            self.conflict_view.setColumnWidth(col, min(max(width, fitted, header), 220))
        layout.addWidget(self.conflict_view, 3)
        buttons = QHBoxLayout()
        self.all_ours = QPushButton(tr("全部保留本机"))
        self.all_theirs = QPushButton(tr("全部采用县里"))
        buttons.addWidget(self.all_ours)
        buttons.addWidget(self.all_theirs)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.deletion_label = QLabel(
            tr("县里删除了下面这些行。勾选的会在本机标记为已删除（记录不会被抹掉，可以查到）。")
        )
        self.deletion_label.setWordWrap(True)
        self.deletion_view = QTableView()
        self.deletion_view.setModel(self.deletions)
        self.deletion_view.verticalHeader().hide()
        self.deletion_view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.deletion_label)
        layout.addWidget(self.deletion_view, 2)
        has_conflicts, has_deletions = bool(self.conflicts.rows), bool(self.deletions.rows)
        for widget in (self.conflict_label, self.conflict_view, self.all_ours, self.all_theirs):
            widget.setVisible(has_conflicts)
        self.deletion_label.setVisible(has_deletions)
        self.deletion_view.setVisible(has_deletions)
        self.box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.box.button(QDialogButtonBox.StandardButton.Ok).setText(tr("按所选合并"))
        self.box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消，不合并"))
        layout.addWidget(self.box)

    def _connect_signals(self) -> None:
        self.all_ours.clicked.connect(lambda: self.conflicts.choose_all(OURS))
        self.all_theirs.clicked.connect(lambda: self.conflicts.choose_all(THEIRS))
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        # Enter while ticking through the lists merged the workbook there and then, with the
        # choices half made: only 按所选合并 itself (clicked, or Enter on it) merges.
        enter_moves_on(self)

    def choices(self) -> dict[tuple[str, str], str]:
        return self.conflicts.choices()

    def accepted_deletions(self) -> set[str]:
        return self.deletions.accepted()
