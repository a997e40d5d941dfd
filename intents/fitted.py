"""The recognizer's fitted model as plain arrays, read without scikit-learn.

scikit-learn fits the model (intents/recognizer.py); reading a message needs only the two
vectorizers' vocabularies and idf weights and the logistic regression's coefficients. Keeping
those as numpy arrays spares every process that loads a fitted model from importing scikit-learn
and SciPy (~70 MB of memory, docs/benchmarks.md) and the pipeline's fixed cost per call.

:meth:`FittedModel.probabilities` computes what the scikit-learn pipeline's ``predict_proba``
does (tests/test_understanding.py compares the two on every example): per vectorizer, term counts
→ 1 + log(count) (sublinear tf) → × idf → L2 norm; the two blocks side by side; then a softmax over
the linear scores.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Analyzer = Callable[[str], list[str]]
Preprocessor = Callable[[str], str]
Floats = npt.NDArray[np.float64]

_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``analyzer="char_wb"``: n-grams inside words, each word padded with a space."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


@dataclass(frozen=True)
class Terms:
    """One fitted tf-idf vectorizer: the column of each known term and its idf weight."""

    columns: dict[str, int]
    idf: Floats

    def row(self, terms: Sequence[str]) -> tuple[list[int], Floats]:
        """The message's non-zero columns and their L2-normalized sublinear tf-idf values."""
        counts = Counter(self.columns[t] for t in terms if t in self.columns)
        if not counts:
            return [], np.zeros(0)
        columns = list(counts)
        values = (1.0 + np.log(np.array([counts[c] for c in columns], dtype=np.float64))) * self.idf[columns]
        norm = float(np.sqrt(values @ values))
        return columns, values / norm if norm else values


@dataclass(frozen=True)
class FittedModel:
    labels: tuple[str, ...]
    chars: Terms
    lemmas: Terms
    char_range: tuple[int, int]
    preprocess: Preprocessor  # the chars vectorizer's (fold)
    lemma_terms: Analyzer
    weights: Floats  # (terms of chars then lemmas) × labels
    intercept: Floats

    def probabilities(self, texts: Sequence[str]) -> Floats:
        """One row of label probabilities per text, in the order of ``labels``."""
        scores = np.tile(self.intercept, (len(texts), 1))
        offset = len(self.chars.columns)
        for at, text in enumerate(texts):
            low, high = self.char_range
            columns, values = self.chars.row(char_wb_ngrams(self.preprocess(text), low, high))
            if columns:
                scores[at] += values @ self.weights[columns]
            columns, values = self.lemmas.row(self.lemma_terms(text))
            if columns:
                scores[at] += values @ self.weights[[offset + c for c in columns]]
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> FittedModel:
        """From ``make_pipeline(FeatureUnion([("chars", …), ("lemmas", …)]), LogisticRegression)``."""
        union, regression = pipeline.steps[0][1], pipeline.steps[-1][1]
        vectorizers = dict(union.transformer_list)
        chars, lemmas = vectorizers["chars"], vectorizers["lemmas"]
        for vectorizer in (chars, lemmas):
            if not (vectorizer.sublinear_tf and vectorizer.norm == "l2" and vectorizer.use_idf):
                raise ValueError("only sublinear, L2-normalized tf-idf is read here")
        if chars.analyzer != "char_wb" or not callable(lemmas.analyzer):
            raise ValueError("chars must be char_wb n-grams and lemmas a callable analyzer")
        return cls(
            labels=tuple(str(c) for c in regression.classes_),
            chars=_terms(chars),
            lemmas=_terms(lemmas),
            char_range=(int(chars.ngram_range[0]), int(chars.ngram_range[1])),
            preprocess=chars.preprocessor,
            lemma_terms=lemmas.analyzer,
            weights=np.ascontiguousarray(regression.coef_.T, dtype=np.float64),
            intercept=np.asarray(regression.intercept_, dtype=np.float64),
        )

    def save(self, path: Path) -> None:
        """As .npz (arrays and strings only: nothing executable is read back)."""
        with path.open("wb") as out:
            np.savez(
                out,
                labels=np.array(self.labels),
                char_terms=np.array(_ordered(self.chars.columns)),
                char_idf=self.chars.idf,
                lemma_terms=np.array(_ordered(self.lemmas.columns)),
                lemma_idf=self.lemmas.idf,
                char_range=np.array(self.char_range),
                weights=self.weights,
                intercept=self.intercept,
            )

    @classmethod
    def load(cls, path: Path, preprocess: Preprocessor, lemma_terms: Analyzer) -> FittedModel:
        with np.load(path, allow_pickle=False) as data:
            low, high = (int(n) for n in data["char_range"])
            return cls(
                labels=tuple(str(label) for label in data["labels"]),
                chars=Terms({str(t): i for i, t in enumerate(data["char_terms"])}, data["char_idf"]),
                lemmas=Terms({str(t): i for i, t in enumerate(data["lemma_terms"])}, data["lemma_idf"]),
                char_range=(low, high),
                preprocess=preprocess,
                lemma_terms=lemma_terms,
                weights=data["weights"],
                intercept=data["intercept"],
            )


def _terms(vectorizer: Any) -> Terms:
    return Terms({str(t): int(i) for t, i in vectorizer.vocabulary_.items()}, np.asarray(vectorizer.idf_))


def _ordered(columns: dict[str, int]) -> list[str]:
    ordered = [""] * len(columns)
    for term, column in columns.items():
        ordered[column] = term
    return ordered
