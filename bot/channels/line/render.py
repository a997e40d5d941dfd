"""A channel-neutral Response → LINE messages: at most 5 per reply, quick replies on the last one."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexMessage,
    FlexText,
    ImageMessage,
    Message,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
    URIAction,
)

from bot.channels.line.answer_bubble import answer_bubble
from bot.channels.line.cards import cards_alt_text, carousel
from bot.messages import MAX_CHOICE_LABEL, MAX_CHOICES, Choice, Reply, Response

MAX_MESSAGES = 5  # per reply or push call
MAX_TEXT = 5000  # LINE's limit per text message
MAX_BUTTON_LABEL = 40


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split at line breaks where possible so no piece exceeds LINE's limit."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text:
        pieces.append(text)
    return pieces


def _links_bubble(alt: str, links: list[tuple[str, str]]) -> FlexMessage:
    buttons = [
        FlexButton(action=URIAction(label=label[:MAX_BUTTON_LABEL], uri=url), style="link", height="sm")
        for label, url in links
    ]
    body = FlexBox(
        layout="vertical", contents=[FlexText(text="関連リンク", weight="bold", size="sm"), *buttons]
    )
    return FlexMessage(alt_text=alt[:400], contents=FlexBubble(body=body))


def render(response: Response) -> list[Message]:
    messages: list[Message] = []
    for reply in response.replies:
        if (bubble := answer_bubble(reply)) is not None:  # a knowledge answer, its links as buttons
            messages.append(bubble)
        else:
            messages.extend(TextMessage(text=piece) for piece in split_text(reply.text))
            if reply.links:
                messages.append(_links_bubble(reply.text, [(link.label, link.url) for link in reply.links]))
        if reply.cards:
            messages.append(carousel(cards_alt_text(reply.text, reply.cards), reply.cards))
        if reply.image and reply.image.url.startswith("https://"):
            messages.append(
                ImageMessage(original_content_url=reply.image.url, preview_image_url=reply.image.url)
            )
    if len(messages) > MAX_MESSAGES:
        # Keep the first four and fold the rest of the texts into the fifth.
        rest = "\n\n".join(m.text for m in messages[MAX_MESSAGES - 1 :] if isinstance(m, TextMessage))
        messages = [*messages[: MAX_MESSAGES - 1], TextMessage(text=split_text(rest)[0] if rest else "…")]
    if response.choices and messages:
        items = [
            QuickReplyItem(
                action=PostbackAction(label=c.label[:MAX_CHOICE_LABEL], data=c.payload, display_text=c.label)
            )
            for c in response.choices[:MAX_CHOICES]
        ]
        messages[-1].quick_reply = QuickReply(items=items)
    return messages


def line_messages(response: Response) -> tuple[dict[str, Any], ...]:
    """The response as the JSON LINE takes, built through the SDK's models (they check LINE's limits).

    A burst sends the same few answers again and again, so an impersonal reply is built once and
    kept; one about the person is built every time and never outlives its turn here.
    """
    if response.impersonal:
        return _kept_messages(tuple(response.replies), tuple(response.choices))
    return _messages(response)


def _messages(response: Response) -> tuple[dict[str, Any], ...]:
    return tuple(message.to_dict() for message in render(response))


@lru_cache(maxsize=1024)
def _kept_messages(replies: tuple[Reply, ...], choices: tuple[Choice, ...]) -> tuple[dict[str, Any], ...]:
    """Shared between deliveries: callers must not change the dicts."""
    return _messages(Response(list(replies), list(choices), impersonal=True))
