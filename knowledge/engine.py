"""The search engine: BM25 over morphemes and character bigrams, on the question field and the
whole entry (and over how the entry sounds, for questions typed mostly in hiragana), a small
rapidfuzz term for near-exact questions, and the cosine of sentence vectors
(knowledge/semantic.py) for questions that share meaning but few words with an entry.

Ranking and confidence are separate on purpose. Ranking mixes relative scores (what is the best
entry?); whether to answer is an absolute question (is that entry right?), decided in
knowledge/decision.py from signals each candidate carries here: how much of the question's
vocabulary the entry contains, how near its phrasings are, the cosine, the margin to the next
entry — an out-of-scope question can rank some entry first, but it can't make that entry
contain its words or mean what it asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from knowledge.bm25 import BM25
from knowledge.entries import Entry
from knowledge.loading import load_synonyms
from knowledge.normalize import (
    as_read,
    is_english,
    mostly_hiragana,
    normalize,
    to_katakana,
    written_in_kana_only,
)
from knowledge.places import HOME, places_in
from knowledge.semantic import Embedder, SemanticIndex, VectorStore, entry_texts
from knowledge.spelling import Spellings
from knowledge.synonyms import EnglishSynonyms, Synonyms
from knowledge.tokenize import (
    bigrams,
    english_terms,
    morphemes,
    reading_bigrams,
    release_dictionary_pages,
)

# Weights of the ranking components (see docs/retrieval.md for the ablation behind them).
W_MORPH_ALL, W_MORPH_QUESTION, W_BIGRAM_ALL, W_BIGRAM_QUESTION, W_FUZZ = 0.35, 0.25, 0.15, 0.15, 0.10
# The cosine enters z-scored over all entries (how unusually close is this entry?); the answer's
# opening counts for less than the question phrasings.
W_SEMANTIC, W_SEMANTIC_ENGLISH, ANSWER_COSINE_SHARE = 0.2, 0.5, 0.4
# English has one field (questions and answer together) and no bigrams; its questions alone count
# as much again, so an entry asked about "satellite offices" outranks one whose answer names them.
W_ENGLISH_QUESTION = 1.0
# A question typed mostly in hiragana (HIRAGANA_SHARE of its letters) is searched with the
# entries' nouns spelled back (knowledge/spelling.py: しゅっさん → 出産), and is also matched by how
# it sounds (tokenize.reading_bigrams), in the ranking and in the share of it an entry covers: the
# dictionary cuts いりょうひ into リョウ and 碑, the sound still meets 医療費.
HIRAGANA_SHARE, W_READING, READING_COVERAGE = 0.85, 0.6, 0.9
CANDIDATES = 20
OTHER_PLACE_PENALTY = 0.6


@dataclass(frozen=True)
class Field:
    """One searchable text of every entry, as morpheme and bigram BM25 indexes."""

    morph: BM25
    bigram: BM25
    morph_sets: tuple[frozenset[str], ...]
    bigram_sets: tuple[frozenset[str], ...]

    @classmethod
    def build(cls, texts: Sequence[str]) -> Field:
        morphs = [morphemes(t) for t in texts]
        grams = [bigrams(t) for t in texts]
        return cls(BM25(morphs), BM25(grams), tuple(map(frozenset, morphs)), tuple(map(frozenset, grams)))


@dataclass(frozen=True)
class Scored:
    """A candidate entry with its rank score and the signals the answer decision reads."""

    index: int
    rank_score: float
    confidence: float  # coverage of the question's vocabulary and phrasing (0–1)
    cosine: float = 0.0  # sentence-vector cosine with the entry's nearest question (0 without a model)
    cosine_z: float = 0.0  # the same, in standard deviations above the mean over all entries
    elsewhere: bool = False  # asks about a place the entry never mentions
    unknown: float = 0.0  # share of the question's words no entry uses (ラーメン屋, 教習所): off topic
    vague: bool = False  # one telling word, which several entries' questions use ("support", 家賃)


def _relative(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


class _Coverage:
    """IDF-weighted share of the query's terms that an entry contains (0–1).

    The weights depend on the query alone, so they are looked up once per question, not once
    per candidate entry.
    """

    def __init__(self, query: Sequence[str], index: BM25) -> None:
        self.weights = {term: index.term_idf(term) for term in set(query)}
        self.total = sum(self.weights.values())
        unseen = sum(weight for term, weight in self.weights.items() if term not in index.idf)
        self.unknown = unseen / self.total if self.total else 0.0

    def of(self, present: frozenset[str]) -> float:
        if not self.total:
            return 0.0
        return sum(weight for term, weight in self.weights.items() if term in present) / self.total


def _vague(terms: Sequence[str], everything: BM25, questions: BM25) -> bool:
    """The question has at most one telling word (one fewer than half the entries use), and that
    word is in several entries' questions: it could be asking any of them."""
    telling = [t for t in set(terms) if everything.documents_with(t) < everything.size / 2]
    return len(telling) <= 1 and (not telling or questions.documents_with(telling[0]) >= 2)


