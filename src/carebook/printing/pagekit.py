"""Drawing helpers on a reportlab canvas: fitted and wrapped CJK text, boxes, QR code, footer."""

from __future__ import annotations

import logging
import os
import re

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from carebook.printing import styles
from carebook.printing.styles import PageFrame

log = logging.getLogger(__name__)
MISSING_GLYPH = "□"
# Characters a line may not start with (Chinese line-breaking rules, 避头点).
_NO_LINE_START = set("，。、；：？！）」』】》〉,.;:?!)%’”")
# Runs that should not be split: numbers, dates, Latin words, masked numbers; else one char.
_TOKENS = re.compile(r"[0-9A-Za-z*＊\-./:+@_]+|\s+|.")


class Pen:
    """A canvas plus the font: every layout draws through one of these."""

    def __init__(self, canvas: Canvas, font: str, missing: set[str] | None = None) -> None:
        self.c = canvas
        self.font = font
        self._widths: dict[tuple[str, float], float] = {}
        # The characters the embedded font has (None: the CID font, which cannot be asked).
        face = getattr(getFont(font), "face", None)
        self._glyphs = getattr(face, "charToGlyph", None)
        # Characters drawn as □, gathered into the caller's set to tell the worker afterwards.
        self.missing: set[str] = set() if missing is None else missing

    def drawable(self, text: str) -> str:
        """The text with each character the font lacks shown as □: a rare character in a name
        (䶮, 𠮷) was left out without a trace, printing a different, plausible name ("王"
        for "王𠮷䶮"); a box tells the worker to write it in by hand."""
        glyphs = self._glyphs
        if glyphs is None or text.isascii():
            return text
        lacking = {ch for ch in text if ord(ch) not in glyphs and not ch.isspace()}
        if not lacking:
            return text
        for ch in lacking - self.missing:
            log.warning("font %s has no glyph for U+%04X", self.font, ord(ch))
        self.missing |= lacking
        return "".join(MISSING_GLYPH if ch in lacking else ch for ch in text)

    def width(self, text: str, size: float) -> float:
        key = (text, size)
        cached = self._widths.get(key)
        if cached is None:
            # Labels repeat on every page; measuring them once keeps batches fast.
            cached = stringWidth(text, self.font, size)
            if len(self._widths) < 4096:
                self._widths[key] = cached
        return cached

    def text(self, x: float, y: float, text: str, size: float = styles.BODY_SIZE) -> None:
        if text:
            self.c.setFont(self.font, size)
            self.c.drawString(x, y, self.drawable(text))

    def centred(self, x: float, y: float, text: str, size: float = styles.BODY_SIZE) -> None:
        self.text(x - self.width(text, size) / 2, y, text, size)

    def right(self, x: float, y: float, text: str, size: float = styles.BODY_SIZE) -> None:
        self.text(x - self.width(text, size), y, text, size)

    def bold(self, x: float, y: float, text: str, size: float) -> None:
        """Text drawn filled and stroked: most CJK fonts here have no bold face of their own."""
        c = self.c
        c.saveState()
        c.setLineWidth(size / 40)
        t = c.beginText(x, y)
        t.setFont(self.font, size)
        t.setTextRenderMode(2)
        t.textOut(self.drawable(text))
        c.drawText(t)
        c.restoreState()

    def fitted(
        self, x: float, y: float, text: str, width: float, size: float = styles.BODY_SIZE
    ) -> None:
        """One line in width: the size shrinks down to a floor, then the end is cut with …."""
        if not text:
            return
        full = self.width(text, size)
        if full > width:
            smaller = max(styles.MIN_FIT_SIZE, size * width / full)
            size = smaller
            if self.width(text, size) > width:
                text = self.cut(text, width, size)
        self.text(x, y, text, size)

    def cut(self, text: str, width: float, size: float) -> str:
        while text and self.width(text + "…", size) > width:
            text = text[:-1]
        return text + "…"

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """Break text into lines of at most width: between any two CJK characters, but not inside
        a run of digits or Latin letters (a date or an ID number stays whole when it fits), and
        never with closing punctuation at the start of a line. The text's own breaks are kept."""
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            line = ""
            for token in _TOKENS.findall(paragraph):
                if self.width(line + token, size) <= width:
                    line += token
                elif token[0] in _NO_LINE_START and len(line) > 1:
                    # Carry the last character down with the punctuation (避头): no hanging.
                    lines.append(line[:-1])
                    line = line[-1] + token
                elif self.width(token, size) > width:
                    for ch in token:  # a run longer than the line: break it anywhere
                        if line and self.width(line + ch, size) > width:
                            lines.append(line)
                            line = ch
                        else:
                            line += ch
                elif line:
                    lines.append(line)
                    line = token.lstrip()
                else:
                    line = token
            lines.append(line)
        return lines

    def box(self, x: float, y: float, w: float, h: float, fill: float | None = None) -> None:
        c = self.c
        if fill is not None:
            c.setFillGray(fill)
            c.rect(x, y, w, h, stroke=1, fill=1)
            c.setFillGray(0)
        else:
            c.rect(x, y, w, h, stroke=1, fill=0)

    def checkbox(self, x: float, y: float, label: str, size: float, checked: bool = False) -> float:
        """A drawn square (not a glyph: not every font has □) and its label; returns the width."""
        side = size * 0.85
        c = self.c
        c.saveState()
        c.setLineWidth(0.6)
        c.rect(x, y - size * 0.08, side, side, stroke=1, fill=0)
        if checked:
            c.setLineWidth(1.2)
            path = c.beginPath()
            path.moveTo(x + side * 0.18, y + side * 0.45)
            path.lineTo(x + side * 0.42, y + side * 0.15)
            path.lineTo(x + side * 0.9, y + side * 0.85)
            c.drawPath(path, stroke=1, fill=0)
        c.restoreState()
        self.text(x + side + 2, y, label, size)
        return side + 2 + self.width(label, size)

    def rule(self, x1: float, y: float, x2: float) -> None:
        self.c.line(x1, y, x2, y)


