"""Measuring the engine on labelled questions: top-k accuracy, MRR, and declining out-of-scope ones."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.base import KnowledgeBase
from knowledge.loading import decode_csv


@dataclass(frozen=True)
class Labelled:
    question: str
    expected: frozenset[str]  # empty: out of scope, must be declined

    @property
    def in_scope(self) -> bool:
        return bool(self.expected)


def read_evaluation_set(folder: Path) -> list[Labelled]:
    """Every ``eval_*.yaml`` in ``folder``, in name order: the project's set is tests/data."""
    return [item for path in sorted(folder.glob("eval_*.yaml")) for item in read_labelled(path)]


def read_labelled(path: Path) -> list[Labelled]:
    """YAML ``questions: [{q, expect: [ids]}]`` or a CSV with ``question`` and ``expected`` (id or blank)."""
    if path.suffix.lower() == ".csv":
        rows = csv.DictReader(io.StringIO(decode_csv(path.read_bytes())))
        return [
            Labelled(r["question"], frozenset(x for x in (r.get("expected") or "").split("|") if x))
            for r in rows
        ]
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        Labelled(str(item["q"]), frozenset(item.get("expect") or ()))
        for item in document.get("questions", [])
    ]


@dataclass
class Report:
    in_scope: int = 0
    out_of_scope: int = 0
    top1: int = 0
    top3: int = 0
    top5: int = 0
    reciprocal_ranks: float = 0.0
    answered_correctly: int = 0  # in scope, outcome "answer", right entry
    answered_wrongly: int = 0  # outcome "answer" with a wrong entry (in or out of scope)
    declined_in_scope: int = 0
    declined_out_of_scope: int = 0
    misses: list[tuple[str, list[str], str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, float]:
        n, o = max(self.in_scope, 1), max(self.out_of_scope, 1)
        answered = self.answered_correctly + self.answered_wrongly
        return {
            "questions": self.in_scope + self.out_of_scope,
            "in_scope": self.in_scope,
            "out_of_scope": self.out_of_scope,
            "top1": self.top1 / n,
            "top3": self.top3 / n,
            "top5": self.top5 / n,
            "mrr": self.reciprocal_ranks / n,
            "out_of_scope_declined": self.declined_out_of_scope / o,
            "in_scope_declined": self.declined_in_scope / n,
            "answer_precision": self.answered_correctly / answered if answered else 1.0,
        }


def evaluate(
    kb: KnowledgeBase, questions: Iterable[Labelled], progress: Callable[[], None] | None = None
) -> Report:
    report = Report()
    for item in questions:
        item = Labelled(item.question, kb.current_ids(item.expected))
        match = kb.match(item.question)
        ranked = [h.entry.id for h in kb.search(item.question, limit=5)]
        answered = match.outcome == "answer"
        top = match.hits[0].entry.id if match.hits else None
        if item.in_scope:
            report.in_scope += 1
            rank = next((i for i, entry_id in enumerate(ranked, 1) if entry_id in item.expected), None)
            report.top1 += rank == 1
            report.top3 += rank is not None and rank <= 3
            report.top5 += rank is not None
            report.reciprocal_ranks += 1 / rank if rank else 0.0
            report.declined_in_scope += match.outcome == "none"
            if answered and top in item.expected:
                report.answered_correctly += 1
            elif answered:
                report.answered_wrongly += 1
            if rank != 1:
                report.misses.append((item.question, sorted(item.expected), ranked[0] if ranked else "-"))
        else:
            report.out_of_scope += 1
            report.declined_out_of_scope += match.outcome == "none"
            report.answered_wrongly += answered
            if match.outcome != "none":
                report.misses.append((item.question, [], f"{match.outcome}:{top}"))
        if progress:
            progress()
    return report
