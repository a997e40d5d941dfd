"""Fitting the answer decision (knowledge/decision.py) on labelled questions, and its reliability table.

Each labelled question gives the top candidate's signals and whether that candidate is right
(out-of-scope questions: never). A logistic regression maps signals to the probability of being
right. Thresholds are chosen on held-out probabilities (cross-validation), so the published table
describes data the model did not see: answer where answers stay right ``precision`` of the time;
suggest (「もしかして」) only above the probability that ``declined`` of out-of-scope questions stay
under, so a question the concierge can't answer gets a plain "I don't know" and a way to staff.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from knowledge.decision import COEFFICIENTS, FEATURES, Tree, blended, single_precision

BANDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
FOLDS = 5


@dataclass(frozen=True)
class Example:
    signals: dict[str, float]
    right: bool  # the top candidate answers the question
    in_scope: bool = True  # some entry answers it
    # From a set with the mix people send. A set written to teach one kind (out-of-scope questions
    # only) shapes the model but not the thresholds: those are read where the mix is natural.
    natural: bool = True


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    answers: int
    right: int


@dataclass(frozen=True)
class Fit:
    intercept: float
    weights: dict[str, float]
    answer_at: float
    suggest_at: float
    reliability: tuple[Band, ...]
    examples: int
    sure_at: float = 1.01  # (the words-only fit) where the sentence vector is not needed
    hopeless_at: float = 0.0  # (the words-only fit) below it, the vector has never rescued a question
    held_out: tuple[float, ...] = ()  # each example's cross-validated probability (not written)
    trees: tuple[Tree, ...] = ()  # a blended fit's boosted trees
    trees_start: float = 0.0  # their log-odds before any tree

    def as_dict(self) -> dict[str, Any]:
        """Everything but the trees themselves, which ``write`` puts last, one line each."""
        return {
            "intercept": self.intercept,
            "weights": self.weights,
            **({"trees_start": self.trees_start} if self.trees else {}),
            "answer_at": self.answer_at,
            "suggest_at": self.suggest_at,
            "sure_at": self.sure_at,
            "hopeless_at": self.hopeless_at,
            "reliability_cross_validated": [
                {"band": f"{b.low:.1f}-{b.high:.1f}", "questions": b.answers, "right": b.right}
                for b in self.reliability
            ],
        }


# The boosted model: small trees, many of them, each leaf holding at least LEAF examples, so no
# rule is learnt from a handful of questions.
TREES = 150
LEAVES = 8
LEAF = 40
LEARNING_RATE = 0.05


def _matrix(examples: Sequence[Example]) -> list[list[float]]:
    return [[e.signals[name] for name in FEATURES] for e in examples]


@dataclass(frozen=True)
class _Models:
    """A logistic regression and, for a blended fit, boosted trees beside it: the probability is
    the sigmoid of the mean of their log-odds."""

    line: Any
    trees: Any = None

    def probabilities(self, examples: Sequence[Example]) -> list[float]:
        matrix = _matrix(examples)
        z = self.line.decision_function(matrix)
        if self.trees is not None:
            z = blended(z, self.trees.decision_function(matrix))
        return [1 / (1 + math.exp(-float(v))) for v in z]


def _model(examples: Sequence[Example], blended: bool = False) -> _Models:
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    matrix, right = _matrix(examples), [e.right for e in examples]
    line = LogisticRegression(C=1.0, max_iter=2000).fit(matrix, right)
    if not blended:
        return _Models(line)
    trees = GradientBoostingClassifier(
        n_estimators=TREES,
        learning_rate=LEARNING_RATE,
        max_leaf_nodes=LEAVES,
        min_samples_leaf=LEAF,
        random_state=0,
    ).fit(matrix, right)
    return _Models(line, trees)


def _cross_validated(examples: Sequence[Example], blended: bool = False) -> list[float]:
    """Each example's probability from a model fitted without its fold."""
    probabilities = [0.0] * len(examples)
    for k in range(FOLDS):
        kept = [e for i, e in enumerate(examples) if i % FOLDS != k]
        models = _model(kept, blended)
        held = [i for i in range(len(examples)) if i % FOLDS == k]
        for i, p in zip(held, models.probabilities([examples[i] for i in held]), strict=True):
            probabilities[i] = p
    return probabilities


