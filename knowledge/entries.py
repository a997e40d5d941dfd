"""What the knowledge base holds: entries with their sources, and what a search returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    date: str  # as the source gives it: "2015-08-11", "2024-12", "推定2024年", "日付不明"


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    questions: tuple[str, ...]
    answer: str
    answer_en: str | None = None
    questions_en: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    sources: tuple[Source, ...] = ()
    reviewed: date | None = None
    keywords: tuple[str, ...] = ()
    caution: str | None = None  # "outdated" or "unconfirmed": the answer relies on old or unchecked facts

    @property
    def question(self) -> str:
        return self.questions[0]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float  # calibrated confidence, 0–1


Outcome = Literal["answer", "suggest", "none"]
Language = Literal["ja", "en"]


@dataclass(frozen=True)
class Match:
    """The engine's decision for one question: answer it, offer 「もしかして」 choices, or decline."""

    outcome: Outcome
    hits: tuple[Hit, ...]
    language: Language
