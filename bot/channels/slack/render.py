"""A channel-neutral Response → Slack Block Kit: text sections, link buttons, choice buttons."""

from __future__ import annotations

from typing import Any

from bot.messages import Card, Response

CHOICE_ACTION = "choice"  # action_id prefix; the button's value is the payload
CARD_ACTIONS_FROM = 100  # cards' buttons are numbered after the choices' (action ids are unique)


def escape(text: object) -> str:
    """Text from a person, safe inside Slack mrkdwn (and a message's fallback ``text``).

    Slack reads ``<…>`` as a mention, a broadcast (``<!channel>``) or a link with any label, and
    ``&`` starts an entity; escaping these three is all Slack asks for. Every string a person typed
    (name, area, messages, questions) passes through here before it is sent to Slack, or goes in a
    ``plain_text`` field instead.
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack's message text as plain text for another channel: the three entities Slack escapes."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def blocks(response: Response) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for reply in response.replies:
        out.append(
            {"type": "section", "text": {"type": "plain_text", "text": reply.text[:3000], "emoji": True}}
        )
        out.extend(card_blocks(reply.cards))
        if reply.links:
            out.append(
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": link.label[:75]},
                            "url": link.url,
                        }
                        for link in reply.links[:5]
                    ],
                }
            )
    if response.choices:
        out.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"{CHOICE_ACTION}:{index}",
                        "text": {"type": "plain_text", "text": choice.label},
                        "value": choice.payload,
                    }
                    for index, choice in enumerate(response.choices[:25])
                ],
            }
        )
    return out[:50]


def card_blocks(cards: tuple[Card, ...]) -> list[dict[str, Any]]:
    """Each card as a divider, a plain-text section (title and lines) and its buttons."""
    out: list[dict[str, Any]] = []
    number = CARD_ACTIONS_FROM
    for card in cards[:10]:
        text = "\n".join([card.title, *card.lines])[:3000]
        out += [{"type": "divider"}, {"type": "section", "text": {"type": "plain_text", "text": text}}]
        elements: list[dict[str, Any]] = []
        for choice in card.choices:
            elements.append(
                {
                    "type": "button",
                    "action_id": f"{CHOICE_ACTION}:{number}",
                    "text": {"type": "plain_text", "text": choice.label},
                    "value": choice.payload,
                }
            )
            number += 1
        elements += [
            {"type": "button", "text": {"type": "plain_text", "text": link.label[:75]}, "url": link.url}
            for link in card.links
        ]
        if elements:
            out.append({"type": "actions", "elements": elements[:25]})
    return out
