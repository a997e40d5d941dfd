"""Turning a knowledge entry into what the person sees: the answer, its source, a caution if needed."""

from __future__ import annotations

from bot.messages import Choice, Link, Reply, Response
from intents import payloads, phrases
from knowledge import Entry


def answer_response(entry: Entry, *, english: bool = False) -> Response:
    """The answer bubble (with links), where it comes from, and the 「役に立ちましたか？」 buttons."""
    source = entry.sources[0] if entry.sources else None
    reviewed = entry.reviewed.isoformat() if entry.reviewed else "未確認"
    if english:
        body = entry.answer_en or f"{phrases.NO_ENGLISH}\n{entry.answer}"
        caution = phrases.CAUTION_EN
        source_line = (
            phrases.SOURCE_EN.format(title=source.title, date=source.date, reviewed=reviewed)
            if source
            else ""
        )
        menu_label = phrases.LABEL_MENU_EN
    else:
        body, caution, menu_label = entry.answer, phrases.CAUTION, phrases.LABEL_MENU
        source_line = (
            phrases.SOURCE.format(title=source.title, date=source.date, reviewed=reviewed) if source else ""
        )
    lines = [body.strip()]
    if entry.caution:
        lines.append(caution)
    if source_line:
        lines.append(source_line)
    links = tuple(Link(link.label, link.url) for link in entry.links)
    return Response(
        [Reply("\n".join(lines), links=links), Reply(phrases.ASK_FEEDBACK)],
        [
            Choice(phrases.LABEL_HELPFUL, f"{payloads.FEEDBACK}yes:{entry.id}"),
            Choice(phrases.LABEL_UNHELPFUL, f"{payloads.FEEDBACK}no:{entry.id}"),
            Choice(menu_label, payloads.MENU),
        ],
        impersonal=True,
    )
