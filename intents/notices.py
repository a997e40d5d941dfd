"""お知らせ: a person asks for notices on a topic (seminars and events, jobs, support money), or stops them.

「セミナーの案内がほしい」 subscribes to that topic at once; 「お知らせを受け取りたい」 offers the topics
as buttons. 「配信停止」「お知らせ不要」 stop every topic, 「求人のお知らせは不要」 only that one.
Notices reach LINE and the web chat (on the next visit); Slack people are told so.
"""

from __future__ import annotations

from typing import ClassVar

from bot import wording
from bot.messages import Channel, Choice, Reply, Response
from bot.router import Button, Buttons, Context, Outcome
from bot.storage import leads, notices
from bot.storage.notices import TOPICS
from bot.wording import ENGLISH, JAPANESE
from intents import payloads
from intents.choices import menu_choice
from intents.recognizer import asks_for
from intents.words import fold, word_set
from knowledge.normalize import is_english

SUBSCRIBE = "notices:on:"  # + a topic, or "all"; + ":en" on a button offered in English
STOP = "notices:off:"  # + a topic, or "all"
ALL = "all"
EN = ":en"

SUBSCRIBE_WORDS = word_set(
    "お知らせを受け取りたい",
    "お知らせを受け取る",
    "お知らせがほしい",
    "お知らせ希望",
    "セミナーの案内がほしい",
    "イベントの案内がほしい",
    "配信希望",
    "配信再開",
)
STOP_WORDS = word_set(
    "配信停止", "お知らせ不要", "お知らせはいらない", "お知らせを止める", "配信を止めて", "unsubscribe"
)
# Words naming a topic in what the person typed, compared folded (as ``fold`` leaves them).
TOPIC_WORDS = {
    topic: tuple(fold(word) for word in words)
    for topic, words in {
        "seminars_events": ("セミナー", "イベント", "相談会", "説明会", "ツアー", "seminar", "event"),
        "jobs": ("求人", "仕事", "就職", "転職", "job"),
        "support_money": ("支援金", "補助金", "助成", "給付", "support", "grant", "subsid"),
    }.items()
}

TOPICS_EN = {"seminars_events": "seminars and events", "jobs": "jobs", "support_money": "support money"}


def topics_named(text: str) -> list[str]:
    folded = fold(text)
    return [topic for topic, words in TOPIC_WORDS.items() if any(w in folded for w in words)]


class NoticesIntent:
    name = "notices"
    # Offered where someone wants news that is not there yet (no event scheduled).
    buttons: ClassVar[Buttons] = {
        "notices_on": Button(
            wording.LABEL_EVENT_NOTICES,
            SUBSCRIBE + "seminars_events",
            SUBSCRIBE + "seminars_events" + EN,
        )
    }

    def handle(self, ctx: Context) -> Outcome | None:
        payload = ctx.payload
        english = payload is None and is_english(ctx.text)
        if payload is not None and payload.startswith((SUBSCRIBE, STOP)):
            english = payload.endswith(EN)
            chosen = payload.removesuffix(EN).rsplit(":", 1)[1]
            topics = list(TOPICS) if chosen == ALL else [chosen] if chosen in TOPICS else []
            if payload.startswith(SUBSCRIBE):
                return self._subscribe(ctx, topics, english=english) if topics else None
            return self._stop(ctx, None if chosen == ALL else chosen, english=english)
        if payload is not None:
            return None
        folded = fold(ctx.text)
        if folded in STOP_WORDS or asks_for(ctx, "notices_off"):
            named = topics_named(ctx.text)
            return self._stop(ctx, named[0] if len(named) == 1 else None, english=english)
        if folded in SUBSCRIBE_WORDS or asks_for(ctx, "notices_on"):
            named = topics_named(ctx.text)
            if named:
                return self._subscribe(ctx, named, english=english)
            return self._offer(english=english)
        return None

    @staticmethod
    def _offer(*, english: bool) -> Outcome:
        names, language = (TOPICS_EN, EN) if english else (TOPICS, "")
        said = ENGLISH if english else JAPANESE
        choices = [Choice(label, SUBSCRIBE + topic + language) for topic, label in names.items()]
        choices.append(Choice(wording.NOTICES_LABEL_ALL.in_(said), SUBSCRIBE + ALL + language))
        return Outcome(Response([Reply(wording.NOTICES_CHOOSE.in_(said))], choices), action="notices_on")

    @staticmethod
    def _subscribe(ctx: Context, topics: list[str], *, english: bool) -> Outcome:
        if ctx.message.channel is Channel.SLACK:
            not_here = wording.NOTICES_NOT_ON_SLACK.in_(JAPANESE)
            return Outcome(Response([Reply(not_here)], [menu_choice()]), action="notices_on")
        notices.subscribe(ctx.session, ctx.user, topics, ctx.now)
        names = TOPICS_EN if english else TOPICS
        joined = (" and " if english else "・").join(names[t] for t in topics)
        said = ENGLISH if english else JAPANESE
        text = wording.NOTICES_SUBSCRIBED.in_(said).format(topics=joined)
        if ctx.message.channel is Channel.WEB:
            text += "\n" + wording.NOTICES_ON_NEXT_VISIT.in_(said)
        return Outcome(Response([Reply(text)], [menu_choice(said)]), action="notices_on")

    @staticmethod
    def _stop(ctx: Context, topic: str | None, *, english: bool) -> Outcome:
        stopped = notices.unsubscribe(ctx.session, ctx.user, topic)
        said = ENGLISH if english else JAPANESE
        if not stopped:
            text = wording.NOTICES_NOT_SUBSCRIBED.in_(said)
        elif topic is None:
            text = wording.NOTICES_STOPPED_ALL.in_(said)
        else:
            names = TOPICS_EN if english else TOPICS
            text = wording.NOTICES_STOPPED_ONE.in_(said).format(topics=names[topic])
        choices = [menu_choice(said)]
        if topic is None and leads.lead_of(ctx.session, ctx.user) is not None:
            text += "\n" + wording.NOTICES_ALSO_DELETE.in_(said)
            label = wording.LABEL_DELETE_DATA.in_(said)
            choices.insert(0, Choice(label, payloads.DELETE_DATA))
        return Outcome(Response([Reply(text)], choices), action="notices_off")
