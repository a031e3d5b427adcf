"""What a merge plan holds: changes, conflicts side by side, deletions, and the plan itself."""

from __future__ import annotations

import hashlib
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
    # Conflicts an earlier reading of this workbook settled by keeping ours, for the same value
    # there: not asked again (an explicit choice may still take theirs).
    settled: list[RowConflict] = field(default_factory=list)
    deletions: list[RowDeletion] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0
    unchanged: int = 0
    previous_reads: int = 0
    kept_before: frozenset[str] = frozenset()  # kept_key()s of those settled conflicts
    # child uid here -> its last visit as the sheet says (ISO date): raises ours, never lowers.
    last_visits: dict[str, str] = field(default_factory=dict)


def kept_key(key: str, uid: str, field: str, theirs: str) -> str:
    """Names a conflict settled as ours: the record, the field and the value that was refused.

    A new value there for the same field has another key, so it is asked again.
    """
    digest = hashlib.blake2b(theirs.encode("utf-8"), digest_size=8).hexdigest()
    return f"{key}|{uid}|{field}|{digest}"
