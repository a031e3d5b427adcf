"""carebook stats --period: the printed percentages are the register's, rounded once."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.cli import main
from carebook.domain.id_numbers import make_id
from carebook.domain.records import VolunteerFacts
from carebook.services.care_figures import figure_tables, overview
from carebook.services.children import register_child
from carebook.services.pairings import pair
from carebook.services.statistics import period_figures
from carebook.services.volunteers import register_volunteer
from tests.conftest import TODAY, child_facts


def test_coverage_is_rounded_once_like_the_screen_and_the_table(db, capsys) -> None:
    # 1 of 26 paired is 3.846%: the screen and the exported table say 3.8%; the CLI printed
    # 3.9% from the four-place JSON figure (0.0385), a second rounding.
    uids = [
        register_child(
            db,
            child_facts(name=f"儿童{n}", id_number=make_id("140725", date(2015, 1, 1), n * 2)),
            today=TODAY,
        ).uid
        for n in range(1, 27)
    ]
    mother = register_volunteer(db, VolunteerFacts(name="刘秀英", phone="13900001111"))
    pair(db, [mother], uids[:1], started_on=date(2026, 11, 2), today=TODAY)
    db.close()  # the command takes the writer's lock itself
    assert main(["--db", str(db.file), "stats", "--period", "2026-11"]) == 0
    out = capsys.readouterr().out
    assert "结对覆盖率 3.8%" in out
    assert "农村留守儿童: 3.8%" in out


@pytest.mark.parametrize("period", ["2026-Q4", "2026-10-01..2026-12-31"])
def test_a_period_prints_its_dates(db, capsys, period) -> None:
    db.close()
    assert main(["--db", str(db.file), "stats", "--period", period]) == 0
    assert "统计时段 2026-10-01 至 2026-12-31" in capsys.readouterr().out


def test_coverage_by_category_lists_in_the_order_of_the_screen_and_the_table(
    demo_db, capsys
) -> None:
    # The CLI listed the categories in the database's grouping order (事实无人抚养儿童 first);
    # the 统计 page and its exported table in the official order (农村留守儿童 first).
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    shown = overview(demo_db, start, end, today=TODAY)
    (rows,) = [r for title, _h, r in figure_tables(shown) if title == "分类别结对覆盖率"]
    table_order = [row[0] for row in rows]
    assert len(table_order) >= 4
    assert list(period_figures(demo_db, start, end, today=TODAY).coverage_by_category) == (
        table_order
    )
    demo_db.close()
    assert main(["--db", str(demo_db.file), "stats", "--period", "2026-11"]) == 0
    printed = capsys.readouterr().out.split("结对覆盖率")[1]
    assert sorted(table_order, key=printed.index) == table_order
