"""A small BM25 (Okapi) index over term lists, with the statistics the confidence needs."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence


class BM25:
    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.size = len(documents)
        self.lengths = [len(d) for d in documents]
        self.average = (sum(self.lengths) / self.size) if self.size else 0.0
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for index, document in enumerate(documents):
            for term, count in Counter(document).items():
                self.postings.setdefault(term, []).append((index, count))
        self.idf = {
            term: math.log(1 + (self.size - len(p) + 0.5) / (len(p) + 0.5))
            for term, p in self.postings.items()
        }

    def scores(self, query: Sequence[str]) -> dict[int, float]:
        """Document index → BM25 score, for documents sharing at least one term with the query."""
        scores: dict[int, float] = {}
        for term in set(query):
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = self.idf[term]
            for index, count in postings:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / (self.average or 1))
                scores[index] = scores.get(index, 0.0) + idf * count * (self.k1 + 1) / (count + norm)
        return scores

    def term_idf(self, term: str) -> float:
        """IDF of a term; unseen terms get the highest value (they are the most specific)."""
        return self.idf.get(term, math.log(1 + (self.size + 0.5) / 0.5))
