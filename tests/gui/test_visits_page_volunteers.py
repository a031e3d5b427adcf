"""走访 page: narrowing the due lists to one 爱心妈妈 means her, not every namesake of hers, and
the printed list is the list on the screen."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.domain.id_numbers import make_id
from carebook.domain.records import VolunteerFacts
from carebook.gui import printing_actions
from carebook.gui.pages.visits_page import VisitsPage
from carebook.services.children import register_child
from carebook.services.pairings import pair
from carebook.services.print_data import Reveal
from carebook.services.print_reports import due_report
from carebook.services.schedule import paired_volunteers
from carebook.services.visits import VisitInput, log_visit
from carebook.services.volunteers import register_volunteer
from tests.conftest import TODAY, child_facts


@pytest.fixture
def namesakes(workspace):
    """Two 王秀英 in 东村 (different phones), each paired with one child; a third child of 西村
    paired with 李红. 东村's first child was visited once, long ago; the others never."""
    db = workspace.db
    children = {}
    for seq, (village, name) in enumerate((("东村", "甲"), ("东村", "乙"), ("西村", "丙")), 1):
        facts = child_facts(
            name=name,
            id_number=make_id("140725", date(2015, 3, seq), seq * 2),
            birth_date=date(2015, 3, seq),
            township="宗艾镇",
            village=village,
        )
        children[name] = register_child(db, facts, registered_on=date(2025, 1, 5), today=TODAY).uid
    log_visit(db, [children["甲"]], VisitInput(date(2025, 2, 1), visitor_name="李红"), today=TODAY)
    volunteers = {}
    for key, name, phone, village in (
        ("wang1", "王秀英", "13800001111", "东村"),
        ("wang2", "王秀英", "13900002222", "东村"),
        ("li", "李红", "13700003333", "西村"),
    ):
        facts = VolunteerFacts(name=name, phone=phone, township="宗艾镇", village=village)
        volunteers[key] = register_volunteer(db, facts)
    for volunteer, child in (("wang1", "甲"), ("wang2", "乙"), ("li", "丙")):
        pair(db, [volunteers[volunteer]], [children[child]], started_on=TODAY, today=TODAY)
    return workspace, children, volunteers


def test_the_volunteers_offered_are_those_paired_in_the_place(namesakes):
    workspace, _children, volunteers = namesakes
    db = workspace.db
    east = paired_volunteers(db, township="宗艾镇", village="东村")
    assert {v.uid for v in east} == {volunteers["wang1"], volunteers["wang2"]}
    assert {v.masked_phone for v in east} == {"138****1111", "139****2222"}
    assert [v.name for v in paired_volunteers(db, village="西村")] == ["李红"]
    assert len(paired_volunteers(db)) == 3
    # More than can be chosen from: no list at all, the page asks for a village first.
    assert paired_volunteers(db, most=2) is None


def test_choosing_one_namesake_shows_her_children_only(qtbot, namesakes):
    workspace, children, volunteers = namesakes
    page = VisitsPage(workspace, today=TODAY)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("never"))
    page.village.setCurrentIndex(page.village.findText("东村"))
    labels = [page.volunteer.itemText(i) for i in range(page.volunteer.count())]
    assert sorted(labels[1:]) == ["王秀英（138****1111）", "王秀英（139****2222）"]
    page.volunteer.setCurrentIndex(page.volunteer.findData(volunteers["wang2"]))
    assert [p.uid for p in page.model.payloads] == [children["乙"]]
    page.volunteer.setCurrentIndex(page.volunteer.findData(volunteers["wang1"]))
    assert page.model.payloads == []  # 甲 was visited: not on the never-visited list
    page.kind.setCurrentIndex(page.kind.findData("overdue"))
    assert [p.uid for p in page.model.payloads] == [children["甲"]]
    # Another village: its own volunteers; the choice made for 东村 does not linger.
    page.village.setCurrentIndex(page.village.findText("西村"))
    assert [page.volunteer.itemText(i) for i in range(1, page.volunteer.count())] == ["李红"]
    assert page.volunteer.currentIndex() == 0
    assert [p.uid for p in page.model.payloads] == [children["丙"]]


def test_the_list_printed_is_the_list_shown(qtbot, namesakes, monkeypatch):
    workspace, children, volunteers = namesakes
    asked = {}
    monkeypatch.setattr(
        printing_actions,
        "print_due_list",
        lambda parent, ws, query, **kw: asked.update(kw, query=query),
    )
    page = VisitsPage(workspace, today=TODAY)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("never"))
    page.village.setCurrentIndex(page.village.findText("东村"))
    page.volunteer.setCurrentIndex(page.volunteer.findData(volunteers["wang2"]))
    page.print_list()
    query = asked["query"]
    assert query == page._query
    assert query.never_visited and query.within_days is None
    assert (query.township, query.village) == ("宗艾镇", "东村")
    assert query.volunteer_uid == volunteers["wang2"]
    assert asked["volunteer_label"] == "王秀英（139****2222）"
    report, uids = due_report(workspace.db, "测试县", Reveal(), query, asked["volunteer_label"])
    assert uids == [children["乙"]]
    assert "王秀英（139****2222）" in report.title
    assert "从未走访" in report.subtitle
