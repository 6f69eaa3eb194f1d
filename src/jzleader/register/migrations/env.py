"""Alembic's environment: the connection is handed over by db.upgrade (no alembic.ini, no URL here)."""

from alembic import context

from jzleader.register.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
