"""Who was finally selected in a round (register outcome).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("person_key", sa.String(64)),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outcomes"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_outcomes_round_id_rounds"),
    )
    op.create_index("ix_outcomes_round_id", "outcomes", ["round_id"])
    op.create_index("ix_outcomes_person_key", "outcomes", ["person_key"])


def downgrade() -> None:
    op.drop_table("outcomes")
