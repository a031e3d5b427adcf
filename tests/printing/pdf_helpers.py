"""Helpers for print tests: a sample child and visit, and ways to read PDFs back."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader

from carebook.printing.records import FilledVisit, SheetChild


def sample_child(**changes: str) -> SheetChild:
    values: dict[str, str] = {
        "uid": "ab" * 16,
        "file_number": "2024-000123",
        "code": "7K3M-Q9XA-B2FC",
        "qr_value": "CBZF:7K3MQ9XAB2FC:" + "AB" * 16,
        "name": "张子涵",
        "sex": "女",
        "birth": "2015-03-12（11岁）",
        "id_number": "110105********0025",
        "township": "宗艾镇",
        "village": "东村",
        "address": "东村二组18号",
        "categories": "农村留守儿童",
        "care_level": "重点",
        "guardian": "张桂兰",
        "guardian_relation": "祖母",
        "guardian_phone": "138****5678",
        "father": "张建国",
        "father_status": "外出务工",
        "volunteers": "王芳（138****1111）",
        "last_visit": "2026-10-03 入户走访（走访人 李红）",
        "follow_up": "视力下降，已提醒检查",
    }
    values.update(changes)
    return SheetChild(**values)


def sample_visit(**changes: str) -> FilledVisit:
    values = dict.fromkeys(
        (
            "life",
            "study",
            "health",
            "safety",
            "mental",
            "guardianship_problems",
            "problems",
            "help_given",
            "follow_up",
            "notes",
        ),
        "",
    )
    values.update(
        uid="cd" * 16,
        visited_on="2026-11-20",
        way="电话联系",
        visitor="李红",
        people_met="监护人",
        life="衣食有保障",
        safety="已讲解防溺水知识",
        next_visit_on="2026-12-20",
    )
    values.update(changes)
    return FilledVisit(**values)


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def text_positions(path: Path, page: int = 0) -> list[tuple[str, float, float]]:
    """(text, x, y) of each string drawn on a page, in PDF points from the bottom left.

    reportlab switches between font subsets inside one string, and pypdf reports each piece
    with the string's start position, so pieces at the same position are joined again."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, _font, _size):
        if not text.strip():
            return
        x = round(tm[4] * cm[0] + cm[4], 1)
        y = round(tm[5] * cm[3] + cm[5], 1)
        if found and found[-1][1:] == (x, y):
            found[-1] = (found[-1][0] + text.strip(), x, y)
        else:
            found.append((text.strip(), x, y))

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return found


def grey_page(path: Path, dpi: int = 30, page: int = 1) -> tuple[int, int, bytes]:
    """The page rendered by pdftoppm as 8-bit grey pixels: (width, height, bytes)."""
    out = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
        check=True,
        capture_output=True,
    ).stdout
    # A binary PGM: "P5\n<w> <h>\n255\n" then the pixels.
    parts = out.split(b"\n", 3)
    width, height = (int(v) for v in parts[1].split())
    return width, height, parts[3]


def dark_columns(width: int, height: int, pixels: bytes, threshold: int = 200) -> list[int]:
    """For each pixel column, how many pixels in it are darker than threshold."""
    counts = [0] * width
    for y in range(height):
        row = pixels[y * width : (y + 1) * width]
        for x, value in enumerate(row):
            if value < threshold:
                counts[x] += 1
    return counts


def dark_rows(width: int, height: int, pixels: bytes, threshold: int = 200) -> list[int]:
    return [
        sum(1 for v in pixels[y * width : (y + 1) * width] if v < threshold) for y in range(height)
    ]