def _z(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    spread = float(values.std()) if values.size > 1 else 0.0
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)


class Engine:
    def __init__(
        self, entries: Sequence[Entry], synonyms: Synonyms, embedder: Embedder | None = None
    ) -> None:
        self.entries = tuple(entries)
        self.synonyms = synonyms
        questions = [self._prepare(" ".join((*e.questions, *e.keywords))) for e in entries]
        self.questions = [[self._prepare(q) for q in e.questions] for e in entries]
        everything = [
            f"{q} {self._prepare(e.category + ' ' + e.answer)}"
            for q, e in zip(questions, entries, strict=True)
        ]
        self.question_field = Field.build(questions)
        self.all_field = Field.build(everything)
        sounds = [reading_bigrams(text) for text in everything]
        self.sounds = BM25(sounds)
        self.sound_sets = tuple(map(frozenset, sounds))
        # The places an entry's answer speaks of. Its questions don't count: people write where they
        # live (東京の娘が…), which says nothing about what the answer covers.
        home = frozenset(morphemes(self._prepare(HOME)))
        self.places_spoken_of = tuple(
            home | frozenset(morphemes(self._prepare(" ".join((e.category, e.answer, *e.keywords)))))
            for e in entries
        )
        self.places_known = frozenset().union(*self.places_spoken_of)  # some entry speaks of them
        self.english_synonyms = EnglishSynonyms(load_synonyms(key="english"))
        english = [
            self.english_synonyms.apply(english_terms(" ".join((*e.questions_en, e.answer_en or ""))))
            for e in entries
        ]
        self.english = BM25(english)
        self.english_sets = tuple(map(frozenset, english))
        self.english_questions = BM25(
            [self.english_synonyms.apply(english_terms(" ".join(e.questions_en))) for e in entries]
        )
        self.semantic = (
            SemanticIndex(*entry_texts(entries), VectorStore(embedder))
            if embedder is not None and entries
            else None
        )
        release_dictionary_pages()  # indexing touched far more of MeCab's dictionary than questions will

    def _prepare(self, text: str) -> str:
        return self.synonyms.apply(normalize(text))

    @property
    def has_semantic(self) -> bool:
        return self.semantic is not None

    def _cosines(
        self, text: str, *, semantic: bool = True
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """(cosine with the nearest question, its z-score) per entry; zeros without a model."""
        if self.semantic is None or not semantic:
            zeros = np.zeros(len(self.entries))
            return zeros, zeros
        questions, answers = self.semantic.cosines(text)
        return questions, _z(questions + ANSWER_COSINE_SHARE * answers)

    @cached_property
    def spellings(self) -> Spellings:
        """The entries' nouns by their sound, from the entries as written, before the synonyms
        rewrite their words (お産 → 出産). A MeCab pass over every entry (~0.5 s at 88 entries,
        ~11 s at 2,000) that only a mostly-hiragana question needs: built then, not at start-up."""
        built = Spellings(" ".join((*e.questions, *e.keywords, e.answer)) for e in self.entries)
        release_dictionary_pages()  # as after indexing: the pass touched most of the dictionary
        return built

    def _indexed(self, term: str) -> bool:
        """Some entry uses ``term`` (a lemma or a word as the entries write it), or a synonym
        group rewrites it."""
        return self._used_by_entries(term) or self.synonyms.knows(term)

    def _used_by_entries(self, term: str) -> bool:
        postings = self.all_field.morph.postings
        return term in postings or to_katakana(term) in postings

    def as_written(self, text: str) -> str:
        """``text`` with the kanji words typed by their sound spelled back, if it is mostly hiragana
        (or romaji, read as hiragana; old kanji forms as today's)."""
        text = as_read(text)
        return self.spellings.spell(text) if mostly_hiragana(text, HIRAGANA_SHARE) else text

    def rank(self, text: str, limit: int, *, semantic: bool = True) -> tuple[list[Scored], bool]:
        """Best entries first with their signals; True when the question was English.
        ``semantic=False`` ranks by words alone (no sentence vector: ~0.5 ms instead of ~30)."""
        if not self.entries:
            return [], is_english(text)
        if is_english(text):
            return self._rank_english(text, limit, semantic=semantic), True
        text = as_read(text)
        if written_in_kana_only(text):
            # 「マゴが トウキョウに おって カエッテ コンカナと… ヒッコシの オカネ でるのかい」: a hand
            # that types kana only mixes the two scripts at random. The katakana no entry uses are
            # read as hiragana, and the message as one typed in hiragana.
            text = self.spellings.katakana_as_hiragana(text, self._used_by_entries)
        hiragana = mostly_hiragana(text, HIRAGANA_SHARE)
        # Kanji words typed by their sound, or by voice input in the wrong kanji, as the entries
        # write them.
        text = self.spellings.spell_katakana(text, self._used_by_entries)
        # Then the kana runs, and the kanji nouns voice input or the IME guessed wrong (序説 for 除雪),
        # whether they stand among kana or among kanji.
        spelled = self.spellings.respell(self.spellings.spell(text, among_kanji=not hiragana), self._indexed)
        query = self._prepare(spelled)
        if not query:
            return [], False
        places, lives_in, without_lives_in = places_in(query, self.places_known)
        q_morph = tuple(term for term in morphemes(query) if term not in lives_in)
        q_grams = bigrams(without_lives_in)
        cosine, cosine_z = self._cosines(spelled, semantic=semantic)
        lexical = (
            W_MORPH_ALL * _relative(self.all_field.morph.scores(q_morph))
            + W_MORPH_QUESTION * _relative(self.question_field.morph.scores(q_morph))
            + W_BIGRAM_ALL * _relative(self.all_field.bigram.scores(q_grams))
            + W_BIGRAM_QUESTION * _relative(self.question_field.bigram.scores(q_grams))
        )
        sounds = reading_bigrams(without_lives_in) if hiragana else ()
        if sounds:
            lexical = lexical + W_READING * _relative(self.sounds.scores(sounds))
        combined = lexical + W_SEMANTIC * np.maximum(cosine_z, 0.0)
        top = np.argpartition(-combined, min(CANDIDATES, combined.size - 1))[:CANDIDATES]
        candidates = [int(i) for i in top if combined[i] > 0]
        scored = []
        morph_coverage = _Coverage(q_morph, self.all_field.morph)
        gram_coverage = _Coverage(q_grams, self.all_field.bigram)
        vague = _vague(q_morph, self.all_field.morph, self.question_field.morph)
        # The share of the sound an entry covers vouches for what the spelling could not write back.
        sound_coverage = (
            _Coverage(sounds, self.sounds) if sounds and mostly_hiragana(spelled, HIRAGANA_SHARE) else None
        )
        for index in candidates:
            near = max(fuzz.ratio(query, q) for q in self.questions[index]) / 100
            rank_score = float(combined[index]) + W_FUZZ * near
            cover_morph = morph_coverage.of(self.all_field.morph_sets[index])
            cover_grams = gram_coverage.of(self.all_field.bigram_sets[index])
            confidence = max(0.5 * cover_morph + 0.3 * cover_grams + 0.2 * near, near)
            if sound_coverage is not None:
                confidence = max(confidence, READING_COVERAGE * sound_coverage.of(self.sound_sets[index]))
            # The question asks about a place this entry's answer never mentions (札幌の家賃,
            # 世田谷区の保育園): it is about somewhere else, however well the other words match.
            elsewhere = bool(places - self.places_spoken_of[index])
            if elsewhere:
                confidence *= OTHER_PLACE_PENALTY
            scored.append(
                Scored(
                    index,
                    rank_score,
                    confidence,
                    float(cosine[index]),
                    float(cosine_z[index]),
                    elsewhere,
                    morph_coverage.unknown,
                    vague,
                )
            )
        scored.sort(key=lambda s: s.rank_score, reverse=True)
        return scored[:limit], False

    def _rank_english(self, text: str, limit: int, *, semantic: bool = True) -> list[Scored]:
        """English BM25 over the English questions and answers, with the (multilingual) cosine: an
        entry not yet translated is still found by meaning."""
        terms = self.english_synonyms.apply(english_terms(text))
        lexical = (
            _relative(self.english.scores(terms))
            + W_ENGLISH_QUESTION * _relative(self.english_questions.scores(terms))
        ) / (1 + W_ENGLISH_QUESTION)
        cosine, cosine_z = self._cosines(text, semantic=semantic)
        combined = lexical + W_SEMANTIC_ENGLISH * np.maximum(cosine_z, 0.0)
        best = [int(i) for i in np.argsort(-combined)[:limit] if combined[i] > 0]
        coverage = _Coverage(terms, self.english)
        vague = _vague(terms, self.english, self.english)
        return [
            Scored(
                i,
                float(combined[i]),
                coverage.of(self.english_sets[i]),
                float(cosine[i]),
                float(cosine_z[i]),
                unknown=coverage.unknown,
                vague=vague,
            )
            for i in best
        ]
