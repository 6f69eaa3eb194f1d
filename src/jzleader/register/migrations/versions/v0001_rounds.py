"""Rounds, their versions, files and candidates.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
        sa.UniqueConstraint("name", name="uq_rounds_name"),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("files_digest", sa.String(64), nullable=False),
        sa.Column("rules", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_versions"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_versions_round_id_rounds"),
        sa.UniqueConstraint("round_id", "number", name="uq_versions_round_number"),
    )
    op.create_index("ix_versions_round_id", "versions", ["round_id"])
    op.create_table(
        "files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_files"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], name="fk_files_version_id_versions"),
    )
    op.create_index("ix_files_version_id", "files", ["version_id"])
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("person_key", sa.String(64)),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("masked_id", sa.String(40), nullable=False),
        sa.Column("verdict", sa.String(12), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("tilt_applied", sa.Boolean, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("row", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_entries"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], name="fk_entries_version_id_versions"),
    )
    op.create_index("ix_entries_version_id", "entries", ["version_id"])
    op.create_index("ix_entries_person_key", "entries", ["person_key"])


def downgrade() -> None:
    for table in ("entries", "files", "versions", "rounds"):
        op.drop_table(table)
