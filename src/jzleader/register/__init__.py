"""The register of rounds (issue 16): who was recommended, by which unit, with which verdict, under which
rules and tool, who used the COVID-19 tilt (notice 四: "一次", once) and who was finally selected.

SQLAlchemy Core over SQLite by default (a file in the user's data folder) or any SQLAlchemy URL (a city's
PostgreSQL server); Alembic migrations; every write one transaction. No full ID number is stored: a person
is the HMAC-SHA256 of the normalised ID under a secret kept beside the database (keys.py), and the masked ID
is kept for display.
"""
