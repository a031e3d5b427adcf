"""Continuation pages of a filled visit record: full text of fields too long for their lines."""

from __future__ import annotations

from carebook.printing import styles
from carebook.printing.pagekit import Pen
from carebook.printing.styles import PageFrame

PITCH = 16.0

Line = tuple[str, bool]  # (text, is a heading)


def continuation_pages(
    pen: Pen, frame: PageFrame, child_name: str, cut: list[tuple[str, str]]
) -> list[list[Line]]:
    """The cut fields' full text, wrapped to the page and split into pages."""
    lines: list[Line] = [(f"{child_name} 走访记录（续页）", True)]
    for label, text in cut:
        lines.append((label, True))
        lines += [(line, False) for line in pen.wrap(text, frame.content_width, styles.BODY_SIZE)]
    per_page = int((frame.content_top - frame.content_bottom - 10) // PITCH)
    return [lines[i : i + per_page] for i in range(0, len(lines), per_page)]


def draw_continuation(pen: Pen, frame: PageFrame, lines: list[Line]) -> None:
    y = frame.content_top - 14
    for text, heading in lines:
        if heading:
            pen.bold(frame.left, y, text, styles.HEADING_SIZE)
        else:
            pen.text(frame.left, y, text, styles.BODY_SIZE)
        y -= PITCH
