"""The public face of the knowledge base: load it, search it, decide whether to answer."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from knowledge.decision import Decision
from knowledge.details import detail_not_given
from knowledge.engine import Engine, Scored
from knowledge.entries import Entry, Hit, Language, Match
from knowledge.loading import entries_from_csv, load_entries, load_synonyms
from knowledge.memo import one_turn
from knowledge.normalize import holds_contact, normalize
from knowledge.semantic import Embedder, default_embedder
from knowledge.synonyms import Synonyms
from knowledge.tokenize import coordinated_halves

# The candidates the decision looks at: the top one and the margin to the next.
SUGGESTIONS = 3
# A burst after a newsletter is thousands of people tapping the same button or asking the same
# few questions, and a question's match depends only on its text and this knowledge base (never
# changed once built), so the most recent distinct questions are searched once. Only questions
# the knowledge base answers or suggests for, short, and without an e-mail address or a phone
# number are kept, and by a digest of their text: what a person typed (a name beside a question)
# is not held in memory.
REMEMBERED_MATCHES = 4096
REMEMBERED_TEXT_LIMIT = 200
RIVAL = 0.85  # a second entry this close to the first makes a one-word question ambiguous
SHORT = 15  # characters: a word or two, not a sentence
SETTLING_CLAUSE = 10  # characters: a clause shorter than this names a topic, it asks nothing of it


class KnowledgeBase:
    def __init__(
        self,
        entries: list[Entry],
        synonyms: Synonyms | None = None,
        *,
        semantic: bool = True,
        embedder: Embedder | None = None,  # the sentence-vector model (default: the process's)
    ) -> None:
        ids = [i for e in entries for i in e.ids]
        if len(set(ids)) != len(ids):
            raise ValueError(
                "duplicate entry ids: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1}))
            )
        self.entries = entries
        self._by_id = {i: e for e in entries for i in e.ids}
        embedder = (embedder or default_embedder()) if semantic else None
        self._engine = Engine(entries, synonyms or Synonyms(load_synonyms()), embedder)
        self.decision = Decision.load()
        # By a digest of the text, least recently asked first: the texts themselves are not kept.
        self._remembered: OrderedDict[bytes, Match] = OrderedDict()
        self._remembering = threading.Lock()  # turns run in several threads

    @classmethod
    def load(cls, path: Path | str | None = None, *, semantic: bool = True) -> KnowledgeBase:
        """The bundled knowledge base, or the YAML files in ``path``; ``semantic=False`` searches
        by words alone (no sentence-vector model in memory)."""
        return cls(load_entries(Path(path) if path else None), semantic=semantic)

    @classmethod
    def from_csv(cls, path: Path | str, *, semantic: bool = True) -> KnowledgeBase:
        """A FAQ exported as CSV (question, answer, optional id and category; UTF-8, BOM or CP932)."""
        return cls(entries_from_csv(Path(path)), semantic=semantic)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        """The entry of that id, or the one it was merged into."""
        return self._by_id.get(entry_id)

    def current_ids(self, entry_ids: Iterable[str]) -> frozenset[str]:
        """The ids these entries go by now: a labelled set may name an entry merged since (an id
        never merged, or unknown, stays as it is)."""
        return frozenset(entry.id if (entry := self._by_id.get(i)) else i for i in entry_ids)

    @cached_property
    def _written(self) -> frozenset[str]:
        """Each text an entry was written to answer: its phrasings and keywords, normalized. Read
        only for messages that look like no page's (faq.py), so not built at start-up (~0.2 s at
        2,000 entries)."""
        return frozenset(normalize(t) for e in self.entries for t in (*e.phrasings, *e.keywords))

    def names_a_topic(self, text: str) -> bool:
        """``text`` is one of the entries' own phrasings or keywords (normalized)."""
        return normalize(text) in self._written

    def search(self, text: str, limit: int = 5) -> list[Hit]:
        """Hits best first; ``score`` is the calibrated probability (0–1) that the entry answers ``text``."""
        scored, english = self._engine.rank(text, max(limit, 2))
        scores = self._decision().probabilities(scored, english=english, length=self._length(text))
        return [Hit(self.entries[s.index], round(p, 4)) for s, p in zip(scored, scores, strict=True)][:limit]

    def signals(self, text: str, *, semantic: bool = True) -> tuple[dict[str, float] | None, list[str]]:
        """The decision's inputs for ``text`` and the ranked entry ids (for calibrating it)."""
        from knowledge.decision import features

        scored, english = self._engine.rank(text, SUGGESTIONS, semantic=semantic)
        ids = [self.entries[s.index].id for s in scored]
        return (features(scored, english=english, length=self._length(text)) if scored else None), ids

    def match(self, text: str) -> Match:
        """Answer, suggest or decline ``text`` (see ANSWER and SUGGEST)."""
        key = hashlib.blake2b(text.encode(), digest_size=16).digest()
        with self._remembering:
            if (known := self._remembered.get(key)) is not None:
                self._remembered.move_to_end(key)
                return known
        with one_turn():  # ranked by words, then maybe again with the vector: tokenized once
            decided = self._decide(text)
        if decided.outcome != "none" and len(text) <= REMEMBERED_TEXT_LIMIT and not holds_contact(text):
            with self._remembering:
                self._remembered[key] = decided
                if len(self._remembered) > REMEMBERED_MATCHES:
                    self._remembered.popitem(last=False)
        return decided

    def confirmed(self, match: Match, clause: str) -> Match:
        """``match`` answered after all when ``clause`` (what the question asks, without the clauses
        and the condition that explain it) is answered on its own, by the entry ``match`` suggests
        first: in 「娘が東京で働いておりまして、…今の会社をやめないでこっちで仕事を続けるってことは
        できるもんでしょうか」 the scene set in front lowers the share of words an entry covers, not
        what is asked."""
        if match.outcome != "suggest" or not clause.strip():
            return match
        hits = match.hits
        said = self.match(clause)
        if said.outcome != "answer":
            return match
        # The clause answers the entry suggested first, or one the sentence was torn over with it
        # (「孫のことでお聞きしたいのですが、北見では子どもの医療費の助成は…」: the desk and the aid
        # within a hair of each other).
        at = next((i for i, h in enumerate(hits) if h.entry.id == said.hits[0].entry.id), None)
        if at is None or hits[at].score < RIVAL * hits[0].score:
            return match
        # A sentence torn between two entries is settled by a clause that asks something and is
        # not torn itself; a clause of a word or two (「サーモンモデル？」) names what both share.
        torn = len(hits) > 1 and hits[1].score >= RIVAL * hits[0].score
        if torn and (
            len(clause.strip()) < SETTLING_CLAUSE
            or (len(said.hits) > 1 and said.hits[1].score >= RIVAL * said.hits[0].score)
        ):
            return match
        return Match("answer", (hits[at], *hits[:at], *hits[at + 1 :]), match.language, match.ranked)

    def details_checked(self, match: Match, message: str) -> Match:
        """``match`` offered rather than answered when ``message`` (anywhere in it) asks for a
        detail its entry doesn't give (knowledge/details.py: a museum's opening hours)."""
        if match.outcome != "answer" or detail_not_given(message, _answer_text(match.hits[0].entry)) is None:
            return match
        return self.offered(match)

    def offered(self, match: Match) -> Match:
        """An answer as a suggestion instead: its entries likely enough to offer (at least the first)."""
        if match.outcome != "answer":
            return match
        offered = tuple(h for h in match.hits if h.score >= self._decision().suggest_at)
        return Match("suggest", offered or match.hits[:1], match.language, match.ranked)

    def asks_both(self, match: Match, text: str) -> tuple[Match, Match | None]:
        """A suggestion of two entries for a question that names one topic on each side of a と,
        とか or や (「地震とか台風の被害って少ない？」, 「家賃の相場と、あと車がいるかも」) asks both:
        the first is answered and the second returned to be offered beside it. Both halves must
        say so by words alone — each ranks a different one of the two first. Otherwise ``match``
        as it was, and None."""
        hits = match.hits
        if match.outcome != "suggest" or len(hits) < 2 or match.language == "en":
            return match, None
        pair = {hits[0].entry.id, hits[1].entry.id}
        for left, right in coordinated_halves(text):
            tops = [self._engine.rank(half, 1, semantic=False)[0] for half in (left, right)]
            named = {self.entries[found[0].index].id for found in tops if found}
            if named == pair:
                return Match("answer", hits, match.language), Match("answer", hits[1:2], match.language)
        return match, None

    def _length(self, text: str) -> int:
        """How much ``text`` says, in characters as the entries would write it: しやくしょ is 市役所."""
        return len(self._engine.as_written(text))

    def _decision(self) -> Decision:
        """The fitted decision; without a sentence-vector model in this process, the words-only
        fit (the full one reads cosines that would all be zero)."""
        if self.decision.words_only is not None and not self._engine.has_semantic:
            return self.decision.words_only
        return self.decision

    def _decide(self, text: str) -> Match:
        decision = self._decision()
        scored, english = self._engine.rank(text, SUGGESTIONS, semantic=False)
        length = self._length(text)
        words_only = decision.words_only
        if words_only is not None:
            sure = words_only.probabilities(scored, english=english, length=length)
            # Sure by words alone, or hopeless by them: the vector would not change the outcome. Not
            # sure where a second entry would be answered by words too: the words can't tell the two
            # apart ("How cold does it get in winter?": the cold, or indoor play in winter).
            torn = len(sure) > 1 and sure[1] >= words_only.answer_at
            # Hopeless by English words that no entry uses ("why is yakiniku such a thing") says
            # little: the words can't judge what they don't know, and the vector may. (In Japanese,
            # a word no entry uses — ラーメン屋, 教習所 — mostly means the question is not ours.)
            unjudged = english and bool(sure) and sure[0] < decision.hopeless_at and scored[0].unknown > 0
            if not sure or decision.hopeless_at <= sure[0] < decision.sure_at or torn or unjudged:
                scored, english = self._engine.rank(text, SUGGESTIONS)
            else:
                decision = words_only
        language: Language = "en" if english else "ja"
        scores = decision.probabilities(scored, english=english, length=length)
        hits = tuple(Hit(self.entries[s.index], round(p, 4)) for s, p in zip(scored, scores, strict=True))
        # A question about another place (札幌の家賃) is never answered with an entry about Kitami's:
        # the entry is at most offered.
        answerable = bool(hits) and hits[0].score >= decision.answer_at and not scored[0].elsewhere
        if answerable and not _could_be_either(length, scored, hits):
            return Match("answer", hits, language, hits)
        suggestions = tuple(h for h in hits if h.score >= decision.suggest_at)
        if not suggestions and _could_be_either(length, scored, hits):
            # A word several entries use ("cost") is vague, not unknown: its entries are offered,
            # however unlikely each one is.
            suggestions = hits[:SUGGESTIONS]
        if suggestions:
            return Match("suggest", suggestions, language, hits)
        return Match("none", (), language, hits)


def _answer_text(entry: Entry) -> str:
    return f"{entry.answer} {entry.answer_en or ''}"


def _could_be_either(length: int, scored: list[Scored], hits: tuple[Hit, ...]) -> bool:
    """A word or two ("support", "cost", 家賃) with one telling word that several entries use, and a
    second entry nearly as likely: it could be asking either, so it is offered, not answered.
    A sentence says more than its telling words ("How much snow do you get?"). Nothing ranked (「？？」)
    is no word at all."""
    short = length <= SHORT
    return short and len(hits) > 1 and scored[0].vague and hits[1].score >= RIVAL * hits[0].score
