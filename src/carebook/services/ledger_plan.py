"""The import plan's data: per row create/update/unchanged/skipped, with problems and counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from carebook.exchange.sheet_tables import SheetTable
from carebook.services.errors import ServiceError
from carebook.services.ledger_rows import Issue, ParsedRow

CREATE, UPDATE, UNCHANGED, SKIPPED = "create", "update", "unchanged", "skipped"
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "无变化", SKIPPED: "跳过"}


class ImportRefused(ServiceError):
    """The whole file is refused; message is one sentence."""


class ImportPasswordNeeded(ImportRefused):
    """The workbook is encrypted; ask for its password and build the plan again."""


@dataclass(frozen=True, slots=True)
class Change:
    field: str  # the label a worker reads (监护人电话)
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RowPlan:
    sheet: str
    row: int
    kind: str  # child | volunteer
    action: str
    name: str
    key: str  # masked ID number or phone, for showing
    changes: tuple[Change, ...] = ()
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class SheetSummary:
    name: str
    skipped: bool
    reason: str = ""
    kind: str = ""
    header_rows: tuple[int, ...] = ()
    rows: int = 0
    notes: tuple[str, ...] = ()  # e.g. 乡镇按标题取为“洪善镇”

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "skipped": self.skipped, "reason": self.reason}


@dataclass
class ImportPlan:
    """What importing a file would do; apply_import writes it (after checking its matches)."""

    file: str
    path: str
    sheets: list[SheetSummary]
    tables: list[SheetTable]
    parsed: list[ParsedRow]  # the file's rows as facts; kept so apply can match afresh
    rows: list[RowPlan] = field(default_factory=list)
    applied: bool = False
    # (witness, operations) of the rows' matches, for apply to reuse while they still hold.
    matched: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def counts(self) -> Counter:
        return Counter(r.action for r in self.rows)

    @property
    def errors(self) -> list[Issue]:
        return [issue for r in self.rows for issue in r.errors]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for r in self.rows for issue in r.warnings]

    def to_json(self) -> dict[str, object]:
        counts = self.counts
        return {
            "file": self.file,
            "sheets": [s.to_json() for s in self.sheets],
            "rows": len(self.rows),
            "created": counts[CREATE],
            "updated": counts[UPDATE],
            "unchanged": counts[UNCHANGED],
            "skipped": counts[SKIPPED],
            "errors": [i.to_json() for i in self.errors],
            "warnings": [i.to_json() for i in self.warnings],
            "applied": self.applied,
        }
