"""A channel-neutral Response → Slack Block Kit: text sections, link buttons, choice buttons."""

from __future__ import annotations

from typing import Any

from bot.messages import Response

CHOICE_ACTION = "choice"  # action_id prefix; the button's value is the payload


def blocks(response: Response) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for reply in response.replies:
        out.append(
            {"type": "section", "text": {"type": "plain_text", "text": reply.text[:3000], "emoji": True}}
        )
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
