"""1,000 visit sheets from a copy of the 100,000-child demo database, against bare reportlab.

The baseline draws a page of the same structure (title, QR code, a 9-row facts grid, ruled
writing spaces, check boxes, signature boxes, footer) 1,000 times with the same embedded font,
straight onto a Canvas with fixed coordinates and no database. carebook's run includes loading
the children, masking, the sheet codes, the audit entries and the atomic file write.
Usage: python bench/print_bench.py [--db /tmp/big.db] [--sheets 1000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from carebook.printing.fonts import choose_font
from carebook.services.audit import Origin
from carebook.services.printing import PrintOptions, select_children, visit_sheets
from carebook.services.progress import run_to_end
from carebook.storage.database import open_database

LABELS = [
    ("姓名", "张子涵"),
    ("性别", "女"),
    ("出生日期", "2015-03-12（11岁）"),
    ("民族", "汉族"),
    ("身份证号", "140725********0025"),
    ("儿童类别", "农村留守儿童、困境儿童"),
    ("住址", "南燕竹镇 沟坪村105号"),
    ("关爱等级", "重点"),
    ("寄宿", "否"),
    ("就读学校", "南燕竹镇中心小学"),
    ("年级", "五年级"),
    ("健康", "健康"),
    ("监护人", "张桂兰"),
    ("关系", "祖母"),
    ("联系电话", "138****5678"),
    ("监护类型", "隔代监护"),
    ("父亲", "张建国"),
    ("状态", "外出务工"),
    ("务工地点", "浙江宁波"),
    ("电话", "139****4321"),
    ("母亲", "李秀英"),
    ("状态", "外出务工"),
    ("务工地点", "广东东莞"),
    ("电话", "136****1234"),
    ("爱心妈妈", "王芳（138****1111）"),
    ("上次走访", "2026-10-03 入户走访（走访人 李红）"),
]
SECTIONS = [
    "生活",
    "学习",
    "健康",
    "安全",
    "心理",
    "监护情况",
    "发现的问题",
    "帮扶措施",
    "下一步计划",
]


def baseline(path: Path, font_path: Path, subfont: int, pages: int) -> None:
    """Bare reportlab: the same page structure drawn with fixed coordinates."""
    name = "BenchCJK"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font_path), subfontIndex=subfont))
    c = Canvas(str(path), pagesize=A4, pageCompression=1)
    left, width, top = 25 * mm, A4[0] - 40 * mm, A4[1] - 14 * mm
    for page in range(1, pages + 1):
        qr = QrCodeWidget(f"CBZF:7K3MQ9XAB2FC:{page:032X}", barLevel="M").qr
        qr.version = qr.calculate_version()
        qr.makeImpl(False, 0)  # one fixed mask, as carebook does: see printing/pagekit.draw_qr
        n = qr.getModuleCount()
        cell = 20 * mm / n
        p = c.beginPath()
        for r, row in enumerate(qr.modules):
            start = None  # one rectangle per run of dark modules, as carebook draws them
            for col, dark in enumerate([*row, False]):
                if dark and start is None:
                    start = col
                elif not dark and start is not None:
                    x = left + width - 20 * mm + start * cell
                    p.rect(x, top - (r + 1) * cell, (col - start) * cell, cell)
                    start = None
        c.drawPath(p, stroke=0, fill=1)
        c.setFont(name, 16)
        c.drawCentredString(
            left + width / 2, top - 24, "寿阳县南燕竹镇留守儿童和困境儿童走访记录表"
        )
        c.setFont(name, 10)
        c.drawString(left, top - 62, f"档案编号：2024-{page:06d}")
        c.drawString(left + 170, top - 62, "打印日期：2026-11-28")
        y = top - 73
        for i, (label, value) in enumerate(LABELS):
            x = left + (i % 4) * width / 4
            if i % 4 == 0:
                y -= 18
            c.setFillGray(0.92)
            c.rect(x, y, 50, 18, stroke=1, fill=1)
            c.setFillGray(0)
            c.rect(x + 50, y, width / 4 - 50, 18, stroke=1, fill=0)
            c.drawCentredString(x + 25, y + 5.5, label)
            c.drawString(x + 53, y + 5.5, value)
        y -= 60
        for label in [
            "儿童本人",
            "监护人",
            "老师",
            "其他",
            "入户走访",
            "电话联系",
            "到校走访",
            "其他",
        ]:
            c.rect(left + 60, y, 8.5, 8.5, stroke=1, fill=0)
            c.drawString(left + 72, y, label)
        for label in SECTIONS:
            c.setFillGray(0.92)
            c.rect(left, y - 36, 58, 36, stroke=1, fill=1)
            c.setFillGray(0)
            c.rect(left + 58, y - 36, width - 58, 36, stroke=1, fill=0)
            c.drawCentredString(left + 29, y - 21, label)
            c.setDash(1, 2)
            c.line(left + 62, y - 18, left + width - 4, y - 18)
            c.setDash()
            y -= 36
        for i, label in enumerate(
            ["走访人（签字）", "监护人（签字或按手印）", "村（居）委会（盖章）", "乡镇（街道）审核"]
        ):
            x = left + (i % 2) * width / 2
            c.rect(x, y - 45, width / 2, 45, stroke=1, fill=0)
            c.drawString(x + 5, y - 14, label)
            c.drawString(x + 100, y - 40, "日期：        年      月      日")
            if i % 2:
                y -= 45
        c.setFont(name, 8)
        c.drawString(left, 30, "关爱簿 打印于 2026-11-28")
        c.drawCentredString(left + width / 2, 30, f"第 {page} 页  共 {pages} 页")
        c.showPage()
    c.save()


def carebook_run(db_path: Path, out: Path, count: int) -> float:
    db = open_database(f"sqlite:///{db_path}", backups_dir=db_path.parent / "backups")
    try:
        ids = select_children(db, township=None, village=None)[:count]
        options = PrintOptions(county="寿阳县", origin=Origin("bench", "bench"))
        start = time.perf_counter()
        result = run_to_end(visit_sheets(db, out, ids, options))
        elapsed = time.perf_counter() - start
        assert result.pages == count, result
        return elapsed
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/big.db")
    parser.add_argument("--sheets", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    font = choose_font()
    if font.path is None:
        print("no embeddable CJK font on this machine; the benchmark needs one", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        copy = folder / "bench.db"
        shutil.copy2(args.db, copy)  # the demo database holds a writer's lock while open
        ours, bare = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            baseline(folder / "bare.pdf", font.path, font.subfont, args.sheets)
            bare.append(time.perf_counter() - start)
            ours.append(carebook_run(copy, folder / "carebook.pdf", args.sheets))
        ours_mb = (folder / "carebook.pdf").stat().st_size / 1e6
        bare_mb = (folder / "bare.pdf").stat().st_size / 1e6
    o, b = statistics.median(ours), statistics.median(bare)
    print(f"font: {font.path}")
    print(f"bare reportlab : {b:6.2f} s for {args.sheets} pages ({bare_mb:.1f} MB)  runs {bare}")
    print(f"carebook       : {o:6.2f} s for {args.sheets} sheets ({ours_mb:.1f} MB)  runs {ours}")
    print(f"ratio          : {o / b:.2f}x (target <= 1.5x)")
    return 0 if o / b <= 1.5 else 2


if __name__ == "__main__":
    sys.exit(main())
