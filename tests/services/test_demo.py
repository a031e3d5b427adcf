"""The demo county is realistic: valid IDs that agree with the family, ages that fit categories."""

from __future__ import annotations

from datetime import date

from carebook.domain.categories import category_age_limit
from carebook.domain.dates import age_on
from carebook.domain.id_numbers import parse_id
from carebook.services.schedule import due_children
from carebook.storage.tables import Child, Pairing, Visit
from tests.conftest import TODAY


def test_children_have_valid_ids_agreeing_with_sex_and_birth(demo_db) -> None:
    with demo_db.reading() as session:
        children = session.query(Child).all()
        assert len(children) == 300
        numbers = set()
        for child in children:
            parsed = parse_id(child.id_number, today=TODAY)
            assert (parsed.sex, parsed.birth_date) == (child.sex, child.birth_date)
            numbers.add(child.id_number)
            age = age_on(child.birth_date, TODAY)
            for cat in child.categories:
                assert age < category_age_limit(cat.category), (child.name, cat.category, age)
            assert child.categories, child.name
        assert len(numbers) == 300


def test_left_behind_children_have_a_parent_away_and_a_guardian(demo_db) -> None:
    with demo_db.reading() as session:
        for child in session.query(Child).all():
            labels = {c.category for c in child.categories}
            if "农村留守儿童" in labels and "孤儿" not in labels:
                assert child.father_status == "外出务工"
            assert child.guardian_name and child.guardian_relation


def test_visits_pairings_and_overdue_children_exist(demo_db) -> None:
    with demo_db.reading() as session:
        assert session.query(Visit).count() > 1000
        first = session.query(Visit).order_by(Visit.visited_on).first()
        assert (TODAY - first.visited_on).days <= 731
        paired = session.query(Pairing.child_id).distinct().count()
        in_register = session.query(Child).filter(Child.status == "在册").count()
        assert paired / in_register > 0.75
        for child in session.query(Child).filter(Child.status == "在册"):
            assert child.next_due_on is not None
    overdue = due_children(demo_db, today=TODAY, overdue_only=True)
    assert 0 < len(overdue) < 150
    assert all(d.due < TODAY and d.days_overdue == (TODAY - d.due).days for d in overdue)
    assert date(2000, 1, 1) < min(d.due for d in overdue)


def test_chunlei_grants_go_to_girls_only(demo_db) -> None:
    # 春蕾计划 supports girls' schooling: a demo showing boys under it misleads a training room.
    from sqlalchemy import func, select

    from carebook.storage.tables import Assistance

    with demo_db.reading() as session:
        by_sex = dict(
            session.execute(
                select(Child.sex, func.count())
                .join(Assistance, Assistance.child_id == Child.id)
                .where(Assistance.project == "春蕾计划")
                .group_by(Child.sex)
            ).all()
        )
    assert by_sex.get("女", 0) > 0 and by_sex.get("男", 0) == 0
