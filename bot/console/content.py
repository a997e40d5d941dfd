"""Console page for content: entries past their review date, unanswered questions, unhelpful answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.clock import utcnow
from bot.console.auth import Console
from bot.storage import gaps
from desk import accounts
from desk.numbers import JAPAN
from knowledge import KnowledgeBase

REVIEW_EVERY = timedelta(days=365)  # as `concierge kb check` warns
AnswerSource = Callable[[], KnowledgeBase]


@dataclass(frozen=True)
class Overdue:
    entry_id: str
    question: str
    reviewed: date | None


@dataclass(frozen=True)
class Unhelpful:
    entry_id: str
    question: str
    helpful: int
    unhelpful: int


def routes(console: Console, knowledge: AnswerSource) -> list[Route]:
    db = console.db

    @console.guard(accounts.Role.VIEWER)
    async def content(request: Request, staff: accounts.Staff) -> Response:
        kb = knowledge()
        today = utcnow().astimezone(JAPAN).date()
        overdue = [
            Overdue(e.id, e.question, e.reviewed)
            for e in kb.entries
            if e.reviewed is None or today - e.reviewed > REVIEW_EVERY
        ]

        def read() -> tuple[list[gaps.Gap], list[Unhelpful]]:
            with db.transaction() as session:
                top = gaps.top_gaps(session, 30)
                rated = gaps.unhelpful_entries(session, 30)
                unhelpful = [
                    Unhelpful(r.entry_id, _question(kb, r.entry_id), r.helpful, r.unhelpful) for r in rated
                ]
                return top, unhelpful

        top, unhelpful = await console.run(read)
        context = {"overdue": overdue, "gaps": top, "unhelpful": unhelpful, "edit_allowed": False}
        return console.render(request, "content.html", context, staff=staff)

    return [Route("/content", content)]


def _question(kb: KnowledgeBase, entry_id: str) -> str:
    entry = kb.get(entry_id)
    return entry.question if entry else entry_id
