"""Cards (events) → a LINE Flex carousel: one bubble each, with postback and link buttons.

LINE's limits: at most 12 bubbles in a carousel, a 1,500-character alt text (what a phone's
notification and old clients show), 40-character action labels and 300-character postback data.
"""

from __future__ import annotations

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexMessage,
    FlexText,
    PostbackAction,
    URIAction,
)

from bot.messages import Card

MAX_BUBBLES = 12
MAX_ALT_TEXT = 1500
MAX_ACTION_LABEL = 40
MAX_POSTBACK_DATA = 300
MAX_BUBBLE_TEXT = 300  # a bubble's line, kept short enough to read on a phone


def _bubble(card: Card) -> FlexBubble:
    texts = [FlexText(text=card.title[:MAX_BUBBLE_TEXT], weight="bold", size="md", wrap=True)]
    texts += [FlexText(text=line[:MAX_BUBBLE_TEXT], size="sm", wrap=True) for line in card.lines]
    buttons = [
        FlexButton(
            action=PostbackAction(
                label=choice.label[:MAX_ACTION_LABEL],
                data=choice.payload[:MAX_POSTBACK_DATA],
                display_text=choice.label,
            ),
            style="primary" if index == 0 else "secondary",
            height="sm",
        )
        for index, choice in enumerate(card.choices)
    ]
    buttons += [
        FlexButton(
            action=URIAction(label=link.label[:MAX_ACTION_LABEL], uri=link.url), style="link", height="sm"
        )
        for link in card.links
        if link.url.startswith("https://")
    ]
    body = FlexBox(layout="vertical", spacing="sm", contents=texts)
    footer = FlexBox(layout="vertical", spacing="sm", contents=buttons) if buttons else None
    return FlexBubble(body=body, footer=footer)


def carousel(alt_text: str, cards: tuple[Card, ...]) -> FlexMessage:
    """The cards as one carousel message; ``alt_text`` is shown where Flex can't be."""
    bubbles = [_bubble(card) for card in cards[:MAX_BUBBLES]]
    return FlexMessage(alt_text=alt_text[:MAX_ALT_TEXT], contents=FlexCarousel(contents=bubbles))


def cards_alt_text(text: str, cards: tuple[Card, ...]) -> str:
    """A plain-text stand-in for the carousel: the reply's text, then each card's title and first line."""
    items = [f"・{card.title} {card.lines[0] if card.lines else ''}".rstrip() for card in cards[:MAX_BUBBLES]]
    return "\n".join([text, *items])[:MAX_ALT_TEXT]
