"""Answer, suggest or decline: the probability that the top entry is right, from signals beyond word
coverage, by models fitted on labelled questions (``concierge kb calibrate``): for the full ranking,
a logistic regression and boosted decision trees whose log-odds are averaged; for the ranking by
words alone, the logistic regression only.

Coverage alone falls with every extra word a person types, so long, polite questions were
declined although the right entry ranked first. The model also reads the cosine of sentence
vectors, how far the top entry stands above the next, the question's length and language, and
whether it asks about a place the entry never mentions. Trees read what one weight per signal
cannot (a high cosine says much where few words are shared and little where most are); the line
keeps them from answering on a corner of the data few questions taught. The model
lives in decision.json beside this file, with the data it was fitted on and the reliability table
of that fit.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.engine import Scored

COEFFICIENTS = Path(__file__).with_name("decision.json")

FEATURES = (
    "coverage",
    "cosine",
    "cosine_z",
    "rank_margin",
    "cosine_margin",
    "length",
    "english",
    "elsewhere",
    "unknown",
)


def features(scored: list[Scored], *, english: bool, length: int) -> dict[str, float]:
    """The signals for the top candidate of ``scored`` (best first, at least one)."""
    top = scored[0]
    second = scored[1] if len(scored) > 1 else None
    return {
        "coverage": top.confidence,
        "cosine": top.cosine,
        "cosine_z": top.cosine_z / 10,
        "rank_margin": top.rank_score - (second.rank_score if second else 0.0),
        "cosine_margin": top.cosine - (second.cosine if second else 0.0),
        "length": math.log1p(length) / 5,
        "english": float(english),
        "elsewhere": float(top.elsewhere),
        "unknown": top.unknown,
    }


@dataclass(frozen=True)
class Tree:
    """One regression tree of a boosted model, as arrays indexed by node (a leaf has ``left`` -1):
    a node sends a question left when its feature is at most the threshold. ``value`` is the leaf's
    contribution to the log-odds, the learning rate already applied."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def __call__(self, row: Sequence[float]) -> float:
        """The leaf's value for ``row``, the features in single precision (see single_precision)."""
        node = 0
        while self.left[node] >= 0:
            node = self.left[node] if row[self.feature[node]] <= self.threshold[node] else self.right[node]
        return self.value[node]

    def as_dict(self) -> dict[str, list[Any]]:
        return {
            "feature": list(self.feature),
            "threshold": list(self.threshold),
            "left": list(self.left),
            "right": list(self.right),
            "value": list(self.value),
        }

    @classmethod
    def from_dict(cls, data: dict[str, list[Any]]) -> Tree:
        return cls(
            tuple(int(v) for v in data["feature"]),
            tuple(float(v) for v in data["threshold"]),
            tuple(int(v) for v in data["left"]),
            tuple(int(v) for v in data["right"]),
            tuple(float(v) for v in data["value"]),
        )


def single_precision(row: Sequence[float]) -> list[float]:
    """The trees were grown on single-precision features: compared the same way, a value on a
    threshold goes the way it went in the fit."""
    return list(struct.unpack(f"{len(row)}f", struct.pack(f"{len(row)}f", *row)))


def blended(line: Any, trees: Any) -> Any:
    """The log-odds of the logistic regression and of the trees, averaged (floats or arrays)."""
    return (line + trees) / 2


@dataclass(frozen=True)
class Decision:
    """P(top entry is right) = sigmoid(intercept + Σ weight × feature), or, blended with boosted
    trees, the sigmoid of the mean of that and trees_start + Σ tree(features); thresholds on it.

    ``words_only`` is the same kind of model fitted on the ranking by words alone: where it is
    already sure (``sure_at``), or so unsure that the vector has never rescued such a question
    (under ``hopeless_at``), the sentence vector (~20–50 ms) is not computed at all.
    """

    intercept: float
    weights: dict[str, float]
    answer_at: float
    suggest_at: float
    words_only: Decision | None = None
    sure_at: float = 1.01
    hopeless_at: float = 0.0
    trees: tuple[Tree, ...] = ()
    trees_start: float = 0.0

    @classmethod
    def load(cls, path: Path = COEFFICIENTS) -> Decision:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        words = data.get("words_only")
        return cls(
            float(data["intercept"]),
            {name: float(data["weights"].get(name, 0.0)) for name in FEATURES},
            float(data["answer_at"]),
            float(data["suggest_at"]),
            cls.from_dict(words) if words else None,
            float(words["sure_at"]) if words else 1.01,
            float(words.get("hopeless_at", 0.0)) if words else 0.0,
            tuple(Tree.from_dict(t) for t in data.get("trees", ())),
            float(data.get("trees_start", 0.0)),
        )

    def probability(self, signals: dict[str, float]) -> float:
        z = self.intercept + sum(self.weights[name] * signals[name] for name in FEATURES)
        if self.trees:
            row = single_precision([signals[name] for name in FEATURES])
            z = blended(z, self.trees_start + sum(tree(row) for tree in self.trees))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def probabilities(self, scored: list[Scored], *, english: bool, length: int) -> list[float]:
        """The top candidate's probability of being right; the others' scaled by their rank score
        (a suggestion's button order and its score must agree)."""
        if not scored:
            return []
        top = self.probability(features(scored, english=english, length=length))
        best = scored[0].rank_score or 1.0
        return [top] + [top * max(0.0, s.rank_score / best) for s in scored[1:]]
