"""care work: find a child's visits by date, and active pairings, through indexes

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-28 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Without it SQLite matches a child's latest visit through the visited_on index: about
    # 1,400 visits per day to sift for each of 100,000 children when the schedule is rebuilt.
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index("ix_visits_child_visited", ["child_id", "visited_on"], unique=False)
        # Visits per day (monthly chart) and per child in a period, counted from the index alone.
        batch_op.create_index(
            "ix_visits_day_live", ["visited_on", "deleted_at", "child_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_day_live")
        batch_op.drop_index("ix_visits_child_visited")
