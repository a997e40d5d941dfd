"""Turning a knowledge entry into what the person sees: the answer, its source, a caution if needed."""

from __future__ import annotations

from bot.messages import Choice, Link, Reply, Response
from intents import payloads, phrases
from intents.choices import menu_choice
from knowledge import Entry


def answer_response(entry: Entry, *, english: bool = False) -> Response:
    """The answer bubble (with links), where it comes from, and the 「役に立ちましたか？」 buttons, all
    in English for an English question (the body in Japanese where the entry has no English yet)."""
    source = entry.sources[0] if entry.sources else None
    reviewed = entry.reviewed.isoformat() if entry.reviewed else "未確認"
    if english:
        body = entry.answer_en or f"{phrases.NO_ENGLISH}\n{entry.answer}"
        caution, source_format = phrases.CAUTION_EN, phrases.SOURCE_EN
        ask, helpful, unhelpful = (
            phrases.ASK_FEEDBACK_EN,
            phrases.LABEL_HELPFUL_EN,
            phrases.LABEL_UNHELPFUL_EN,
        )
        feedback = payloads.FEEDBACK_EN
    else:
        body, caution, source_format = entry.answer, phrases.CAUTION, phrases.SOURCE
        ask, helpful, unhelpful = phrases.ASK_FEEDBACK, phrases.LABEL_HELPFUL, phrases.LABEL_UNHELPFUL
        feedback = payloads.FEEDBACK
    source_line = (
        source_format.format(title=source.title, date=source.date, reviewed=reviewed) if source else ""
    )
    lines = [body.strip()]
    if entry.caution:
        lines.append(caution)
    if source_line:
        lines.append(source_line)
    links = tuple(Link(link.label, link.url) for link in entry.links)
    return Response(
        [Reply("\n".join(lines), links=links), Reply(ask)],
        [
            Choice(helpful, f"{feedback}yes:{entry.id}"),
            Choice(unhelpful, f"{feedback}no:{entry.id}"),
            menu_choice(english=english),
        ],
        impersonal=True,
    )
