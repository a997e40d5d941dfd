"""Builds the parts every entry point needs (database, knowledge base, router, dispatcher) from settings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock, utcnow
from bot.dispatcher import Dispatcher
from bot.live_knowledge import LiveKnowledge
from bot.settings import Settings
from bot.storage import Database, upgrade
from knowledge import KnowledgeBase


@dataclass
class Concierge:
    settings: Settings
    db: Database
    kb: KnowledgeBase
    dispatcher: Dispatcher

    @classmethod
    def build(
        cls, settings: Settings, *, kb: KnowledgeBase | None = None, clock: Clock = utcnow
    ) -> Concierge:
        from intents import build_router  # intents depend on bot's types, not the other way round

        db = Database(settings.database_url)
        kb = kb or KnowledgeBase.load(settings.knowledge_path, semantic=settings.knowledge_semantic)
        live = LiveKnowledge(kb, db, semantic=settings.knowledge_semantic)
        return cls(settings, db, kb, Dispatcher(db, build_router(), kb, settings, clock, live=live))

    @property
    def live_kb(self) -> KnowledgeBase:
        """The knowledge base with the console's edits (``kb`` is the one loaded at start)."""
        return self.dispatcher.knowledge_now()

    def migrate_if_embedded(self) -> None:
        """Migrate SQLite on start (a laptop has no release step); PostgreSQL uses `concierge db upgrade`."""
        if self.db.is_sqlite:
            upgrade(self.db)

    def close(self) -> None:
        self.db.dispose()
