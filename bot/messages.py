"""Channel-neutral message types.

Adapters translate a LINE event, a Slack event, a web-chat request or a terminal line into an
:class:`Incoming`, and turn the :class:`Reply` objects an intent returns into whatever their
channel can show. Nothing here knows about any chat SDK.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

MAX_CHOICES = 13  # LINE's quick-reply limit; the tightest of our channels
MAX_CHOICE_LABEL = 20  # LINE's quick-reply label limit


class Channel(StrEnum):
    WEB = "web"
    CLI = "cli"
    LINE = "line"
    SLACK = "slack"


class Event(StrEnum):
    """Things that happen in a chat other than a message."""

    MESSAGE = "message"
    FOLLOW = "follow"  # added the account / opened the chat for the first time
    UNFOLLOW = "unfollow"  # blocked or left: nothing can be sent any more
    NON_TEXT = "non_text"  # sticker, image, audio, location ...


@dataclass(frozen=True)
class Incoming:
    """One thing a person did: typed text, pressed a button (payload) or another event."""

    channel: Channel
    user_id: str
    text: str = ""
    payload: str | None = None
    event: Event = Event.MESSAGE
    ref: str | None = None  # referral code carried by a link (web ?ref=)
    src: str | None = None  # where the person came from (web ?src=)
    # The client's network address (web only): limits that must hold without a cookie count by it.
    address: str | None = None

    @cached_property  # every intent asks for it in turn
    def clean_text(self) -> str:
        """The text without control or format characters, whitespace collapsed at the ends."""
        return strip_control(self.text).strip()


def strip_control(text: str) -> str:
    """Drop control and invisible format characters (keeps newlines and tabs).

    People paste from other apps; zero-width and bidi characters would otherwise break
    matching and could disguise text shown to staff.
    """
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )


@dataclass(frozen=True)
class Choice:
    """A button the person can press; its payload comes back as :attr:`Incoming.payload`."""

    label: str
    payload: str

    def __post_init__(self) -> None:
        if not self.label or len(self.label) > MAX_CHOICE_LABEL:
            raise ValueError(f"choice label must be 1..{MAX_CHOICE_LABEL} characters: {self.label!r}")


@dataclass(frozen=True)
class Link:
    """A link button (an official page, a LINE share link)."""

    label: str
    url: str


@dataclass(frozen=True)
class Image:
    """An image to show, e.g. a QR code; ``url`` must be reachable by the channel."""

    url: str
    alt: str


@dataclass(frozen=True)
class Card:
    """One item of a set shown side by side (an event): a title, a few short lines and buttons.

    LINE shows cards as a Flex carousel, the web chat as cards, Slack as sections with buttons.
    """

    title: str
    lines: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Reply:
    """What the concierge says back: one text bubble with optional links, image and cards."""

    text: str
    links: tuple[Link, ...] = ()
    image: Image | None = None
    cards: tuple[Card, ...] = ()
    title: str | None = None  # a heading where the channel shows one (LINE: an answer's bubble)


@dataclass
class Response:
    """Everything one turn produces: bubbles in order, then the choices offered after them."""

    replies: list[Reply] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    # Holds nothing about the person (a knowledge answer, a fixed phrase), so a channel may keep
    # its rendering for the next person. False unless an intent says so: a form's confirmation
    # repeats a name and a phone number, which must not outlive the turn in a cache.
    impersonal: bool = False

    def __post_init__(self) -> None:
        if len(self.choices) > MAX_CHOICES:
            raise ValueError(f"at most {MAX_CHOICES} choices, got {len(self.choices)}")

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Response:
        """A response from the JSON form the release before rendered LINE replies stored them in
        (see ``bot.channels.line.turns``); those rows hold no cards and no titles."""
        replies = [
            Reply(
                reply["text"],
                tuple(Link(**link) for link in reply["links"]),
                Image(**reply["image"]) if reply["image"] else None,
            )
            for reply in data["replies"]
        ]
        choices = [Choice(**choice) for choice in data["choices"]]
        return cls(replies, choices, impersonal=data.get("impersonal", False))  # older rows lack it


def card_data(card: Card) -> dict[str, Any]:
    return {
        "title": card.title,
        "lines": list(card.lines),
        "choices": [{"label": choice.label, "payload": choice.payload} for choice in card.choices],
        "links": [{"label": link.label, "url": link.url} for link in card.links],
    }
