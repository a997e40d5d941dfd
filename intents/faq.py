"""Answers questions from the knowledge base: answer, 「もしかして」, or leave it to the fallback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.messages import MAX_CHOICES, Choice, Reply, Response
from bot.router import Context, Outcome
from bot.storage import leads
from bot.storage.gaps import record_question
from bot.understanding import NO_ACTION, PREAMBLE, Understanding
from intents import payloads, phrases
from intents.answers import answer_response
from intents.choices import action_choice, contact_choice, menu_choice
from intents.menu import question_label
from knowledge import Entry, KnowledgeBase, Match
from knowledge.normalize import is_english

MAX_SUGGESTIONS = 3
MAX_QUESTIONS = 2  # question sentences searched in one message (each costs a sentence vector)
OFFER_AFTER_ANSWERS = 3
MAX_RELATED = 2  # other questions of the answer's category, offered as buttons


_RANK = {"answer": 2, "suggest": 1, "none": 0}


@dataclass(frozen=True)
class Asked:
    """The best match among the message's questions, and another question answered as well."""

    match: Match
    other: Match | None = None


def question_texts(understood: Understanding, text: str) -> list[str]:
    """What to search for a message: each question sentence on its own (a parent's
    self-introduction and greetings carry no weight); a one-sentence message whole."""
    texts: list[str] = list(understood.questions[:MAX_QUESTIONS])
    if len(understood.sentences) > 1 and not texts:
        # No sentence reads as a question: what isn't preamble, together (it may run over two).
        texts = [" ".join(s.text for s in understood.sentences if s.label != PREAMBLE)]
    if not texts or not texts[0]:
        texts = [text]
    return texts


def read_questions(ctx: Context) -> Asked:
    """The best match among the message's question texts, and another answered as well."""
    matches = [ctx.match(text) for text in dict.fromkeys(question_texts(ctx.understood, ctx.text))]
    ranked = sorted(matches, key=_strength, reverse=True)
    best = ranked[0]
    top = best.hits[0].entry.id if best.hits else None
    other = next(
        (m for m in ranked[1:] if m.outcome == "answer" and m.hits[0].entry.id != top),
        None,
    )
    return Asked(best, other if best.outcome == "answer" else None)


def _strength(match: Match) -> tuple[int, float]:
    return _RANK[match.outcome], match.hits[0].score if match.hits else 0.0


def confident_answer(ctx: Context) -> Outcome | None:
    """The answer to ``ctx.text`` when the knowledge base is sure of it (used mid-form), else None."""
    match = read_questions(ctx).match
    return _answer(match, ctx.now.date()) if match.outcome == "answer" else None


def _answer(match: Match, today: date) -> Outcome:
    top = match.hits[0]
    english = match.language == "en"
    response = answer_response(top.entry, english=english, today=today)
    return Outcome(response, entry_id=top.entry.id, score=top.score)


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
            response = answer_response(entry, english=english, today=ctx.now.date())
            outcome = Outcome(response, entry_id=entry.id, score=1.0)
            offer_related(ctx.kb, outcome, entry, english=english)
            return outcome
        if ctx.payload is not None or not ctx.text:
            return None
        understood = ctx.understood
        if understood.asks_for(NO_ACTION) and not understood.questions:
            return None  # 「登録はまだいいです」 is not a question: the fallback acknowledges it
        asked = read_questions(ctx)
        match, english = asked.match, asked.match.language == "en"
        if match.outcome == "answer":
            outcome = _offer_registration_once(ctx, _answer(match, ctx.now.date()), english=english)
            offer_related(ctx.kb, outcome, match.hits[0].entry, english=english)
            if asked.other is not None:
                _offer_other_question(outcome, asked.other)
            return offer_likely_action(ctx, outcome, english=english)
        if match.outcome == "suggest":
            record_question(ctx.session, ctx.user.id, ctx.text, "unsure", ctx.now)
            return offer_likely_action(ctx, _suggest(match), english=english)
        return None  # the fallback says so plainly; never an unrelated entry


def offer_related(kb: KnowledgeBase, outcome: Outcome, entry: Entry, *, english: bool) -> None:
    """The next questions of the answered entry's category, one tap away (before the menu button)."""
    same = [e for e in kb.entries if e.category == entry.category]
    index = next((i for i, e in enumerate(same) if e.id == entry.id), 0)
    following = [e for e in same[index + 1 :] + same[:index] if e.id != entry.id][:MAX_RELATED]
    choices = outcome.response.choices
    taken = {c.payload for c in choices}
    prefix = payloads.FAQ_EN if english else payloads.FAQ
    room = MAX_CHOICES - len(choices)
    related = [
        Choice(question_label(((e.questions_en if english else ()) or e.questions)[0]), prefix + e.id)
        for e in following
        if prefix + e.id not in taken
    ][: max(room, 0)]
    at = len(choices) - 1 if choices else 0  # the menu button stays last
    choices[at:at] = related


def _offer_other_question(outcome: Outcome, other: Match) -> None:
    """A second question in the same message: its answer one tap away."""
    english = other.language == "en"
    entry = other.hits[0].entry
    question = (entry.questions_en if english else ()) or entry.questions
    prefix = payloads.FAQ_EN if english else payloads.FAQ
    outcome.response.replies.append(Reply(phrases.ALSO_ASKED_EN if english else phrases.ALSO_ASKED))
    outcome.response.choices.insert(0, Choice(question_label(question[0]), prefix + entry.id))


def offer_likely_action(ctx: Context, outcome: Outcome, *, english: bool) -> Outcome:
    """An action the message may ask for, but not surely, as the first button: one tap, not a guess."""
    candidate = ctx.understood.runner_up
    choice = action_choice(candidate.label, english=english) if candidate else None
    if choice is not None and choice.payload not in {c.payload for c in outcome.response.choices}:
        outcome.response.choices.insert(0, choice)
    return outcome


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
        english = is_english(ctx.text)
        choices = [menu_choice(english=english), contact_choice(english=english)]
        if ctx.understood.asks_for(NO_ACTION):
            text = phrases.NOTED_EN if english else phrases.NOTED
            return Outcome(Response([Reply(text)], choices, impersonal=True), score=0.0, action=NO_ACTION)
        if ctx.text:
            record_question(ctx.session, ctx.user.id, ctx.text, "unanswered", ctx.now)
        text = phrases.FALLBACK_EN if english else phrases.FALLBACK
        fallback = Outcome(Response([Reply(text)], choices, impersonal=True), score=0.0)
        return offer_likely_action(ctx, fallback, english=english)
