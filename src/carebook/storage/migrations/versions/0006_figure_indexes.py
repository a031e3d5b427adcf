"""statistics: narrow covering indexes over the children and pairings columns the figures count

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIGURE_COLUMNS = [
    "deleted_at",
    "status",
    "next_due_on",
    "village_id",
    "sex",
    "birth_date",
    "registered_on",
    "status_date",
]


def upgrade() -> None:
    # A child's row holds ~40 columns of text; the statistics page reads only these. Counting
    # from this index (live children first, then by status) reads a few MB instead of the whole
    # table, and the few removed children are found by a search instead of a full scan.
    # Status and due date first: the due lists count children in register due by a date with a
    # range search here (40 ms, not 240 ms for a scan of it in village order, which would
    # spare the statistics pass only a 0.1 s sort, and that pass runs off the GUI thread).
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_index("ix_children_figures", FIGURE_COLUMNS, unique=False)
    # "Has an active pairing" is asked of every child; SQLite builds that set once per query,
    # from this index instead of the whole pairings table.
    with op.batch_alter_table("pairings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pairings_active", ["deleted_at", "ended_on", "child_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pairings", schema=None) as batch_op:
        batch_op.drop_index("ix_pairings_active")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_index("ix_children_figures")
