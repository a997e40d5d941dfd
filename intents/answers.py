"""Turning a knowledge entry into what the person sees: the answer, a caution if needed, every source
with its date, what the 確認日 means, and a way to reach the city when the answer sends them there."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot import wording
from bot.messages import Choice, Link, Reply, Response
from bot.wording import ENGLISH, JAPANESE, Language
from intents import payloads
from intents.choices import CONTACT_ENTRY, contact_choice, menu_choice
from knowledge import Entry
from knowledge.figures import newest_source_date

# An answer resting only on sources older than this says so: figures that old may have changed.
OLD_AFTER = timedelta(days=730)
# An answer that asks the person to check with the city (or a desk) sends them somewhere; it must
# then carry a way to get there (the 職員に相談 button, with the hours staff answer).
_SENDS_TO_CITY = re.compile(
    r"(北見市|市役所|市の窓口|市の担当|市のページ|工業振興課|窓口|センター).{0,30}"
    r"(ご確認|お問い合わせ|お問合せ|ご相談|お尋ね|お聞き)"
)

# Knowledge entries about events the city has held: their answers offer the live list.
EVENT_ENTRIES = frozenset(
    {
        "programs-parents-seminar",
        "programs-student-internship",
        "programs-2016-concierge-tours",
        "programs-2014-winter-tour",
        "telework-workation-hatarabu",
    }
)


def sends_to_city(entry: Entry) -> bool:
    """Whether the answer sends the person to the city (a caution does: 「市の窓口でご確認ください」)."""
    return bool(entry.caution) or bool(_SENDS_TO_CITY.search(entry.answer))


def _age_note(entry: Entry, today: date, language: Language) -> str | None:
    if not entry.sources:
        return None
    newest = newest_source_date(source.date for source in entry.sources)
    if newest is None:
        return wording.SOURCES_UNDATED.in_(language)
    if today - newest > OLD_AFTER:
        return wording.SOURCES_OLD.in_(language).format(year=newest.year)
    return None


# A source's date as the fact sheet gives it, in English words where it is Japanese.
_DATE_WORDS_EN = (("日付不明", "undated"), ("推定", "est. "), ("年度", " FY"), ("年頃", " approx."))


def _date(when: str, language: Language) -> str:
    if language != ENGLISH:
        return when
    for japanese, words in _DATE_WORDS_EN:
        when = when.replace(japanese, words)
    return when


def _sources_reply(entry: Entry, language: Language) -> Reply:
    """Every source, compactly (title and date), with a link to each; then what 確認日 means."""
    item = wording.SOURCE_ITEM.in_(language)
    lines = [
        wording.SOURCES.in_(language),
        *(item.format(title=s.title, date=_date(s.date, language)) for s in entry.sources),
    ]
    if entry.no_source:
        lines.append(wording.NO_SOURCE.in_(language).format(reason=entry.no_source))
    reviewed = entry.reviewed.isoformat() if entry.reviewed else wording.NOT_YET_REVIEWED.in_(language)
    lines.append(wording.REVIEWED.in_(language).format(reviewed=reviewed))
    label = wording.SOURCE_LINK.in_(language)
    links = tuple(
        Link(label.format(index=index, title=s.title), s.url)
        for index, s in enumerate(entry.sources, start=1)
        if s.url.startswith(("https://", "http://"))
    )
    return Reply("\n".join(lines), links=links)


def answer_response(
    entry: Entry, language: Language = JAPANESE, *, today: date | None = None, offer_contact: bool = True
) -> Response:
    """The answer bubble (with the entry's links), its sources, and the 「役に立ちましたか？」 buttons,
    all in English for an English question (the body in Japanese where the entry has no English
    yet). ``offer_contact`` is False where the answer is itself the way to the city."""
    today = today or date.today()
    if language == ENGLISH:
        body = entry.answer_en or f"{wording.NO_ENGLISH.in_(ENGLISH)}\n{entry.answer}"
        feedback = payloads.FEEDBACK_EN
    else:
        body, feedback = entry.answer, payloads.FEEDBACK
    lines = [body.strip()]
    if entry.caution:
        lines.append(wording.CAUTION.in_(language))
    if (note := _age_note(entry, today, language)) is not None:
        lines.append(note)
    contact = offer_contact and entry.id != CONTACT_ENTRY and sends_to_city(entry)
    if contact:
        lines.append(wording.STAFF_HOURS.in_(language))
    links = tuple(Link(link.label, link.url) for link in entry.links)
    english = language == ENGLISH
    title = (entry.questions_en[0] if english and entry.questions_en else entry.question).strip()
    replies = [Reply("\n".join(lines), links=links, title=title)]
    replies.append(_sources_reply(entry, language))
    replies.append(Reply(wording.ASK_FEEDBACK.in_(language)))
    choices = [
        Choice(wording.LABEL_HELPFUL.in_(language), f"{feedback}yes:{entry.id}"),
        Choice(wording.LABEL_UNHELPFUL.in_(language), f"{feedback}no:{entry.id}"),
    ]
    if contact:
        choices.append(contact_choice(language))
    if entry.id in EVENT_ENTRIES:  # what the city held before: the live list is one tap away
        choices.append(Choice(wording.LABEL_EVENTS.in_(JAPANESE), payloads.EVENTS))
    choices.append(menu_choice(language))
    return Response(replies, choices, impersonal=True)
