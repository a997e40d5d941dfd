"""The rules every knowledge entry must meet (`concierge kb check`, and the console's editor).

A fact is kept to what its sources say: every figure in an answer appears in a source's quote,
every source has a title, a URL and a quote, and an entry is reviewed at least yearly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from knowledge.entries import Entry
from knowledge.figures import figures, figures_in
from knowledge.normalize import normalize

STALE_AFTER = timedelta(days=365)
# Fact-sheet labels whose facts may not be stated without a caution: 2021IV (found only in the
# 2021 interview, uncorroborated) and 要確認 (old or undated, likely changed since).
NEEDS_CAUTION = ("2021IV", "要確認")


def fact_problems(entry: Entry, where: str) -> list[str]:
    """The rules that keep an answer to what its sources say (issue 16's audit, as checks)."""
    errors: list[str] = []
    if any(not source.quote for source in entry.sources):
        errors.append(f"{where}: every source needs a quote (the facts it supports, from the fact sheet)")
    # A figure is supported by a quote; a year or month may also come from a source's own date
    # ("2016年時点では…" says how old the source is).
    supported = figures_in(s.quote for s in entry.sources) | figures_in(s.date for s in entry.sources)
    japanese = figures(entry.answer)
    for figure in sorted(japanese - supported):
        errors.append(f"{where}: figure {figure} in the answer is in none of its sources' quotes")
    if entry.answer_en:
        english = figures(entry.answer_en, english=True)
        for figure in sorted(english - supported - japanese):
            errors.append(f"{where}: figure {figure} in answer_en is in none of its sources' quotes")
        if english != japanese:
            only_ja, only_en = sorted(japanese - english), sorted(english - japanese)
            errors.append(
                f"{where}: answer and answer_en differ in figures (only Japanese: {only_ja}, "
                f"only English: {only_en})"
            )
    flagged = [s.title for s in entry.sources if any(mark in s.label for mark in NEEDS_CAUTION)]
    if flagged and not entry.caution:
        errors.append(
            f"{where}: needs a caution: it rests on interview-only or unverified facts ({flagged[0]})"
        )
    return errors


@dataclass
class Seen:
    """Ids and questions met so far, with where: two entries may share neither."""

    ids: dict[str, str] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)


def entry_problems(entry: Entry, where: str, today: date, seen: Seen) -> tuple[list[str], list[str]]:
    """(errors, warnings) for one entry; ``seen`` is updated with its id and questions."""
    errors: list[str] = []
    warnings: list[str] = []
    for entry_id in entry.ids:  # an id merged away is not given out again
        if entry_id in seen.ids:
            errors.append(f"{where}: duplicate id {entry_id} (also {seen.ids[entry_id]})")
        seen.ids[entry_id] = where
    for question in entry.questions:
        key = normalize(question)
        if key in seen.questions and seen.questions[key] != entry.id:
            errors.append(f"{where}: question {question!r} also in {seen.questions[key]}")
        seen.questions[key] = entry.id
    if entry.no_source and entry.sources:
        errors.append(f"{where}: no_source says there is none, yet the entry lists sources")
    elif not entry.no_source and not entry.sources:
        errors.append(f"{where}: every entry needs sources, or no_source with the reason it has none")
    if not all(s.title and s.url for s in entry.sources):
        errors.append(f"{where}: every source needs a title and url")
    errors.extend(fact_problems(entry, where))
    if entry.reviewed is None:
        errors.append(f"{where}: missing reviewed date")
    elif today - entry.reviewed > STALE_AFTER:
        warnings.append(f"{where}: not reviewed since {entry.reviewed}")
    if len(entry.questions) < 3:
        warnings.append(f"{where}: fewer than 3 question phrasings")
    return errors, warnings
