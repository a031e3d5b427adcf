"""A child's registration and exit dates travel with the county workbook.

The county builds its register from the townships' workbooks and reports who joined and who
left in a period, and who is overdue: without the dates every child read in counted as joined
on the day of the merge, every exited child as leaving that day, and a never-visited child's
first visit fell due five working days after the merge instead of after its registration.
"""

from __future__ import annotations

from datetime import date

from carebook.services.children import exit_register, get_child, register_child
from carebook.services.statistics import period_figures
from carebook.storage.database import open_database
from tests.conftest import child_facts
from tests.services.county_helpers import TODAY, Clerk, export, merge


def _county(tmp_path):
    return open_database(f"sqlite:///{tmp_path / 'county.db'}", backups_dir=tmp_path / "b")


def _township(db):
    stayed = register_child(db, child_facts(), registered_on=date(2025, 3, 2), today=TODAY).uid
    left = register_child(
        db,
        child_facts(name="李浩然", id_number="11010520120415003X"),
        registered_on=date(2024, 5, 6),
        today=TODAY,
    ).uid
    exit_register(db, left, on=date(2026, 2, 10), reason="父母返乡")
    return stayed, left


def test_the_county_keeps_the_townships_dates(db, tmp_path) -> None:
    stayed, left = _township(db)
    path = tmp_path / "w.xlsx"
    export(db, path)
    county = _county(tmp_path)
    try:
        merge(county, path)
        for uid in (stayed, left):
            ours, theirs = get_child(db, uid), get_child(county, uid)
            assert theirs.registered_on == ours.registered_on
            assert theirs.status_date == ours.status_date
            assert theirs.next_due_on == ours.next_due_on
        for span in (
            (date(2026, 11, 1), date(2026, 11, 30)),
            (date(2026, 1, 1), date(2026, 12, 31)),
        ):
            mine, county_figures = period_figures(db, *span), period_figures(county, *span)
            assert (county_figures.joined, county_figures.left, county_figures.overdue) == (
                mine.joined,
                mine.left,
                mine.overdue,
            )
    finally:
        county.close()


def test_a_date_corrected_there_comes_back_and_a_re_read_changes_nothing(db, tmp_path) -> None:
    stayed, _ = _township(db)
    path = tmp_path / "w.xlsx"
    export(db, path)
    clerk = Clerk(path)
    clerk.set("儿童", stayed, "登记日期", date(2025, 4, 1))
    clerk.save()
    _, result = merge(db, path)
    assert result.updated == 1 and not result.errors
    assert get_child(db, stayed).registered_on == date(2025, 4, 1)
    _, again = merge(db, path)
    assert (again.updated, again.created) == (0, 0)


def test_a_county_fed_period_workbooks_counts_the_same_children_overdue(db, tmp_path) -> None:
    # A monthly export carries only that month's visits; the county, not knowing a child's
    # last visit before it, counted every child not visited that month as never visited and
    # overdue. The 儿童 sheet now says when each child was last visited.
    from carebook.services.visits import VisitInput, log_visit

    uid = register_child(db, child_facts(), registered_on=date(2025, 3, 2), today=TODAY).uid
    log_visit(
        db, [uid], VisitInput(visited_on=date(2026, 10, 20), visitor_name="李主任"), today=TODAY
    )
    path = tmp_path / "十一月.xlsx"
    export(db, path, period="2026-11")
    county = _county(tmp_path)
    try:
        merge(county, path)
        ours, theirs = get_child(db, uid), get_child(county, uid)
        assert theirs.last_visit_on == ours.last_visit_on == date(2026, 10, 20)
        assert theirs.next_due_on == ours.next_due_on
        span = (date(2026, 11, 1), date(2026, 11, 30))
        assert period_figures(county, *span).overdue == period_figures(db, *span).overdue
    finally:
        county.close()