def draw_qr(c: Canvas, value: str, x: float, y: float, size: float, border: int = 2) -> None:
    """A QR code as one filled path (one rectangle per run of dark modules): small and quick.
    border modules of white are kept inside size: scanners need a quiet zone round the code."""
    qr = QrCodeWidget(value, barLevel="M").qr
    # make() scores all eight mask patterns, which is 95% of the time a QR code takes; any mask
    # gives a valid code and scanners read this short one with mask 0 just as well.
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    count = qr.getModuleCount()
    cell = size / (count + 2 * border)
    x, y, size = x + border * cell, y + border * cell, count * cell
    path = c.beginPath()
    for r, row in enumerate(qr.modules):
        top = y + size - (r + 1) * cell
        start = None
        for col, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                path.rect(x + start * cell, top, (col - start) * cell, cell)
                start = None
    c.saveState()
    c.setFillGray(0)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def footer(pen: Pen, frame: PageFrame, page: int, total: int, left: str, right: str = "") -> None:
    """Print date on the left, 第 n 页 共 m 页 in the middle, a code or note on the right."""
    y = frame.bottom - 9
    size = styles.FOOTER_SIZE
    pen.text(frame.left, y, left, size)
    pen.centred(frame.left + frame.content_width / 2, y, f"第 {page} 页  共 {total} 页", size)
    if right:
        pen.right(frame.width - frame.right, y, right, size)


def new_canvas(target, frame: PageFrame, title: str, author: str = "关爱簿") -> Canvas:
    """A canvas for one document; compression on, since batches run to thousands of pages."""
    if isinstance(target, os.PathLike):
        target = os.fspath(target)
    c = Canvas(target, pagesize=frame.size, pageCompression=1, invariant=0)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("carebook")
    c.setSubject(title)
    return c
