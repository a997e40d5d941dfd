"""Answers questions from the knowledge base: answer, 「もしかして」, or leave it to the fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import wording
from bot.messages import MAX_CHOICES, Choice, Reply, Response
from bot.router import Context, Outcome
from bot.storage import leads
from bot.storage.gaps import record_question
from bot.understanding import NO_ACTION, NOT_OURS, SOCIAL, SURE, Understanding, points_back
from bot.wording import ENGLISH
from intents import payloads
from intents.answers import answer_response
from intents.choices import contact_choice, entry_choice, likely_action, likely_action_first, menu_choice
from intents.recognizer import clauses
from knowledge import Entry, KnowledgeBase, Match
from knowledge.normalize import asks_anywhere

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
    texts: list[str] = list(understood.surest_questions(MAX_QUESTIONS))
    if len(understood.sentences) > 1 and not texts:
        # No sentence reads as a question: what isn't a greeting or surely preamble, together (it
        # may run over two).
        said = [s.text for s in understood.sentences if s.label not in SOCIAL and not s.sets_the_scene]
        texts = [" ".join(said)]
    if not texts or not texts[0]:
        texts = [text]
    return texts


def read_questions(ctx: Context) -> Asked:
    """The best match among the message's question texts, and another answered as well."""
    matches: list[Match] = []
    seconds: list[Match] = []  # the other topic of a question that names two (「地震とか台風」)
    texts = list(dict.fromkeys(question_texts(ctx.understood, ctx.text)))
    for text in texts:
        match, second = ctx.kb.asks_both(ctx.kb.confirmed(ctx.match(text), _what_is_asked(text)), text)
        matches.append(match)
        seconds += [second] if second else []
    found_nothing = all(m.outcome == "none" for m in matches)
    if all(m.outcome != "answer" for m in matches):
        # A question answered by nothing alone may ask about what the sentence before it said
        # (「としよりのかいごのことも 孫がしんぱいしてるんです。わたしらが うごけなくなったら どこに
        # そうだんしたらいいもんですか」; 「古い実家をリフォームして住もうかと思ってます。補助金とか
        # ありますか？」): it is searched together with that sentence, and that search is taken
        # where it finds something (after nothing) or answers (after a suggestion).
        for text in texts:
            if (joined := ctx.understood.with_the_sentence_before(text)) is not None:
                together = ctx.match(joined)
                if together.outcome == "answer" or found_nothing:
                    matches.append(together)
    # A detail no entry gives, asked anywhere in the message (a museum's opening hours), is offered
    # rather than answered, whichever question found the entry.
    matches = [ctx.kb.details_checked(m, ctx.text) for m in matches]
    seconds = [ctx.kb.details_checked(m, ctx.text) for m in seconds]
    # An answer beats a suggestion; between two answers the question written first leads (「お試しで
    # 住める家は？冬も体験したい」 asks about the house: the wish after it only adds to it), the other
    # is offered beside it.
    ranked = sorted(matches, key=lambda m: _RANK[m.outcome], reverse=True)
    best = ranked[0]
    top = best.hits[0].entry.id if best.hits else None
    other = next(
        (m for m in [*ranked[1:], *seconds] if m.outcome == "answer" and m.hits[0].entry.id != top),
        None,
    )
    return Asked(best, other if best.outcome == "answer" else None)


# A clause that only asks to be told (「教えてもらえんでしょうか」): what is asked is the clause before.
_ONLY_ASKS_TO_BE_TOLD = re.compile(r"^\s*(お?教え|お?知らせ|知りたい|お?聞き|聞きたい|伺|お?尋ね|ご教示)")
# A condition in front of what is asked (「こっちに帰ってきたら」「もし越してくるなら」): the scene.
_CONDITION = re.compile(
    r"^.{3,}?(?:[っいきしちにびみりぎえけせてねべめれ]たら|[うくぐすつぬぶむるた]なら|[えけせてねべめれ]ば)"
    r"(?!なら|いけ|だめ|いい|よい|良い|よろし)(?=.{6,}$)"
)


def _what_is_asked(text: str) -> str:
    """What a question asks after the clauses and the condition that explain it; "" when nothing
    explains it."""
    parts = clauses(text)
    while len(parts) > 1 and _ONLY_ASKS_TO_BE_TOLD.match(parts[-1]):
        parts.pop()
    asked = _CONDITION.sub("", parts[-1]).strip()
    if points_back(asked):
        return ""  # 「それでも保育園に預けたりできますか」 means nothing without what came before
    return asked if len(parts) > 1 or asked != parts[-1].strip() else ""


def confident_answer(ctx: Context) -> Outcome | None:
    """The answer to ``ctx.text`` when the knowledge base is sure of it (used mid-form), else None."""
    match = read_questions(ctx).match
    return _answer(ctx, match) if match.outcome == "answer" else None


def _answer(ctx: Context, match: Match) -> Outcome:
    top = match.hits[0]
    response = answer_response(top.entry, ctx.language, today=ctx.now.date())
    return Outcome(response, entry_id=top.entry.id, score=top.score)


def _offer_registration_once(ctx: Context, outcome: Outcome) -> Outcome:
    """After a few answers, offer registration: once per person, and never to someone registered."""
    user = ctx.user
    user.answers_given += 1
    register = ctx.button("register")
    if (
        register is not None
        and user.answers_given >= OFFER_AFTER_ANSWERS
        and not user.lead_offered
        and not leads.lead_of(ctx.session, user)
    ):
        user.lead_offered = True
        outcome.response.replies.append(Reply(wording.LEAD_OFFER.in_(ctx.language)))
        outcome.response.choices.insert(0, register)
    return outcome


