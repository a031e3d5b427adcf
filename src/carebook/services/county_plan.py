"""What a merge plan holds: changes, conflicts side by side, deletions, and the plan itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from carebook.exchange.county.reader import BookMeta, CellProblem
from carebook.services.errors import ServiceError


class PasswordNeeded(ServiceError):
    """The workbook has an open-password and none (or a wrong one) was given."""


@dataclass(frozen=True)
class FieldConflict:
    field: str
    header: str
    ours: str
    theirs: str


@dataclass
class RowConflict:
    key: str
    sheet: str
    row: int
    uid: str
    label: str
    fields: list[FieldConflict]

    def to_json(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "uid": self.uid,
            "name": self.label,
            "fields": {f.header: [f.ours, f.theirs] for f in self.fields},
        }


@dataclass
class RowChange:
    key: str
    sheet: str
    row: int
    uid: str  # the row's uid here (created with it, or the one matched)
    action: str  # create | update
    fields: dict[str, str]  # field -> theirs, canonical text
    note: str = ""


@dataclass(frozen=True)
class RowDeletion:
    key: str
    sheet: str
    row: int  # where the row stood when exported
    uid: str
    label: str

    def to_json(self) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "uid": self.uid, "name": self.label}


@dataclass
class MergePlan:
    path: Path
    sha256: str
    meta: BookMeta
    own: bool  # exported by this installation
    changes: list[RowChange] = field(default_factory=list)
    conflicts: list[RowConflict] = field(default_factory=list)
    deletions: list[RowDeletion] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0
    unchanged: int = 0
    previous_reads: int = 0
