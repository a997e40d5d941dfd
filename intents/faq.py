"""Answers questions from the knowledge base: answer, 「もしかして」, or leave it to the fallback."""

from __future__ import annotations

from bot.messages import Choice, Reply, Response
from bot.router import Context, Outcome
from bot.storage import leads
from bot.storage.gaps import record_question
from intents import payloads, phrases
from intents.answers import answer_response
from intents.choices import contact_choice, menu_choice
from intents.menu import question_label
from knowledge import Match
from knowledge.normalize import is_english

MAX_SUGGESTIONS = 3
OFFER_AFTER_ANSWERS = 3


def confident_answer(ctx: Context) -> Outcome | None:
    """The answer to ``ctx.text`` when the knowledge base is sure of it (used mid-form), else None."""
    match = ctx.kb.match(ctx.text)
    return _answer(match) if match.outcome == "answer" else None


def _answer(match: Match) -> Outcome:
    top = match.hits[0]
    english = match.language == "en"
    return Outcome(answer_response(top.entry, english=english), entry_id=top.entry.id, score=top.score)


def _offer_registration_once(ctx: Context, outcome: Outcome, *, english: bool) -> Outcome:
    """After a few answers, offer registration: once per person, and never to someone registered."""
    user = ctx.user
    user.answers_given += 1
    if (
        user.answers_given >= OFFER_AFTER_ANSWERS
        and not user.lead_offered
        and not leads.lead_of(ctx.session, user)
    ):
        user.lead_offered = True
        offer, label = (
            (phrases.LEAD_OFFER_EN, phrases.LABEL_LEAD_EN)
            if english
            else (phrases.LEAD_OFFER, phrases.LABEL_LEAD)
        )
        outcome.response.replies.append(Reply(offer))
        outcome.response.choices.insert(0, Choice(label, payloads.LEAD))
    return outcome


class FaqIntent:
    name = "faq"

    def handle(self, ctx: Context) -> Outcome | None:
        picked = payloads.arg_in_language(ctx.payload, payloads.FAQ, payloads.FAQ_EN)
        if picked is not None:
            entry_id, english = picked
            entry = ctx.kb.get(entry_id)
            if entry is None:
                return None
            return Outcome(answer_response(entry, english=english), entry_id=entry.id, score=1.0)
        if ctx.payload is not None or not ctx.text:
            return None
        match = ctx.kb.match(ctx.text)
        if match.outcome == "answer":
            return _offer_registration_once(ctx, _answer(match), english=match.language == "en")
        if match.outcome == "suggest":
            record_question(ctx.session, ctx.text, "unsure", ctx.now)
            return _suggest(match)
        return None  # the fallback says so plainly; never an unrelated entry


def _suggest(match: Match) -> Outcome:
    """「もしかして」: the closest questions as buttons, in the language the person asked in."""
    english = match.language == "en"
    hits = match.hits[:MAX_SUGGESTIONS]
    prefix = payloads.FAQ_EN if english else payloads.FAQ
    # An entry not yet in English is offered by its Japanese question; its answer says so.
    questions = [(h.entry.questions_en if english else ()) or h.entry.questions for h in hits]
    choices = [
        Choice(question_label(q[0]), prefix + h.entry.id) for q, h in zip(questions, hits, strict=True)
    ]
    prompt, none_of_these = (
        (phrases.SUGGEST_EN, phrases.NONE_OF_THESE_EN)
        if english
        else (phrases.SUGGEST, phrases.NONE_OF_THESE)
    )
    # None of these: a way to reach the city, in the person's language.
    choices += [Choice(none_of_these, contact_choice(english=english).payload), menu_choice(english=english)]
    score = hits[0].score if hits else None
    return Outcome(Response([Reply(prompt)], choices, impersonal=True), score=score)


class FallbackIntent:
    """Says plainly that the concierge doesn't know, and offers the menu and a way to reach staff."""

    name = "fallback"

    def handle(self, ctx: Context) -> Outcome:
        if ctx.text:
            record_question(ctx.session, ctx.text, "unanswered", ctx.now)
        english = is_english(ctx.text)
        text = phrases.FALLBACK_EN if english else phrases.FALLBACK
        choices = [menu_choice(english=english), contact_choice(english=english)]
        return Outcome(Response([Reply(text)], choices, impersonal=True), score=0.0)
