"""The visit sheet (走访记录表): one A4 page per child, blank or filled from a logged visit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from reportlab.lib.units import mm

from carebook.printing import styles
from carebook.printing.continuation import continuation_pages, draw_continuation
from carebook.printing.pagekit import Pen, draw_qr, footer, new_canvas
from carebook.printing.records import FilledVisit, SheetChild, SheetHeader
from carebook.printing.styles import PORTRAIT, PageFrame

QR_SIZE = 20 * mm
ROW = 18.0
PITCH = 18.0  # between ruled writing lines: 6.4 mm, room for a hand-written line
# Column pairs (label width, value width) of the facts grid; they add up to the content width.
PAIRS = ((48.0, 78.0), (36.0, 52.0), (54.0, 96.0), (50.0, 0.0))
WAYS = ("入户走访", "电话联系", "到校走访", "其他")
MET = ("儿童本人", "监护人", "老师", "其他")
ASPECTS = (
    ("生活", "life", ""),
    ("学习", "study", ""),
    ("健康", "health", ""),
    ("安全", "safety", "防溺水、用电、交通"),
    ("心理", "mental", ""),
)
BLOCKS = (
    ("监护情况", "guardianship_problems"),
    ("发现的问题", "problems"),
    ("帮扶措施", "help_given"),
    ("下一步计划", "follow_up"),
)
SIGNATURES = (
    ("走访人（签字）", 38.0),
    ("监护人（签字或按手印）", 38.0),
    ("村（居）委会（盖章）", 56.0),
    ("乡镇（街道）审核（盖章）", 56.0),
)
LABEL_W = 58.0  # label column of the hand-written part
DATE_BLANK = "        年      月      日"


@dataclass(frozen=True)
class Cell:
    label: str
    value: str
    pairs: int = 1  # how many label/value column pairs the cell spans


def sheet_title(header: SheetHeader, child: SheetChild) -> str:
    place = f"{header.county}{child.township or header.township}"
    return f"{place}留守儿童和困境儿童走访记录表"


def fact_rows(child: SheetChild) -> list[list[Cell]]:
    place = " ".join(p for p in (child.township, child.village) if p)
    # Ledgers often write the village into the address already; say it once.
    if child.address and child.village and child.village in child.address:
        address = f"{child.township} {child.address}".strip()
    else:
        address = f"{place} {child.address}".strip()
    return [
        [
            Cell("姓名", child.name),
            Cell("性别", child.sex),
            Cell("出生日期", child.birth),
            Cell("民族", child.ethnicity),
        ],
        [Cell("身份证号", child.id_number, 2), Cell("儿童类别", child.categories, 2)],
        [
            Cell("住址", address, 2),
            Cell("关爱等级", child.care_level),
            Cell("寄宿", child.boarding),
        ],
        [Cell("就读学校", child.school, 2), Cell("年级", child.grade), Cell("健康", child.health)],
        [
            Cell("监护人", child.guardian),
            Cell("关系", child.guardian_relation),
            Cell("联系电话", child.guardian_phone),
            Cell("监护类型", child.guardianship),
        ],
        [
            Cell("父亲", child.father),
            Cell("状态", child.father_status),
            Cell("务工地点", child.father_work_place),
            Cell("电话", child.father_phone),
        ],
        [
            Cell("母亲", child.mother),
            Cell("状态", child.mother_status),
            Cell("务工地点", child.mother_work_place),
            Cell("电话", child.mother_phone),
        ],
        [Cell("爱心妈妈", child.volunteers, 4)],
        [Cell("上次走访", child.last_visit, 4)],
    ]


class VisitSheetLayout:
    """Draws sheets onto a pen; one instance serves a whole batch so measurements are reused."""

    def __init__(self, pen: Pen, frame: PageFrame = PORTRAIT) -> None:
        self.pen = pen
        self.frame = frame
        last = frame.content_width - sum(a + b for a, b in PAIRS[:3]) - PAIRS[3][0]
        self.pairs = (*PAIRS[:3], (PAIRS[3][0], last))
        self.lowest = frame.height  # lowest y drawn on the last page, for layout checks
        self.cut: list[tuple[str, str]] = []  # (label, full text) of fields cut on this sheet

    def draw(
        self,
        header: SheetHeader,
        child: SheetChild,
        page: int,
        total: int,
        visit: FilledVisit | None = None,
    ) -> int:
        """Draw one child's sheet; returns the pages used (a record whose text does not fit
        gets continuation pages: the archive copy never loses words)."""
        f, pen = self.frame, self.pen
        c = pen.c
        self.cut = []
        top = f.content_top
        right = f.width - f.right
        draw_qr(c, child.qr_value, right - QR_SIZE, top - QR_SIZE, QR_SIZE)
        pen.centred(right - QR_SIZE / 2, top - QR_SIZE - 9, child.code, styles.SMALL_SIZE)
        title = sheet_title(header, child)
        size = styles.TITLE_SIZE
        room = f.content_width - 2 * (QR_SIZE + 6)
        if pen.width(title, size) > room:
            size = max(11.0, size * room / pen.width(title, size))
        centre = f.left + f.content_width / 2
        pen.bold(centre - pen.width(title, size) / 2, top - 24, title, size)
        if visit is not None:
            pen.centred(centre, top - 42, "（存档）", styles.BODY_SIZE)
        pen.text(f.left, top - 62, f"档案编号：{child.file_number}", styles.BODY_SIZE)
        pen.text(f.left + 170, top - 62, f"打印日期：{header.printed_on}", styles.BODY_SIZE)
        y = top - QR_SIZE - 16
        y = self._facts(child, y)
        y = self._follow_up(child.follow_up, y)
        y -= 8
        pen.bold(f.left, y - 12, "本次走访记录", styles.HEADING_SIZE)
        pen.text(
            f.left + pen.width("本次走访记录", styles.HEADING_SIZE) + 6,
            y - 12,
            "（走访人现场填写，监护人核对后签字）",
            styles.SMALL_SIZE,
        )
        y -= 18
        y = self._time_and_way(y, visit)
        y = self._aspects(y, visit)
        y = self._blocks(y, visit)
        y = self._signatures(y - 6, visit)
        self.lowest = y
        extra = continuation_pages(pen, f, child.name, self.cut) if visit and self.cut else []
        if extra:
            page, total = 1, 1 + len(extra)  # a long record is numbered on its own
        left = f"关爱簿 打印于 {header.printed_on}"
        footer(pen, f, page, total, left, f"走访表编码 {child.code}")
        for number, lines in enumerate(extra, start=2):
            c.showPage()
            draw_continuation(pen, f, lines)
            footer(pen, f, number, total, left, f"走访表编码 {child.code}")
        return 1 + len(extra)

    # -- the printed facts ---------------------------------------------------------------------

    def _facts(self, child: SheetChild, top: float) -> float:
        pen, c, x0 = self.pen, self.pen.c, self.frame.left
        rows = fact_rows(child)
        height = ROW * len(rows)
        c.setLineWidth(styles.GRID_LINE)
        y = top
        for row in rows:
            x = x0
            index = 0
            for cell in row:
                label_w = self.pairs[index][0]
                width = sum(a + b for a, b in self.pairs[index : index + cell.pairs])
                pen.box(x, y - ROW, label_w, ROW, fill=styles.LABEL_FILL)
                pen.box(x + label_w, y - ROW, width - label_w, ROW)
                pen.centred(x + label_w / 2, y - ROW + 5.5, cell.label, styles.BODY_SIZE)
                pen.fitted(x + label_w + 3, y - ROW + 5.5, cell.value, width - label_w - 6)
                x += width
                index += cell.pairs
            y -= ROW
        c.setLineWidth(styles.FRAME_LINE)
        c.rect(x0, top - height, self.frame.content_width, height, stroke=1, fill=0)
        return y

    def _follow_up(self, text: str, top: float) -> float:
        pen, x0, w = self.pen, self.frame.left, self.frame.content_width
        label_w = self.pairs[0][0]
        height = 30.0
        pen.c.setLineWidth(styles.GRID_LINE)
        pen.box(x0, top - height, label_w, height, fill=styles.LABEL_FILL)
        pen.box(x0 + label_w, top - height, w - label_w, height)
        pen.centred(x0 + label_w / 2, top - 13, "需跟进", styles.BODY_SIZE)
        pen.centred(x0 + label_w / 2, top - 25, "事项", styles.BODY_SIZE)
        self._fill_lines(text or "（无）", x0 + label_w + 3, top - 12, w - label_w - 6, 2, 12.5)
        pen.c.setLineWidth(styles.FRAME_LINE)
        pen.c.rect(x0, top - height, w, height, stroke=1, fill=0)
        return top - height

    # -- the parts filled by hand (or from a logged visit) ---------------------------------------

    def _time_and_way(self, top: float, visit: FilledVisit | None) -> float:
        pen, x0, w = self.pen, self.frame.left, self.frame.content_width
        h = 20.0
        pen.c.setLineWidth(styles.GRID_LINE)
        half = 200.0
        for y, label, x_label in (
            (top, "走访时间", x0),
            (top, "见到的人", x0 + half),
            (top - h, "走访方式", x0),
        ):
            pen.box(x_label, y - h, LABEL_W, h, fill=styles.LABEL_FILL)
            pen.centred(x_label + LABEL_W / 2, y - h + 6, label, styles.BODY_SIZE)
        pen.box(x0 + LABEL_W, top - h, half - LABEL_W, h)
        pen.box(x0 + half + LABEL_W, top - h, w - half - LABEL_W, h)
        pen.box(x0 + LABEL_W, top - 2 * h, w - LABEL_W, h)
        base = top - h + 6
        if visit is None:
            pen.text(x0 + LABEL_W + 4, base, "      年     月     日     时", styles.BODY_SIZE)
        else:
            pen.text(x0 + LABEL_W + 6, base, visit.visited_on, styles.BODY_SIZE)
        met = visit.people_met if visit else ""
        self._checks(x0 + half + LABEL_W + 5, base, MET, met, other_blank=False)
        self._checks(x0 + LABEL_W + 5, top - 2 * h + 6, WAYS, visit.way if visit else "")
        return top - 2 * h

    def _checks(
        self, x: float, y: float, labels: Iterable[str], chosen: str, other_blank: bool = True
    ) -> None:
        size = styles.BODY_SIZE
        known = [label for label in labels if label != "其他"]
        for label in labels:
            if label == "其他":
                extra = chosen if chosen and not any(k in chosen for k in known) else ""
                x += self.pen.checkbox(x, y, label, size, checked=bool(extra)) + 2
                if other_blank or extra:
                    self.pen.c.setLineWidth(styles.RULE_LINE)
                    self.pen.rule(x, y - 2, x + 70)
                    self.pen.text(x + 3, y, extra, size)
                continue
            x += self.pen.checkbox(x, y, label, size, checked=label in chosen) + 12

    def _aspects(self, top: float, visit: FilledVisit | None) -> float:
        pen, x0, w = self.pen, self.frame.left, self.frame.content_width
        group_w = 22.0
        aspect_w = LABEL_W - group_w
        block = 2 * PITCH
        height = block * len(ASPECTS)
        pen.c.setLineWidth(styles.GRID_LINE)
        pen.box(x0, top - height, group_w, height, fill=styles.LABEL_FILL)
        for i, ch in enumerate("儿童情况"):
            pen.centred(x0 + group_w / 2, top - height / 2 + 18 - i * 13, ch, styles.BODY_SIZE)
        y = top
        for label, field_name, hint in ASPECTS:
            pen.box(x0 + group_w, y - block, aspect_w, block, fill=styles.LABEL_FILL)
            pen.centred(x0 + group_w + aspect_w / 2, y - block / 2 - 3.5, label)
            if hint:
                pen.right(x0 + w - 4, y - 11, f"（{hint}）", styles.FOOTER_SIZE)
            pen.box(x0 + LABEL_W, y - block, w - LABEL_W, block)
            self._ruled(x0 + LABEL_W, y, w - LABEL_W, 2)
            if visit is not None:
                text = getattr(visit, field_name)
                self._fill_lines(text, x0 + LABEL_W + 4, y - 12.5, w - LABEL_W - 8, 2, PITCH, label)
            y -= block
        return y

    def _blocks(self, top: float, visit: FilledVisit | None) -> float:
        pen, x0, w = self.pen, self.frame.left, self.frame.content_width
        block = 2 * PITCH
        y = top
        pen.c.setLineWidth(styles.GRID_LINE)
        for label, field_name in BLOCKS:
            pen.box(x0, y - block, LABEL_W, block, fill=styles.LABEL_FILL)
            pen.centred(x0 + LABEL_W / 2, y - block / 2 - 3.5, label)
            pen.box(x0 + LABEL_W, y - block, w - LABEL_W, block)
            self._ruled(x0 + LABEL_W, y, w - LABEL_W, 2)
            text = getattr(visit, field_name) if visit is not None else ""
            if field_name == "follow_up":
                due = visit.next_visit_on if visit and visit.next_visit_on else DATE_BLANK
                pen.right(x0 + w - 4, y - block + 5, f"下次走访日期：{due}", styles.SMALL_SIZE)
            if text:
                width = w - LABEL_W - 8 - (150 if field_name == "follow_up" else 0)
                self._fill_lines(text, x0 + LABEL_W + 4, y - 12.5, width, 2, PITCH, label)
            y -= block
        return y

    def _signatures(self, top: float, visit: FilledVisit | None) -> float:
        pen, x0, w = self.pen, self.frame.left, self.frame.content_width
        half = w / 2
        c = pen.c
        c.setLineWidth(styles.FRAME_LINE)
        y = top
        for row in range(2):
            (left_label, height), (right_label, _) = SIGNATURES[row * 2 : row * 2 + 2]
            for col, label in enumerate((left_label, right_label)):
                x = x0 + col * half
                pen.box(x, y - height, half, height)
                pen.text(x + 5, y - 14, label, styles.BODY_SIZE)
                if visit is not None and row == 0 and col == 0:
                    pen.text(x + 5 + pen.width(label, styles.BODY_SIZE) + 6, y - 14, visit.visitor)
                pen.right(x + half - 6, y - height + 6, "日期：" + DATE_BLANK, styles.SMALL_SIZE)
            y -= height
        return y

    # -- small pieces --------------------------------------------------------------------------

    def _ruled(self, x: float, top: float, width: float, lines: int) -> None:
        c = self.pen.c
        c.saveState()
        c.setStrokeGray(styles.RULE_GREY)
        c.setLineWidth(styles.RULE_LINE)
        c.setDash(1, 2)
        for i in range(1, lines):
            y = top - i * PITCH
            c.line(x + 4, y, x + width - 4, y)
        c.restoreState()

    def _fill_lines(
        self,
        text: str,
        x: float,
        y: float,
        width: float,
        lines: int,
        pitch: float,
        label: str = "",
    ) -> None:
        """Text on a fixed number of ruled lines: shrunk a little, or set one line tighter, to
        fit; else cut with a pointer to the continuation page that keeps the full text."""
        pen = self.pen
        size = styles.BODY_SIZE
        while size >= 8.0:
            wrapped = pen.wrap(text, width, size)
            if len(wrapped) <= lines:
                for i, line in enumerate(wrapped):
                    pen.text(x, y - i * pitch, line, size)
                return
            size -= 0.5
        tight = lines + 1
        step = lines * pitch / tight
        size = 8.0
        while size >= 7.0:
            wrapped = pen.wrap(text, width, size)
            if len(wrapped) <= tight:
                for i, line in enumerate(wrapped):
                    pen.text(x, y + 2 - i * step, line, size)
                return
            size -= 0.5
        size = styles.BODY_SIZE
        marker = "（见续页）" if label else "…"
        shown = pen.wrap(text, width, size)[:lines]
        shown[-1] = pen.cut(shown[-1], width - pen.width(marker, size), size).rstrip("…") + marker
        for i, line in enumerate(shown):
            pen.text(x, y - i * pitch, line, size)
        if label:
            self.cut.append((label, text))


def write_visit_sheets(
    target,
    header: SheetHeader,
    children: Iterable[SheetChild],
    total: int,
    font: str,
    missing: set[str] | None = None,
) -> Iterator[int]:
    """Blank sheets, one page per child, into target (a path or a binary file); yields pages."""
    c = new_canvas(target, PORTRAIT, "留守儿童和困境儿童走访记录表")
    layout = VisitSheetLayout(Pen(c, font, missing))
    page = 0
    for page, child in enumerate(children, start=1):
        layout.draw(header, child, page, total)
        c.showPage()
        yield page
    if page == 0:
        raise ValueError("no sheets to print")
    c.save()
