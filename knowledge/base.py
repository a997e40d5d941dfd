"""The public face of the knowledge base: load it, search it, decide whether to answer."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from knowledge.engine import Engine
from knowledge.entries import Entry, Hit, Language, Match
from knowledge.loading import entries_from_csv, load_entries, load_synonyms
from knowledge.normalize import holds_contact
from knowledge.synonyms import Synonyms

# Calibrated on tests/data/eval_*.yaml (see docs/retrieval.md): at or above ANSWER the top hit is
# answered; between SUGGEST and ANSWER the top three are offered as 「もしかして」; below, nothing.
ANSWER = 0.5
SUGGEST = 0.4
SUGGESTIONS = 3
# A burst after a newsletter is thousands of people tapping the same button or asking the same
# few questions, and a question's match depends only on its text and this knowledge base (never
# changed once built), so the most recent distinct questions are searched once. Only questions
# the knowledge base answers or suggests for, short, and without an e-mail address or a phone
# number are kept: a name, a contact or a long paste typed at the concierge is not held in memory.
REMEMBERED_MATCHES = 4096
REMEMBERED_TEXT_LIMIT = 200


class KnowledgeBase:
    def __init__(self, entries: list[Entry], synonyms: Synonyms | None = None) -> None:
        ids = [e.id for e in entries]
        if len(set(ids)) != len(ids):
            raise ValueError(
                "duplicate entry ids: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1}))
            )
        self.entries = entries
        self._by_id = {e.id: e for e in entries}
        self._engine = Engine(entries, synonyms or Synonyms(load_synonyms()))
        self._remembered: OrderedDict[str, Match] = OrderedDict()  # least recently asked first
        self._remembering = threading.Lock()  # turns run in several threads

    @classmethod
    def load(cls, path: Path | str | None = None) -> KnowledgeBase:
        """The bundled knowledge base, or the YAML files in ``path``."""
        return cls(load_entries(Path(path) if path else None))

    @classmethod
    def from_csv(cls, path: Path | str) -> KnowledgeBase:
        """A FAQ exported as CSV (question, answer, optional id and category; UTF-8, BOM or CP932)."""
        return cls(entries_from_csv(Path(path)))

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def search(self, text: str, limit: int = 5) -> list[Hit]:
        """Hits best first; ``score`` is the calibrated confidence (0–1) that the entry answers ``text``."""
        scored, _english = self._engine.rank(text, limit)
        return [Hit(self.entries[s.index], round(min(1.0, s.confidence), 4)) for s in scored]

    def match(self, text: str) -> Match:
        """Answer, suggest or decline ``text`` (see ANSWER and SUGGEST)."""
        with self._remembering:
            if (known := self._remembered.get(text)) is not None:
                self._remembered.move_to_end(text)
                return known
        decided = self._decide(text)
        if decided.outcome != "none" and len(text) <= REMEMBERED_TEXT_LIMIT and not holds_contact(text):
            with self._remembering:
                self._remembered[text] = decided
                if len(self._remembered) > REMEMBERED_MATCHES:
                    self._remembered.popitem(last=False)
        return decided

    def _decide(self, text: str) -> Match:
        scored, english = self._engine.rank(text, SUGGESTIONS)
        language: Language = "en" if english else "ja"
        hits = tuple(Hit(self.entries[s.index], round(min(1.0, s.confidence), 4)) for s in scored)
        if hits and hits[0].score >= ANSWER:
            return Match("answer", hits, language)
        suggestions = tuple(h for h in hits if h.score >= SUGGEST)
        if suggestions:
            return Match("suggest", suggestions, language)
        return Match("none", (), language)