class FaqIntent:
    name = "faq"

    def handle(self, ctx: Context) -> Outcome | None:
        entry_id = payloads.arg(ctx.payload, payloads.FAQ) or payloads.arg(ctx.payload, payloads.FAQ_EN)
        if entry_id is not None:
            entry = ctx.kb.get(entry_id)
            if entry is None:
                return None
            response = answer_response(entry, ctx.language, today=ctx.now.date())
            outcome = Outcome(response, entry_id=entry.id, score=1.0)
            offer_related(ctx.kb, outcome, entry, english=ctx.language == ENGLISH)
            return outcome
        if ctx.payload is not None or not ctx.text:
            return None
        understood = ctx.understood
        if understood.asks_for(NO_ACTION) and not understood.questions:
            return None  # 「登録はまだいいです」 is not a question: the fallback acknowledges it
        doubted = understood.asks_for(NOT_OURS) and not ctx.kb.names_a_topic(ctx.text)
        if doubted and understood.confidence >= SURE:
            # 「おすすめの焼肉屋は？」: the fallback says so and offers the city's desk. A text an entry
            # was written for (「ロコソラーレ」, a keyword) is searched, whatever it reads like.
            return None
        asked = read_questions(ctx)
        match = asked.match
        if doubted:
            # Read as no page's question, but not surely (「こっちで子ども産むならどこの病院がいいかね」):
            # what the search found is offered, never answered — nor is the person left with nothing.
            match = ctx.kb.offered(match)
        if match.outcome == "answer":
            outcome = _offer_registration_once(ctx, _answer(ctx, match))
            offer_related(ctx.kb, outcome, match.hits[0].entry, english=ctx.language == ENGLISH)
            if asked.other is not None:
                _offer_other_question(ctx, outcome, asked.other)
            return offer_likely_action(ctx, outcome)
        if match.outcome == "suggest":
            record_question(ctx.session, ctx.user.id, ctx.text, "unsure", ctx.now)
            return offer_likely_action(ctx, _suggest(ctx, match))
        return None  # the fallback says so plainly; never an unrelated entry


def offer_related(kb: KnowledgeBase, outcome: Outcome, entry: Entry, *, english: bool) -> None:
    """The next questions of the answered entry's category, one tap away (before the menu button)."""
    same = [e for e in kb.entries if e.category == entry.category]
    index = next((i for i, e in enumerate(same) if e.id == entry.id), 0)
    following = [e for e in same[index + 1 :] + same[:index] if e.id != entry.id][:MAX_RELATED]
    choices = outcome.response.choices
    taken = {c.payload for c in choices}
    room = MAX_CHOICES - len(choices)
    related = [c for c in (entry_choice(e, english=english) for e in following) if c.payload not in taken]
    related = related[: max(room, 0)]
    at = len(choices) - 1 if choices else 0  # the menu button stays last
    choices[at:at] = related


def _offer_other_question(ctx: Context, outcome: Outcome, other: Match) -> None:
    """A second question in the same message: its answer one tap away."""
    outcome.response.replies.append(Reply(wording.ALSO_ASKED.in_(ctx.language)))
    outcome.response.choices.insert(0, entry_choice(other.hits[0].entry, english=ctx.language == ENGLISH))


def offer_likely_action(ctx: Context, outcome: Outcome) -> Outcome:
    likely_action_first(ctx, outcome.response.choices)
    return outcome


def _suggest(ctx: Context, match: Match) -> Outcome:
    """「もしかして」: the closest questions as buttons, in the language the person asked in."""
    hits = match.hits[:MAX_SUGGESTIONS]
    choices = [entry_choice(h.entry, english=ctx.language == ENGLISH) for h in hits]
    none_of_these = wording.NONE_OF_THESE.in_(ctx.language)
    # None of these: a way to reach the city, in the person's language.
    choices += [Choice(none_of_these, contact_choice(ctx.language).payload), menu_choice(ctx.language)]
    score = hits[0].score if hits else None
    prompt = Reply(wording.SUGGEST.in_(ctx.language))
    return Outcome(Response([prompt], choices, impersonal=True), score=score)


class FallbackIntent:
    """Says plainly that the concierge doesn't know, and offers the menu and a way to reach staff."""

    name = "fallback"

    def handle(self, ctx: Context) -> Outcome:
        choices = [menu_choice(ctx.language), contact_choice(ctx.language)]
        if ctx.understood.asks_for(NO_ACTION):
            text = wording.NOTED.in_(ctx.language)
            return Outcome(Response([Reply(text)], choices, impersonal=True), score=0.0, action=NO_ACTION)
        if likely_action(ctx) is not None and not asks_anywhere(ctx.text):
            # A request read too unsurely to act on (「とうろくしたじゅうしょが…なおしたいんだけど」) is
            # no question left unanswered: the action is offered as the first button, and asked about.
            # A question (「おすすめの韓ドラある？」) is told it has no answer, the button beside it.
            text = wording.LIKELY_ACTION.in_(ctx.language)
        else:
            if ctx.text:
                record_question(ctx.session, ctx.user.id, ctx.text, "unanswered", ctx.now)
            text = wording.FALLBACK.in_(ctx.language)
        fallback = Outcome(Response([Reply(text)], choices, impersonal=True), score=0.0)
        return offer_likely_action(ctx, fallback)
