"""Page geometry and type sizes shared by every layout: A4, binding margin, black on white."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm


@dataclass(frozen=True)
class PageFrame:
    """A page size and its margins; the binding side gets the wide margin (装订线)."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def content_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def content_top(self) -> float:
        return self.height - self.top

    @property
    def content_bottom(self) -> float:
        return self.bottom

    @property
    def size(self) -> tuple[float, float]:
        return (self.width, self.height)


# Portrait sheets are filed in binders on the left: 25 mm there leaves room for holes or staples.
PORTRAIT = PageFrame(A4[0], A4[1], left=25 * mm, right=15 * mm, top=14 * mm, bottom=14 * mm)
# A landscape page goes into a portrait binder turned a quarter: its top edge is the bound one.
LANDSCAPE = PageFrame(
    landscape(A4)[0], landscape(A4)[1], left=12 * mm, right=12 * mm, top=22 * mm, bottom=14 * mm
)

TITLE_SIZE = 16.0
HEADING_SIZE = 11.5
BODY_SIZE = 10.0
SMALL_SIZE = 8.5
FOOTER_SIZE = 8.0
MIN_FIT_SIZE = 6.5

FRAME_LINE = 0.9
GRID_LINE = 0.5
RULE_LINE = 0.35
RULE_GREY = 0.55  # ruled writing lines are grey so handwriting stands out on them
LABEL_FILL = 0.92  # light grey behind labels; prints as a faint tint on a laser printer
