"""Storage: what must survive a restart or be shared by several workers lives here, in the database."""

from bot.storage.database import Database
from bot.storage.migrate import upgrade

__all__ = ["Database", "upgrade"]
