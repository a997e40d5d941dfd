"""Counting unanswered questions and answer feedback.

A question is what a person typed, so it may hold their name even with contacts masked. It is
therefore kept like the message log: one row per person and question (deleted with the person,
by foreign key) and purged after MESSAGE_LOG_RETENTION_DAYS. Staff see the rows added up
across people, with how many people asked, never who.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from bot.storage.dialects import upsert
from bot.storage.models import AnswerFeedback, QuestionStat
from knowledge.normalize import DIGIT_RUN, EMAIL

_SPACES = re.compile(r"\s+")
QUESTION_LIMIT = 200


def anonymize(text: str) -> str:
    """The question as counted: NFKC, lowercase, contacts masked, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = EMAIL.sub("<email>", text)
    text = DIGIT_RUN.sub("<number>", text)
    return _SPACES.sub(" ", text).strip()[:QUESTION_LIMIT]


# One statement each, counting without lost updates: an unsure answer runs one on every turn.
_QUESTION_UPSERT = upsert(
    QuestionStat,
    {
        "user_id": bindparam("user_id"),
        "question": bindparam("question"),
        "outcome": bindparam("outcome"),
        "count": 1,
        "first_seen": bindparam("now"),
        "last_seen": bindparam("now"),
    },
    ["question", "outcome", "user_id"],
    {"count": QuestionStat.count + 1, "last_seen": bindparam("now")},
)
_FEEDBACK_UPSERT = {
    helpful: upsert(
        AnswerFeedback,
        {
            "entry_id": bindparam("entry_id"),
            "helpful": int(helpful),
            "unhelpful": int(not helpful),
            "last_at": bindparam("now"),
        },
        ["entry_id"],
        {column: getattr(AnswerFeedback, column) + 1, "last_at": bindparam("now")},
    )
    for helpful, column in ((True, "helpful"), (False, "unhelpful"))
}


def record_question(session: Session, user_id: int, text: str, outcome: str, now: datetime) -> None:
    question = anonymize(text)
    if not question:
        return
    connection = session.connection()
    connection.execute(
        _QUESTION_UPSERT.on(connection),
        {"user_id": user_id, "question": question, "outcome": outcome, "now": now},
    )


def record_feedback(session: Session, entry_id: str, helpful: bool, now: datetime) -> None:
    connection = session.connection()
    connection.execute(_FEEDBACK_UPSERT[helpful].on(connection), {"entry_id": entry_id, "now": now})


@dataclass(frozen=True)
class Gap:
    question: str
    outcome: str
    count: int
    people: int
    last_seen: datetime


def top_gaps(session: Session, limit: int = 30) -> list[Gap]:
    total = func.sum(QuestionStat.count)
    last_seen = func.max(QuestionStat.last_seen)
    rows = session.execute(
        select(QuestionStat.question, QuestionStat.outcome, total, func.count(), last_seen)
        .group_by(QuestionStat.question, QuestionStat.outcome)
        .order_by(total.desc(), last_seen.desc())
        .limit(limit)
    )
    return [
        Gap(question, outcome, int(count), int(people), when)
        for question, outcome, count, people, when in rows
    ]


def purge_questions(session: Session, before: datetime) -> int:
    """Forget questions last asked before ``before`` (the message log's retention)."""
    result = session.execute(delete(QuestionStat).where(QuestionStat.last_seen < before))
    return int(result.rowcount)  # type: ignore[attr-defined]


def unhelpful_entries(session: Session, limit: int = 30) -> list[AnswerFeedback]:
    return list(
        session.scalars(
            select(AnswerFeedback)
            .where(AnswerFeedback.unhelpful > 0)
            .order_by(AnswerFeedback.unhelpful.desc())
            .limit(limit)
        )
    )
