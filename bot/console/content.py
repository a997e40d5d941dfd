"""Console page for content: entries past their review date, unanswered questions, unhelpful answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.clock import utcnow
from bot.console.auth import Console, form_of
from bot.storage import gaps
from desk import accounts, audit
from desk import content as desk_content
from desk.numbers import JAPAN
from knowledge import KnowledgeBase
from knowledge.entries import Entry

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
                # What people typed may hold a name, even with contacts masked: who read it is kept.
                audit.record(session, staff.name, "view_questions", f"question_stats ({len(top)})", utcnow())
                rated = gaps.unhelpful_entries(session, 30)
                unhelpful = [
                    Unhelpful(r.entry_id, _question(kb, r.entry_id), r.helpful, r.unhelpful) for r in rated
                ]
                return top, unhelpful

        top, unhelpful = await console.run(read)
        context = {"overdue": overdue, "gaps": top, "unhelpful": unhelpful, "edit_allowed": True}
        return console.render(request, "content.html", context, staff=staff)

    @console.guard(accounts.Role.VIEWER)
    async def entry_page(request: Request, staff: accounts.Staff) -> Response:
        kb = await console.run(knowledge)
        entry = kb.get(request.path_params["entry_id"])
        if entry is None:
            return console.refuse(request, staff, 404, "この回答は見つかりません。")
        return await _editor(request, staff, entry, desk_content.draft_of(entry), [], [], 200)

    async def _editor(
        request: Request,
        staff: accounts.Staff,
        entry: Entry,
        draft: desk_content.Draft,
        errors: list[str],
        warnings: list[str],
        status: int,
    ) -> Response:
        def read() -> list[desk_content.Revision]:
            with db.transaction() as session:
                return desk_content.history(session, entry.id)

        context = {
            "entry": entry,
            "draft": draft,
            "errors": errors,
            "warnings": warnings,
            "history": await console.run(read),
            "flash": request.query_params.get("done"),
        }
        return console.render(request, "entry.html", context, staff=staff, status_code=status)

    @console.guard(accounts.Role.EDITOR)
    async def save_entry(request: Request, staff: accounts.Staff) -> Response:
        kb = await console.run(knowledge)
        entry = kb.get(request.path_params["entry_id"])
        if entry is None:
            return console.refuse(request, staff, 404, "この回答は見つかりません。")
        form = await form_of(request)
        draft = desk_content.Draft(
            questions=str(form.get("questions") or ""),
            answer=str(form.get("answer") or ""),
            sources=str(form.get("sources") or ""),
            reviewed=str(form.get("reviewed") or ""),
        )
        checked = desk_content.check(kb, entry, draft, utcnow().astimezone(JAPAN).date())
        if checked.entry is None:
            return await _editor(request, staff, entry, draft, checked.errors, checked.warnings, 400)
        edited = checked.entry

        def save() -> int:
            with db.transaction() as session:
                return desk_content.save(session, edited, staff.name, utcnow())

        await console.run(save)
        # This worker's index is rebuilt now, while the editor waits, rather than in a person's turn.
        await console.run(knowledge)
        return RedirectResponse(f"/staff/content/{entry.id}?done=saved", status_code=303)

    return [
        Route("/content", content),
        Route("/content/{entry_id}", entry_page),
        Route("/content/{entry_id}", save_entry, methods=["POST"]),
    ]


def _question(kb: KnowledgeBase, entry_id: str) -> str:
    entry = kb.get(entry_id)
    return entry.question if entry else entry_id
