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
    # The fact(s) this source states, copied from the fact sheet (kitami-facts.md): every figure in
    # the answer must appear in one source's quote, so a reviewer can check it without a browser.
    quote: str = ""
    # The fact sheet's trust label (公式, 報道, 民間, 要確認, 2021IV …): a 2021IV (interview-only) or
    # 要確認 fact needs a caution on the entry.
    label: str = ""


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
    # Why an entry has no source: a frequent question the material doesn't answer, answered with
    # what is known and whom to ask. Such an answer may state no figure.
    no_source: str | None = None
    # Ids of entries merged into this one: old buttons, links and labelled sets still reach it.
    replaces: tuple[str, ...] = ()

    @property
    def question(self) -> str:
        return self.questions[0]

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id that reaches this entry: its own, then those of entries merged into it."""
        return (self.id, *self.replaces)

    @property
    def phrasings(self) -> tuple[str, ...]:
        """Every way the entry's question is asked, Japanese then English."""
        return (*self.questions, *self.questions_en)


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
    hits: tuple[Hit, ...]  # answered or offered, best first
    language: Language
    # The entries the search ranked best, whatever the outcome (a decline too): what the
    # evaluation's "right entry in the top three" reads.
    ranked: tuple[Hit, ...] = ()
