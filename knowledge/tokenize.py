"""Normalized text into the terms BM25 counts: morphemes (fugashi + unidic-lite) and character bigrams.

Morpheme lemmas let 住んでる match 住む; bigrams catch what the dictionary splits oddly
(place names, katakana coinages, typos). Particles, auxiliaries and symbols carry no topic.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import fugashi

from knowledge.normalize import to_katakana

_DROPPED_POS = {"助詞", "助動詞", "補助記号", "記号", "空白", "感動詞"}
# Frequent in every question and so in no topic.
_STOP_LEMMAS = {
    "為る",
    "居る",
    "有る",
    "成る",
    "言う",
    "思う",
    "事",
    "物",
    "方",
    "所",
    "ある",
    "いる",
    "する",
    "なる",
    "こと",
}
_WORD = re.compile(r"[a-z0-9]+")

_local = threading.local()


def _tagger() -> fugashi.Tagger:
    """One tagger per thread: MeCab taggers are not safe to share between threads."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        tagger = _local.tagger = fugashi.Tagger()
    return tagger


@lru_cache(maxsize=4096)
def morphemes(text: str) -> tuple[str, ...]:
    """Content-word lemmas of ``text`` (already normalized), kana folded to katakana."""
    terms = []
    for word in _tagger()(text):
        feature = word.feature
        if feature.pos1 in _DROPPED_POS:
            continue
        lemma = feature.lemma or word.surface
        lemma = lemma.split("-", 1)[0]  # unidic writes English glosses after a hyphen: サテライト-satellite
        if lemma in _STOP_LEMMAS or word.surface in _STOP_LEMMAS:
            continue
        terms.append(to_katakana(lemma))
    return tuple(terms)


@lru_cache(maxsize=4096)
def place_names(text: str) -> frozenset[str]:
    """Place names in ``text`` (as folded lemmas), e.g. 札幌 in 「札幌の家賃相場」."""
    return frozenset(
        to_katakana((word.feature.lemma or word.surface).split("-", 1)[0])
        for word in _tagger()(text)
        if word.feature.pos2 == "固有名詞" and word.feature.pos3 == "地名"
    )


def bigrams(text: str) -> tuple[str, ...]:
    """Overlapping character pairs within each space-separated chunk (kana folded)."""
    grams: list[str] = []
    for chunk in to_katakana(text).split():
        if len(chunk) == 1:
            grams.append(chunk)
        grams.extend(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return tuple(grams)


_EN_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "do",
        "does",
        "did",
        "i",
        "me",
        "my",
        "we",
        "you",
        "your",
        "it",
        "its",
        "in",
        "on",
        "at",
        "to",
        "of",
        "for",
        "from",
        "and",
        "or",
        "how",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "can",
        "could",
        "would",
        "should",
        "will",
        "there",
        "here",
        "this",
        "that",
        "with",
        "about",
        "any",
        "much",
        "many",
        "get",
        "go",
        "kitami",
    }
)


def english_terms(text: str) -> tuple[str, ...]:
    """Lowercase words without stop words, with a light stemmer (plural and -ing/-ed)."""
    terms = []
    for word in _WORD.findall(text.lower()):
        if word in _EN_STOP:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        terms.append(word)
    return tuple(terms)
