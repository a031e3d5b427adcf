"""走访 page: the age-limit list and the visit history tell two villages of one name apart."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.domain.id_numbers import make_id
from carebook.gui.pages.visits_page import VisitsPage
from carebook.services.care_figures import near_age_limit
from carebook.services.children import register_child
from carebook.services.visits import VisitInput, list_visits, log_visit
from tests.conftest import TODAY, child_facts

BIRTH = date(2010, 12, 20)  # 16 on 2026-12-20: within 90 days of TODAY


@pytest.fixture
def two_xinzhuang(workspace):
    """新庄村 in 宗艾镇 and in 洪善镇, and 东村 of 宗艾镇: one child each, each visited."""
    db = workspace.db
    names = {}
    for seq, (town, village, name) in enumerate(
        (
            ("宗艾镇", "新庄村", "宗艾新庄"),
            ("洪善镇", "新庄村", "洪善新庄"),
            ("宗艾镇", "东村", "东村娃"),
        ),
        start=1,
    ):
        facts = child_facts(
            name=name,
            id_number=make_id("140725", BIRTH, seq * 2),
            birth_date=BIRTH,
            sex="女",
            township=town,
            village=village,
        )
        uid = register_child(db, facts, registered_on=date(2026, 1, 5), today=TODAY).uid
        log_visit(db, [uid], VisitInput(date(2026, 10, seq), visitor_name="李红"), today=TODAY)
        names[(town, village)] = name
    return workspace, names


def test_the_services_filter_by_township_and_village(two_xinzhuang):
    workspace, names = two_xinzhuang
    db = workspace.db
    for town in ("宗艾镇", "洪善镇"):
        aged = near_age_limit(db, today=TODAY, township=town, village="新庄村")
        assert [r.name for r in aged] == [names[(town, "新庄村")]]
        visited = list_visits(db, township=town, village="新庄村")
        assert [r.child_name for r in visited] == [names[(town, "新庄村")]]
    assert len(near_age_limit(db, today=TODAY, village="新庄村")) == 2
    assert {r.name for r in near_age_limit(db, today=TODAY, township="宗艾镇")} == {
        "宗艾新庄",
        "东村娃",
    }
    assert len(list_visits(db)) == 3


def test_the_age_limit_list_and_the_history_list_on_the_page(qtbot, two_xinzhuang):
    workspace, names = two_xinzhuang
    page = VisitsPage(workspace, today=TODAY)
    qtbot.addWidget(page)
    labels = [page.village.itemText(i) for i in range(page.village.count())]
    for key in ("age", "history"):
        page.kind.setCurrentIndex(page.kind.findData(key))
        for town in ("洪善镇", "宗艾镇"):
            page.village.setCurrentIndex(labels.index(f"新庄村（{town}）"))
            shown = [getattr(p, "name", None) or p.child_name for p in page.model.payloads]
            assert shown == [names[(town, "新庄村")]], (key, town)
        page.village.setCurrentIndex(0)  # all villages
        assert len(page.model.payloads) == 3


def test_print_list_is_offered_for_the_due_lists_only(qtbot, two_xinzhuang):
    workspace, _names = two_xinzhuang
    page = VisitsPage(workspace, today=TODAY)
    qtbot.addWidget(page)
    for key, offered in (("month", True), ("overdue", True), ("age", False), ("history", False)):
        page.kind.setCurrentIndex(page.kind.findData(key))
        assert page.print_list_button.isHidden() is not offered, key


def test_the_history_finds_one_child_or_visitor_by_name(qtbot, two_xinzhuang):
    # The history shows the newest 2,000 visits; a county logs far more in a year, so a child's
    # visits were out of reach unless they were among the newest.
    workspace, _names = two_xinzhuang
    log_visit(
        workspace.db,
        [list_visits(workspace.db, search="东村娃")[0].child_uid],
        VisitInput(date(2026, 11, 2), visitor_name="王秀英"),
        today=TODAY,
    )
    page = VisitsPage(workspace, today=TODAY)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("history"))
    assert page.history_search.isVisibleTo(page) and len(page.model.payloads) == 4
    for term, found in (("东村娃", 2), ("dcw", 2), ("王秀英", 1), ("李红", 3), ("没有这人", 0)):
        page.history_search.setText(term)
        page.history_search.returnPressed.emit()
        assert len(page.model.payloads) == found, term
    page.history_search.clear()  # the whole history again
    assert len(page.model.payloads) == 4
    page.kind.setCurrentIndex(page.kind.findData("month"))
    assert not page.history_search.isVisibleTo(page)
