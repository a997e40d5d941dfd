"""The knowledge base: content (YAML entries, synonyms) and the Japanese search engine behind one small API.

kb = KnowledgeBase.load()            # the bundled entries
kb.search("空港から市内まで何分？")     # hits best first, .entry and .score (0–1)
kb.match(text)                       # answer / suggest / none, calibrated
"""

from knowledge.base import KnowledgeBase
from knowledge.entries import Entry, Hit, Link, Match, Source

__all__ = ["Entry", "Hit", "KnowledgeBase", "Link", "Match", "Source"]