def _trees(model: Any, examples: Sequence[Example]) -> tuple[float, tuple[Tree, ...]]:
    """A fitted GradientBoostingClassifier as (log-odds before any tree, its trees), the learning
    rate folded into the leaves."""
    trees = []
    for [estimator] in model.estimators_:
        t = estimator.tree_
        trees.append(
            Tree(
                tuple(int(f) for f in t.feature),
                tuple(float(v) for v in t.threshold),
                tuple(int(n) for n in t.children_left),
                tuple(int(n) for n in t.children_right),
                tuple(round(float(v) * model.learning_rate, 6) for v in t.value[:, 0, 0]),
            )
        )
    first = _matrix(examples[:1])
    row = single_precision(first[0])
    start = float(model.decision_function(first)[0]) - sum(tree(row) for tree in trees)
    return round(start, 6), tuple(trees)


def reliability(probabilities: Sequence[float], right: Sequence[bool]) -> tuple[Band, ...]:
    bands = []
    for low, high in itertools.pairwise(BANDS):
        inside = [r for p, r in zip(probabilities, right, strict=True) if low <= p < high]
        bands.append(Band(low, min(high, 1.0), len(inside), sum(inside)))
    return tuple(bands)


def _lowest_threshold(probabilities: Sequence[float], right: Sequence[bool], precision: float) -> float:
    """The lowest threshold at which the answers given above it are right ``precision`` of the time."""
    for threshold in [t / 100 for t in range(20, 96)]:
        given = [r for p, r in zip(probabilities, right, strict=True) if p >= threshold]
        if given and sum(given) / len(given) >= precision:
            return threshold
    return 0.95


def _declining(probabilities: Sequence[float], examples: Sequence[Example], declined: float) -> float:
    """The lowest threshold under which ``declined`` of the out-of-scope questions fall."""
    outside = sorted(p for p, e in zip(probabilities, examples, strict=True) if not e.in_scope)
    if not outside:
        return 0.3
    return round(outside[min(len(outside) - 1, int(declined * len(outside)))] + 0.005, 2)


def fit(
    examples: Sequence[Example],
    *,
    precision: float = 0.95,
    declined: float = 0.75,
    sure_precision: float = 0.98,
    blended: bool = False,
) -> Fit:
    if len({e.right for e in examples}) < 2:
        raise ValueError("calibration needs both right and wrong top candidates")
    everything = _cross_validated(examples, blended)
    models = _model(examples, blended)
    weights = {name: round(float(w), 4) for name, w in zip(FEATURES, models.line.coef_[0], strict=True)}
    start, trees = _trees(models.trees, examples) if models.trees is not None else (0.0, ())
    natural = [e for e in examples if e.natural]
    held_out = [p for p, e in zip(everything, examples, strict=True) if e.natural]
    right = [e.right for e in natural]
    answer_at = _lowest_threshold(held_out, right, precision)
    return Fit(
        round(float(models.line.intercept_[0]), 4),
        weights,
        answer_at,
        min(_declining(held_out, natural, declined), answer_at),
        reliability(held_out, right),
        len(examples),
        _lowest_threshold(held_out, right, sure_precision),
        held_out=tuple(everything),
        trees=trees,
        trees_start=start,
    )


def hopeless(
    words: Fit, full: Fit, pairs: Sequence[tuple[int, int, Example]], spared: float = 0.002
) -> float:
    """The words-only probability under which the sentence vector (almost) never turned a question
    into a right answer or a right first 「もしかして」 (cross-validated, on the natural sets): below
    it, the vector is not computed.
    The lowest ``spared`` share of those rescues is not waited for: one fragment (「like -20C?」 after
    its question) would otherwise make every hopeless message pay for a vector.

    ``pairs`` holds, per question read both ways, its index in the words-only and the full fit.
    """
    rescued = sorted(
        words.held_out[w]
        for w, f, example in pairs
        if example.natural and example.right and full.held_out[f] >= full.suggest_at
    )
    floor = rescued[int(len(rescued) * spared)] if rescued else 0.0
    return max((t / 100 for t in range(0, 51) if t / 100 <= floor), default=0.0)


def write(result: Fit, words_only: Fit, sources: Sequence[str], path: Path = COEFFICIENTS) -> None:
    """The full model, and the words-only one whose ``sure_at`` and ``hopeless_at`` spare the
    sentence vector."""
    document = {
        "fitted": date.today().isoformat(),
        "fitted_on": list(sources),
        "examples": result.examples,
        **{k: v for k, v in result.as_dict().items() if k not in ("sure_at", "hopeless_at")},
        "words_only": words_only.as_dict(),
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if result.trees:  # one line a tree: a refit's diff shows which trees changed
        lines = ",\n".join(f"  {json.dumps(t.as_dict(), separators=(',', ':'))}" for t in result.trees)
        text = f'{text[:-2]},\n "trees": [\n{lines}\n ]\n}}'
    path.write_text(text + "\n", encoding="utf-8")
