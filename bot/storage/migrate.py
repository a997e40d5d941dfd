"""Apply Alembic migrations from inside the installed package (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.storage.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision``; safe to run again (Alembic records what was applied)."""
    command.upgrade(alembic_config(db.url.render_as_string(hide_password=False)), revision)


def downgrade(db: Database, revision: str) -> None:
    command.downgrade(alembic_config(db.url.render_as_string(hide_password=False)), revision)
