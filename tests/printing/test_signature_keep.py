"""The signature lines never stand alone at the top of a page: the last content goes with them."""

from __future__ import annotations

from carebook.printing.records import Report, Section
from carebook.printing.report import write_report
from tests.printing.pdf_helpers import page_texts

COLUMNS = (("日期", 58), ("方式", 36), ("走访人", 40), ("儿童情况", 160), ("跟进", 58))


def case_file(visits: int) -> Report:
    rows = tuple(
        (f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", "入户走访", "李红", f"走访{i:03d} 生活正常", "")
        for i in range(visits)
    )
    return Report(
        title="儿童档案 张子涵",
        subtitle="宗艾镇 东村",
        sections=(
            Section("一、基本情况", facts=(("姓名", "张子涵"), ("性别", "女"))),
            Section(f"四、走访记录（共 {visits} 次）", columns=COLUMNS, rows=rows),
        ),
        printed_on="2026-11-28",
        running_title="张子涵 档案",
        signatures=("儿童主任", "审核人"),
    )


def test_the_signature_keeps_the_last_visit_with_it_at_every_length(tmp_path, font):
    """Lengths around the end of the first page: at one of them the signature falls on it."""
    moved = 0
    for visits in range(24, 40):
        out = tmp_path / f"file-{visits}.pdf"
        list(write_report(out, case_file(visits), font.name))
        texts = page_texts(out)
        last = texts[-1]
        assert "儿童主任" in last and "审核人" in last  # on the last page, once
        assert sum("儿童主任：" in t for t in texts) == 1
        assert f"走访{visits - 1:03d}" in last, f"{visits} visits: the signature stands alone"
        everything = "".join(texts)
        assert all(f"走访{i:03d}" in everything for i in range(visits))  # none lost
        if len(texts) > 1 and f"走访{visits - 2:03d}" not in last:
            moved += 1
    # The sweep did reach lengths where only the last row fits with the signature.
    assert moved >= 1
