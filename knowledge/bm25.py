"""A small BM25 (Okapi) index over term lists.

Each (term, document) weight depends only on the document, so it is computed once at build
time; a query then adds a few precomputed numpy arrays, which keeps 10,000 entries fast.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


class BM25:
    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float64)
        average = float(lengths.mean()) if self.size else 1.0
        norms = k1 * (1 - b + b * lengths / (average or 1.0))
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for index, document in enumerate(documents):
            for term, count in Counter(document).items():
                docs, counts = postings.setdefault(term, ([], []))
                docs.append(index)
                counts.append(count)
        self.idf: dict[str, float] = {}
        self.postings: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]] = {}
        for term, (docs, counts) in postings.items():
            idf = math.log(1 + (self.size - len(docs) + 0.5) / (len(docs) + 0.5))
            doc_array = np.array(docs, dtype=np.int32)
            tf = np.array(counts, dtype=np.float64)
            self.idf[term] = idf
            self.postings[term] = (doc_array, idf * tf * (k1 + 1) / (tf + norms[doc_array]))

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float64]:
        """BM25 score of every document for ``query`` (zeros where no term is shared)."""
        total = np.zeros(self.size, dtype=np.float64)
        for term in set(query):
            posting = self.postings.get(term)
            if posting is not None:
                total[posting[0]] += posting[1]
        return total

    def term_idf(self, term: str) -> float:
        """IDF of a term; unseen terms get the highest value (they are the most specific)."""
        return self.idf.get(term, math.log(1 + (self.size + 0.5) / 0.5))

    def documents_with(self, term: str) -> int:
        posting = self.postings.get(term)
        return 0 if posting is None else len(posting[0])
