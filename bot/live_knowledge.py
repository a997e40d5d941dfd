"""The knowledge base as edited in the console: the bundled entries with the newest edit of each.

Each worker holds an index built for one knowledge version (the highest ``kb_edits`` id it has
seen). Every turn asks for the current version inside its own transaction, one indexed query;
when another worker (or this one) saved an edit, the index is rebuilt before the turn is
answered, so no worker answers from an old text after the edit is committed. A rebuild takes
seconds and happens once per worker per edit.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.database import Database
from bot.storage.models import KbEdit
from knowledge import KnowledgeBase
from knowledge.entries import Entry, Source

log = logging.getLogger(__name__)


class LiveKnowledge:
    def __init__(self, base: KnowledgeBase, db: Database, *, semantic: bool) -> None:
        self.base, self.db, self.semantic = base, db, semantic
        self._current, self._version = base, 0
        self._building = threading.Lock()

    @property
    def latest(self) -> KnowledgeBase:
        """The index this worker built last (no database query)."""
        return self._current

    def current(self, session: Session) -> KnowledgeBase:
        """The knowledge with every edit committed, checked in the caller's transaction (a turn's)."""
        version = int(session.scalar(select(func.max(KbEdit.id))) or 0)
        if version == self._version:
            return self._current
        with self._building:
            if version != self._version:
                self._current, self._version = self._build(session, version), version
        return self._current

    def refresh(self) -> KnowledgeBase:
        with self.db.transaction() as session:
            return self.current(session)

    def _build(self, session: Session, version: int) -> KnowledgeBase:
        newest = session.scalars(
            select(KbEdit).where(
                KbEdit.id.in_(
                    select(func.max(KbEdit.id)).where(KbEdit.id <= version).group_by(KbEdit.entry_id)
                )
            )
        ).all()
        edits = {row.entry_id: _edited(self.base.get(row.entry_id), row) for row in newest}
        entries = [edits.get(entry.id) or entry for entry in self.base.entries]
        log.info("knowledge version %d: %d entries edited in the console", version, len(edits))
        return KnowledgeBase(entries, semantic=self.semantic)


def _edited(entry: Entry | None, row: KbEdit) -> Entry | None:
    if entry is None:  # an entry removed from the files since: its edit no longer applies
        return None
    return dataclasses.replace(
        entry,
        questions=tuple(row.questions),
        answer=row.answer,
        sources=tuple(Source(**source) for source in row.sources),
        reviewed=date.fromisoformat(row.reviewed) if row.reviewed else None,
    )
