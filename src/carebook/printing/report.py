"""Any multi-page report (case file, roster, due list, sign-in sheet) drawn through a Flow."""

from __future__ import annotations

from collections.abc import Iterator

from reportlab.lib.units import mm

from carebook.printing import styles
from carebook.printing.flow import Flow
from carebook.printing.pagekit import Pen, draw_qr, footer, new_canvas
from carebook.printing.records import Report
from carebook.printing.styles import LANDSCAPE, PORTRAIT

QR_SIZE = 18 * mm


def write_report(
    target, report: Report, font: str, missing: set[str] | None = None
) -> Iterator[tuple[int, int]]:
    """Lay the report out, then draw it into target; yields (page, total) as pages are drawn."""
    frame = LANDSCAPE if report.landscape else PORTRAIT
    c = new_canvas(target, frame, report.title)
    pen = Pen(c, font, missing)
    flow = Flow(pen, frame)
    for section in report.sections:
        if section.title:
            flow.heading(section.title)
        if section.facts:
            flow.facts(section.facts, per_row=3 if report.landscape else 2)
        if section.columns:
            flow.table(
                section.columns,
                section.rows,
                min_row_height=section.min_row_height,
                empty_note=section.empty_note,
                numbered=section.numbered,
                size=section.size or styles.BODY_SIZE,
            )
        elif not section.facts:
            flow.paragraph(section.empty_note)
        if section.note:
            flow.paragraph(section.note, styles.SMALL_SIZE)
    if report.signatures:
        line = "        ".join(f"{label}：______________" for label in report.signatures)
        flow.closing(line + "        日期：______年____月____日")
    title_height = 58.0 if report.subtitle else 40.0
    if report.qr_value:
        title_height = max(title_height, QR_SIZE + 10)
    pages = flow.pages(first_top=frame.content_top - title_height)

    def decorate(page: int, total: int) -> None:
        top = frame.content_top
        right = frame.width - frame.right
        centre = frame.left + frame.content_width / 2
        if page == 1:
            size = styles.TITLE_SIZE
            room = frame.content_width - 2 * (QR_SIZE + 6 if report.qr_value else 0)
            if pen.width(report.title, size) > room:
                size = max(11.0, size * room / pen.width(report.title, size))
            pen.bold(centre - pen.width(report.title, size) / 2, top - 22, report.title, size)
            if report.subtitle:
                pen.centred(centre, top - 42, report.subtitle, styles.BODY_SIZE)
            if report.qr_value:
                draw_qr(c, report.qr_value, right - QR_SIZE, top - QR_SIZE, QR_SIZE)
        else:
            running = report.running_title or report.title
            pen.text(frame.left, top + 6, f"{running}（续）", styles.SMALL_SIZE)
        footer(pen, frame, page, total, f"关爱簿 打印于 {report.printed_on}", report.code)

    for page in flow.render(pages, decorate):
        yield page, len(pages)
    c.save()
