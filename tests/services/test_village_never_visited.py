"""The 统计 page's 分村 table says, per village, how many children were never visited: the
figure the 走访 page's 从未走访 list gives for that village, and its exported table too."""

from __future__ import annotations

from datetime import date

from carebook.services.care_figures import figure_tables, overview
from carebook.services.schedule import DueQuery, count_due
from carebook.services.statistics import village_figures
from tests.conftest import TODAY

START, END = date(2026, 11, 1), date(2026, 11, 30)


def _listed(db, township: str, village: str) -> int:
    query = DueQuery(
        TODAY, within_days=None, never_visited=True, village=village, township=township
    )
    return count_due(db, query)[0]


def test_never_visited_per_village_matches_the_visits_pages_list(demo_db) -> None:
    view = overview(demo_db, START, END, today=TODAY)
    assert view.villages and sum(v.never_visited for v in view.villages) > 0
    for v in view.villages:
        assert v.never_visited == _listed(demo_db, v.township, v.village), v.village
    # The county's service (the workbook's 统计 sheet) counts the same.
    assert village_figures(demo_db, START, END, today=TODAY) == view.villages
    (table,) = [(h, r) for t, h, r in figure_tables(view) if t == "分村统计"]
    header, rows = table
    column = header.index("从未走访")
    assert rows[-1][0] == "合计"
    assert rows[-1][column] == count_due(demo_db, DueQuery(TODAY, None, never_visited=True))[0]
    assert rows[-1][header.index("覆盖率")].endswith("%")  # the sums kept the rate in place
