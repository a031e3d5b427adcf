"""A logged visit printed for the archive: the visit sheet's layout with its spaces filled in."""

from __future__ import annotations

from collections.abc import Iterator

from carebook.printing.pagekit import Pen, new_canvas
from carebook.printing.records import FilledVisit, SheetChild, SheetHeader
from carebook.printing.styles import PORTRAIT
from carebook.printing.visit_sheet import VisitSheetLayout


def write_visit_records(
    target,
    header: SheetHeader,
    records: list[tuple[SheetChild, FilledVisit]],
    font: str,
    missing: set[str] | None = None,
) -> Iterator[int]:
    """One filled sheet per visit (plus continuation pages for long text); yields pages so far.

    Each record is numbered on its own ("第 1 页 共 2 页"): it is filed in its child's folder."""
    if not records:
        raise ValueError("no visits to print")
    c = new_canvas(target, PORTRAIT, "走访记录（存档）")
    layout = VisitSheetLayout(Pen(c, font, missing))
    pages = 0
    for child, visit in records:
        pages += layout.draw(header, child, 1, 1, visit)
        c.showPage()
        yield pages
    c.save()
