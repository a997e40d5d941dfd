"""Alembic environment: runs our migrations against the URL handed in by bot.storage.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "bot.storage.migrate sets sqlalchemy.url"

engine = create_engine(url)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite can't ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
