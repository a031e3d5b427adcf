"""Flowing content over pages: headings, label/value facts and tables whose header repeats.

Everything is measured first and placed on pages second, so "第 n 页 共 m 页" is known when
drawing and a table row never splits across a page (a row taller than a page is cut with …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from carebook.printing import styles
from carebook.printing.pagekit import Pen
from carebook.printing.styles import PageFrame

PAD = 3.0
LINE = 1.3  # line height as a multiple of the font size

Draw = Callable[[Pen, float, float], None]  # (pen, x, top y)


@dataclass
class Block:
    height: float
    draw: Draw
    keep_with_next: bool = False
    repeat: Block | None = None  # drawn again at the top of a page this block's group continues on
    # Never the first thing on a page: the block before it moves over too (a signature line).
    keep_with_previous: bool = False
    blank: bool = False  # only space


class Flow:
    """Collects blocks for one document and lays them out on pages of a frame."""

    def __init__(self, pen: Pen, frame: PageFrame) -> None:
        self.pen = pen
        self.frame = frame
        self.blocks: list[Block] = []

    @property
    def width(self) -> float:
        return self.frame.content_width

    # -- building ------------------------------------------------------------------------------

    def heading(self, text: str, size: float = styles.HEADING_SIZE, gap: float = 8.0) -> Block:
        def draw(pen: Pen, x: float, top: float) -> None:
            pen.bold(x, top - gap - size, text, size)

        block = Block(gap + size + 6, draw, keep_with_next=True)
        self.blocks.append(block)
        return block

    def paragraph(self, text: str, size: float = styles.BODY_SIZE) -> None:
        lines = self.pen.wrap(text, self.width, size)
        height = len(lines) * size * LINE + 2

        def draw(pen: Pen, x: float, top: float) -> None:
            for i, line in enumerate(lines):
                pen.text(x, top - size - i * size * LINE, line, size)

        self.blocks.append(Block(height, draw))

    def space(self, height: float) -> None:
        self.blocks.append(Block(height, lambda pen, x, top: None, blank=True))

    def closing(self, text: str, gap: float = 14.0, size: float = styles.BODY_SIZE) -> None:
        """Lines that end the document (signatures, date): kept on a page with the content
        before them, never alone at the top of a page of their own."""
        lines = self.pen.wrap(text, self.width, size)

        def draw(pen: Pen, x: float, top: float) -> None:
            for i, line in enumerate(lines):
                pen.text(x, top - gap - size - i * size * LINE, line, size)

        height = gap + len(lines) * size * LINE + 2
        self.blocks.append(Block(height, draw, keep_with_previous=True))

    def facts(
        self, pairs: Sequence[tuple[str, str]], per_row: int = 2, label_w: float = 78
    ) -> None:
        """Label/value pairs in a ruled grid, per_row pairs a line; long values wrap."""
        size = styles.BODY_SIZE
        cell_w = self.width / per_row
        value_w = cell_w - label_w
        for start in range(0, len(pairs), per_row):
            row = list(pairs[start : start + per_row])
            wrapped = [self.pen.wrap(v or "", value_w - 2 * PAD, size) for _, v in row]
            lines = max(len(w) for w in wrapped)
            height = lines * size * LINE + 2 * PAD + 1

            def draw(pen: Pen, x: float, top: float, row=row, wrapped=wrapped, h=height) -> None:
                pen.c.setLineWidth(styles.GRID_LINE)
                for i, ((label, _), lines_) in enumerate(zip(row, wrapped, strict=True)):
                    cx = x + i * cell_w
                    pen.box(cx, top - h, label_w, h, fill=styles.LABEL_FILL)
                    pen.box(cx + label_w, top - h, value_w, h)
                    pen.fitted(cx + PAD, top - PAD - size, label, label_w - 2 * PAD, size)
                    for n, line in enumerate(lines_):
                        pen.text(cx + label_w + PAD, top - PAD - size - n * size * LINE, line, size)

            self.blocks.append(Block(height, draw))

    def table(
        self,
        columns: Sequence[tuple[str, float]],
        rows: Sequence[Sequence[str]],
        *,
        size: float = styles.BODY_SIZE,
        min_row_height: float = 0.0,
        empty_note: str = "（无）",
        numbered: bool = False,
    ) -> None:
        """A table whose header repeats on every page it runs onto; cells wrap by character."""
        if numbered:
            # Widths are relative: the number column gets just the room its digits need.
            digits = len(str(len(rows)))
            share = max(8 + 0.6 * size * digits, 2 * size + 2 * PAD + 1) / self.width
            weight = sum(w for _, w in columns) * share / (1 - share)
            columns = [("序号", weight), *columns]
            rows = [(str(i), *row) for i, row in enumerate(rows, start=1)]
        total = sum(w for _, w in columns)
        widths = [self.width * w / total for _, w in columns]
        header = self._table_header([c for c, _ in columns], widths, size)
        if not rows:
            self.paragraph(empty_note, size)
            return
        self.blocks.append(header)
        for row in rows:
            wrapped = [
                self.pen.wrap(str(v or ""), w - 2 * PAD, size)
                for v, w in zip(row, widths, strict=True)
            ]
            lines = max(len(w) for w in wrapped)
            height = max(min_row_height, lines * size * LINE + 2 * PAD)

            def draw(pen: Pen, x: float, top: float, wrapped=wrapped, h=height) -> None:
                pen.c.setLineWidth(styles.GRID_LINE)
                cx = x
                for lines_, w in zip(wrapped, widths, strict=True):
                    pen.box(cx, top - h, w, h)
                    room = int((h - 2 * PAD) / (size * LINE) + 0.01) or 1
                    shown = lines_[:room]
                    if len(lines_) > room:
                        shown[-1] = pen.cut(shown[-1], w - 2 * PAD, size)
                    for n, line in enumerate(shown):
                        pen.text(cx + PAD, top - PAD - size - n * size * LINE, line, size)
                    cx += w

            self.blocks.append(Block(height, draw, repeat=header))
        self.space(4)

    def _table_header(self, titles: list[str], widths: list[float], size: float) -> Block:
        wrapped = [self.pen.wrap(t, w - 2 * PAD, size) for t, w in zip(titles, widths, strict=True)]
        lines = max(len(w) for w in wrapped)
        height = lines * size * LINE + 2 * PAD

        def draw(pen: Pen, x: float, top: float) -> None:
            pen.c.setLineWidth(styles.GRID_LINE)
            cx = x
            for lines_, w in zip(wrapped, widths, strict=True):
                pen.box(cx, top - height, w, height, fill=styles.LABEL_FILL)
                for n, line in enumerate(lines_):
                    y = top - PAD - size - n * size * LINE
                    pen.centred(cx + w / 2, y, line, size)
                cx += w

        return Block(height, draw, keep_with_next=True)

    # -- laying out ----------------------------------------------------------------------------

    def pages(self, first_top: float | None = None) -> list[list[tuple[float, Block]]]:
        """The blocks placed on pages as (top y, block); first_top leaves room for a title."""
        f = self.frame
        pages: list[list[tuple[float, Block]]] = [[]]
        y = first_top if first_top is not None else f.content_top
        room_bottom = f.content_bottom + 4
        blocks = self.blocks
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.blank and y - block.height < room_bottom:
                i += 1  # space at the end of a page: never a reason to start the next one
                continue
            need, j = block.height, i
            # A heading or table header never ends a page: it stays with what follows it.
            while blocks[j].keep_with_next and j + 1 < len(blocks):
                j += 1
                need += blocks[j].height
            if y - need < room_bottom and pages[-1]:
                carried = _carried(pages[-1]) if block.keep_with_previous else []
                pages.append([])
                y = f.content_top
                first = carried[0] if carried else block
                follows = first.repeat
                if follows is not None and first is not follows:
                    pages[-1].append((y, follows))
                    y -= follows.height
                for moved in carried:
                    pages[-1].append((y, moved))
                    y -= moved.height
            if y - block.height < room_bottom:
                block = _clipped(block, y - room_bottom)
            pages[-1].append((y, block))
            y -= block.height
            i += 1
        return pages

    def render(
        self, pages: list[list[tuple[float, Block]]], decorate: Callable[[int, int], None]
    ) -> Iterator[int]:
        """Draw the laid-out pages; decorate(page, total) adds title and footer to each."""
        total = len(pages)
        x = self.frame.left
        for number, placed in enumerate(pages, start=1):
            decorate(number, total)
            for top, block in placed:
                block.draw(self.pen, x, top)
            self.pen.c.showPage()
            yield number


def _carried(placed: list[tuple[float, Block]]) -> list[Block]:
    """Blocks taken off the end of a full page to go over with a keep_with_previous block: the
    last piece of content, with any heading or table header it would otherwise leave behind.
    None when that would leave the page without content of its own (then the block goes alone).
    """
    end = len(placed)
    while end and placed[end - 1][1].blank:
        end -= 1
    start = end - 1
    while start > 0 and placed[start - 1][1].keep_with_next:
        start -= 1
    content = [b for _, b in placed[:start] if not (b.blank or b.keep_with_next)]
    if start < 0 or not content:
        return []
    carried = [b for _, b in placed[start:]]
    del placed[start:]
    return carried


def _clipped(block: Block, height: float) -> Block:
    """A block taller than the room left: drawn inside a clip so it never runs off the page."""

    def draw(pen: Pen, x: float, top: float) -> None:
        c = pen.c
        c.saveState()
        path = c.beginPath()
        path.rect(x - 1, top - height, pen.c._pagesize[0], height + 1)
        c.clipPath(path, stroke=0, fill=0)
        block.draw(pen, x, top)
        c.restoreState()

    return Block(height, draw, repeat=block.repeat)
