"""A knowledge answer → a LINE Flex bubble: the question as its title, the answer, link buttons.

LINE's limits: a bubble's JSON at most 30 KB (kept well under by the answer's length), a
1,500-character alt text (what a notification and older clients show: plain title and answer),
40-character action labels. An answer too long for a bubble stays a text message.
"""

from __future__ import annotations

import json

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexMessage,
    FlexSeparator,
    FlexText,
    URIAction,
)

from bot.messages import Reply

MAX_ALT_TEXT = 1500
MAX_ACTION_LABEL = 40
MAX_BUBBLE_BYTES = 30_000
MAX_ANSWER = 2000  # characters: longer answers are sent as text, which LINE splits less awkwardly
MAX_BUTTONS = 4


def alt_text(reply: Reply) -> str:
    text = f"{reply.title}\n{reply.text}" if reply.title else reply.text
    return text if len(text) <= MAX_ALT_TEXT else text[: MAX_ALT_TEXT - 1] + "…"


def answer_bubble(reply: Reply) -> FlexMessage | None:
    """The reply as a bubble, or None when it has no title or would not fit."""
    if not reply.title or len(reply.text) > MAX_ANSWER:
        return None
    header = FlexBox(
        layout="vertical", contents=[FlexText(text=reply.title, weight="bold", size="md", wrap=True)]
    )
    body = FlexBox(layout="vertical", contents=[FlexText(text=reply.text, size="sm", wrap=True)])
    buttons = [
        FlexButton(
            action=URIAction(label=link.label[:MAX_ACTION_LABEL], uri=link.url), style="link", height="sm"
        )
        for link in reply.links[:MAX_BUTTONS]
        if link.url.startswith(("https://", "http://"))
    ]
    footer = FlexBox(layout="vertical", contents=[FlexSeparator(), *buttons]) if buttons else None
    message = FlexMessage(
        alt_text=alt_text(reply), contents=FlexBubble(header=header, body=body, footer=footer)
    )
    size = len(json.dumps(message.to_dict()["contents"], ensure_ascii=False).encode())
    return message if size <= MAX_BUBBLE_BYTES else None
