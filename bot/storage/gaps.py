"""Counting unanswered questions and answer feedback, without personal data."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import AnswerFeedback, QuestionStat
from bot.storage.records import upsert_statement

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DIGITS = re.compile(r"\d[\d\s-]{3,}\d")  # phone numbers, postcodes, account numbers
_SPACES = re.compile(r"\s+")
QUESTION_LIMIT = 200


def anonymize(text: str) -> str:
    """The question as counted: NFKC, lowercase, contacts masked, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _EMAIL.sub("<email>", text)
    text = _DIGITS.sub("<number>", text)
    return _SPACES.sub(" ", text).strip()[:QUESTION_LIMIT]


def _upsert(
    session: Session, model: type[Any], values: dict[str, Any], keys: list[str], bump: dict[str, Any]
) -> None:
    """INSERT, or on a unique-key conflict add to the counters (one statement: no lost updates)."""
    stmt = upsert_statement(session, model).values(**values)
    session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=bump))


def record_question(session: Session, text: str, outcome: str, now: datetime) -> None:
    question = anonymize(text)
    if not question:
        return
    _upsert(
        session,
        QuestionStat,
        {"question": question, "outcome": outcome, "count": 1, "first_seen": now, "last_seen": now},
        ["question", "outcome"],
        {"count": QuestionStat.count + 1, "last_seen": now},
    )


def record_feedback(session: Session, entry_id: str, helpful: bool, now: datetime) -> None:
    column = "helpful" if helpful else "unhelpful"
    _upsert(
        session,
        AnswerFeedback,
        {"entry_id": entry_id, "helpful": int(helpful), "unhelpful": int(not helpful), "last_at": now},
        ["entry_id"],
        {column: getattr(AnswerFeedback, column) + 1, "last_at": now},
    )


@dataclass(frozen=True)
class Gap:
    question: str
    outcome: str
    count: int
    last_seen: datetime


def top_gaps(session: Session, limit: int = 30) -> list[Gap]:
    rows = session.scalars(
        select(QuestionStat).order_by(QuestionStat.count.desc(), QuestionStat.last_seen.desc()).limit(limit)
    )
    return [Gap(r.question, r.outcome, r.count, r.last_seen) for r in rows]


def unhelpful_entries(session: Session, limit: int = 30) -> list[AnswerFeedback]:
    return list(
        session.scalars(
            select(AnswerFeedback)
            .where(AnswerFeedback.unhelpful > 0)
            .order_by(AnswerFeedback.unhelpful.desc())
            .limit(limit)
        )
    )
