"""import: fingerprints of imported ledger rows, so an unchanged re-import skips their checks

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Derived data only: dropping the table (downgrade) loses nothing but re-import speed.
    op.create_table(
        "import_fingerprints",
        sa.Column("child_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("child_updated_at", sa.DateTime(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_import_fingerprints_child_id_children"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("child_id", name=op.f("pk_import_fingerprints")),
    )


def downgrade() -> None:
    op.drop_table("import_fingerprints")
