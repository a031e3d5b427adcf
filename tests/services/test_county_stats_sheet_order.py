"""The workbook's 统计 sheet lists the categories as the 统计 page's 分村 table does."""

from __future__ import annotations

from datetime import date

import openpyxl

from carebook.services.care_figures import figure_tables, overview
from tests.services.county_helpers import TODAY, export


def test_category_columns_follow_the_statistics_pages_order(demo_db, tmp_path) -> None:
    path = tmp_path / "县.xlsx"
    export(demo_db, path, period="2026-11")
    sheet = openpyxl.load_workbook(path, read_only=True)["统计"]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    view = overview(demo_db, date(2026, 11, 1), date(2026, 11, 30), today=TODAY)
    (page_header,) = [h for t, h, _r in figure_tables(view) if t == "分村统计"]
    page_categories = [h for h in page_header if h in view.categories]
    assert len(page_categories) >= 4
    assert [h for h in header if h in view.categories] == page_categories
