"""Editing an answer from the console: checked as `concierge kb check` checks, kept with who and
when, and answered from at once by every worker (see bot/live_knowledge.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import KbEdit
from knowledge import KnowledgeBase
from knowledge.checks import Seen, entry_problems
from knowledge.entries import Entry
from knowledge.loading import KnowledgeFormatError, entry_from_dict
from knowledge.normalize import normalize

ANSWER_LIMIT = 5000
SOURCES_LIMIT = 20_000


@dataclass(frozen=True)
class Draft:
    """What the editor typed: questions one per line, sources as YAML (the knowledge files' format)."""

    questions: str
    answer: str
    sources: str
    reviewed: str


@dataclass(frozen=True)
class Checked:
    entry: Entry | None  # None when there are errors
    errors: list[str]
    warnings: list[str]


def draft_of(entry: Entry) -> Draft:
    sources = [{k: v for k, v in dataclasses.asdict(s).items() if v} for s in entry.sources]
    text = yaml.safe_dump(sources, allow_unicode=True, sort_keys=False) if sources else ""
    return Draft(
        "\n".join(entry.questions), entry.answer, text, entry.reviewed.isoformat() if entry.reviewed else ""
    )


def check(kb: KnowledgeBase, entry: Entry, draft: Draft, today: date) -> Checked:
    """The edited entry and every problem `kb check` would report for it among the others."""
    where = f"{entry.id}"
    if len(draft.answer) > ANSWER_LIMIT or len(draft.sources) > SOURCES_LIMIT:
        return Checked(None, [f"{where}: too long"], [])
    try:
        sources = yaml.safe_load(draft.sources) if draft.sources.strip() else []
    except yaml.YAMLError:
        return Checked(None, [f"{where}: the sources are not valid YAML"], [])
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        return Checked(None, [f"{where}: sources must be a list of title / url / date / quote entries"], [])
    raw: dict[str, Any] = {
        **_raw(entry),
        "questions": [q.strip() for q in draft.questions.splitlines() if q.strip()],
        "answer": draft.answer,
        "sources": sources,
        "reviewed": draft.reviewed.strip() or None,
    }
    try:
        edited = entry_from_dict(raw, where)
    except KnowledgeFormatError as exc:
        return Checked(None, [str(exc)], [])
    seen = Seen()
    for other in kb.entries:
        if other.id != entry.id:
            seen.ids.update(dict.fromkeys(other.ids, other.id))
            seen.questions.update({normalize(q): other.id for q in other.questions})
    errors, warnings = entry_problems(edited, where, today, seen)
    return Checked(None if errors else edited, errors, warnings)


def _raw(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "category": entry.category,
        "answer_en": entry.answer_en,
        "questions_en": list(entry.questions_en),
        "links": [{"label": link.label, "url": link.url} for link in entry.links],
        "keywords": list(entry.keywords),
        "caution": entry.caution,
        "no_source": entry.no_source,
        "replaces": list(entry.replaces),
    }


def save(session: Session, edited: Entry, author: str, now: datetime) -> int:
    """Keep the edit (every edit is a new row); the new knowledge version."""
    row = KbEdit(
        entry_id=edited.id,
        questions=list(edited.questions),
        answer=edited.answer,
        sources=[dataclasses.asdict(s) for s in edited.sources],
        reviewed=edited.reviewed.isoformat() if edited.reviewed else "",
        author=author,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


@dataclass(frozen=True)
class Revision:
    version: int
    author: str
    at: datetime
    answer: str


def history(session: Session, entry_id: str) -> list[Revision]:
    rows = session.scalars(select(KbEdit).where(KbEdit.entry_id == entry_id).order_by(KbEdit.id.desc()))
    return [Revision(r.id, r.author, r.created_at, r.answer) for r in rows]
