"""The child's file lists the activities the child took part in, newest first."""

from __future__ import annotations

from sqlalchemy import func, select

from carebook.gui.dialogs.child_dialog import ChildDialog
from carebook.storage.tables import Activity, ActivityChild, Child


def test_the_activities_tab_lists_the_childs_activities(qtbot, demo_workspace):
    db = demo_workspace.db
    with db.reading() as session:
        uid, count = session.execute(
            select(Child.uid, func.count())
            .join(ActivityChild, ActivityChild.child_id == Child.id)
            .group_by(Child.id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        held = session.execute(
            select(Activity.uid, Activity.held_on, Activity.title)
            .join(ActivityChild, ActivityChild.activity_id == Activity.id)
            .join(Child, Child.id == ActivityChild.child_id)
            .where(Child.uid == uid)
            .order_by(Activity.held_on.desc())
        ).all()
    assert count >= 2
    dialog = ChildDialog(demo_workspace, uid)
    qtbot.addWidget(dialog)
    tab = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())].index(f"活动（{count}）")
    assert dialog.tabs.widget(tab) is dialog.list_views["activities"]
    model = dialog.lists["activities"]
    assert [model.row_values(r)[1] for r in range(model.rowCount())] == [t for _u, _d, t in held]

    # A child who took part in none has an empty tab that says so in its title.
    with db.reading() as session:
        other = session.scalar(
            select(Child.uid).where(~Child.id.in_(select(ActivityChild.child_id))).limit(1)
        )
    dialog = ChildDialog(demo_workspace, other)
    qtbot.addWidget(dialog)
    assert dialog.lists["activities"].rowCount() == 0
    assert dialog.tabs.tabText(tab) == "活动（0）"
