"""The register's tables (SQLAlchemy Core). Changing them means a new migration in migrations/versions."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)  # fmt: skip

#: constraint names fixed by convention, so that a migration can name them on SQLite and PostgreSQL alike
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

rounds = Table(
    "rounds", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("year", Integer),  #: the year of the rule set's notice
    Column("created_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip

#: one stored reading of a round: its files, its rules and the tool; a round sent again is a new version
versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", ForeignKey("rounds.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("current", Boolean, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("tool_version", String(40), nullable=False),
    Column("files_digest", String(64), nullable=False),  #: sha256 over the files' sha256, sorted
    Column("rules", Text, nullable=False),  #: JSON: {rule file name: sha256}
    UniqueConstraint("round_id", "number", name="uq_versions_round_number"),
)  # fmt: skip

files = Table(
    "files", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", ForeignKey("versions.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),  #: as given on the command line
    Column("path", Text, nullable=False),  #: absolute, for verify
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
)  # fmt: skip

entries = Table(
    "entries", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", ForeignKey("versions.id"), nullable=False, index=True),
    Column("person_key", String(64), index=True),  #: HMAC-SHA256 of the ID; NULL when no ID could be read
    Column("name", String(100), nullable=False),
    Column("unit", String(200), nullable=False),
    Column("masked_id", String(40), nullable=False),
    Column("verdict", String(12), nullable=False),
    Column("reasons", Text, nullable=False),  #: JSON: the codes behind the verdict (fail and review)
    Column("tilt_applied", Boolean, nullable=False),  #: the COVID-19 exemption granted in this round
    Column("file", Text, nullable=False),
    Column("row", Integer),
)  # fmt: skip

#: who was finally selected in a round (register outcome), added by the second migration
outcomes = Table(
    "outcomes", metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", ForeignKey("rounds.id"), nullable=False, index=True),
    Column("person_key", String(64), index=True),
    Column("name", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip
