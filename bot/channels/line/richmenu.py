"""The LINE rich menu: four large buttons a parent can read, drawn in code and installed idempotently."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
    AsyncMessagingApiBlob,
    Configuration,
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)
from PIL import Image, ImageDraw, ImageFont

from bot import wording
from intents import payloads

NAME = "kitami-concierge-v1"  # change it when the layout changes: the command then installs the new one
WIDTH, HEIGHT = 2500, 1686  # LINE's large size: a 2×2 grid of big buttons
COLUMNS, ROWS = 2, 2
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc",
)


@dataclass(frozen=True)
class Button:
    label: str
    payload: str
    color: str


BUTTONS = (
    Button("よくある質問", payloads.MENU, "#1d5f8a"),  # the menu, named for what it holds
    Button(wording.LABEL_LEAD.ja, payloads.LEAD, "#2e7d32"),
    Button(wording.LABEL_REFERRAL.ja, payloads.REFERRAL, "#b85c00"),
    Button(wording.LABEL_CONTACT.ja, payloads.CONTACT, "#6a1b9a"),
)


def find_japanese_font() -> Path | None:
    """The first installed font that has Japanese glyphs, or None (`apt-get install fonts-noto-cjk`)."""
    return next((Path(c) for c in FONT_CANDIDATES if Path(c).exists()), None)


def japanese_font(size: int) -> ImageFont.FreeTypeFont:
    path = find_japanese_font()
    if path is None:
        raise RuntimeError("no Japanese font found: install it with `apt-get install fonts-noto-cjk`")
    return ImageFont.truetype(str(path), size)


def _cells() -> list[tuple[int, int, int, int]]:
    """(x, y, width, height) of each button, left to right, top to bottom."""
    width, height = WIDTH // COLUMNS, HEIGHT // ROWS
    return [(c * width, r * height, width, height) for r in range(ROWS) for c in range(COLUMNS)]


def draw() -> bytes:
    """The menu image: four colour blocks, each with its label in large white type."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    font = japanese_font(130)
    for (x, y, width, height), button in zip(_cells(), BUTTONS, strict=True):
        pen.rectangle((x + 12, y + 12, x + width - 12, y + height - 12), fill=button.color)
        pen.text((x + width / 2, y + height / 2), button.label, font=font, fill="white", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def menu_request() -> RichMenuRequest:
    return RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HEIGHT),
        selected=True,
        name=NAME,
        chat_bar_text="メニュー",
        areas=[
            RichMenuArea(
                bounds=RichMenuBounds(x=x, y=y, width=width, height=height),
                action=PostbackAction(label=b.label, data=b.payload, display_text=b.label),
            )
            for (x, y, width, height), b in zip(_cells(), BUTTONS, strict=True)
        ],
    )


def data_host(api_base_url: str) -> str:
    """Rich-menu images go to LINE's data host; a stand-in serves both from one URL."""
    return api_base_url.replace("://api.line.me", "://api-data.line.me")


async def install(api_base_url: str, access_token: str) -> tuple[str, bool]:
    """Make our menu the default; returns (rich menu id, created). Running it again changes nothing."""
    async with AsyncApiClient(Configuration(host=api_base_url, access_token=access_token)) as client:
        api = AsyncMessagingApi(client)
        existing = [m for m in (await api.get_rich_menu_list()).richmenus if m.name == NAME]
        created = not existing
        if existing:
            menu_id = existing[0].rich_menu_id
        else:
            menu_id = (await api.create_rich_menu(menu_request())).rich_menu_id
            async with AsyncApiClient(
                Configuration(host=data_host(api_base_url), access_token=access_token)
            ) as data:
                await AsyncMessagingApiBlob(data).set_rich_menu_image(
                    menu_id, draw(), _headers={"Content-Type": "image/png"}
                )
        await api.set_default_rich_menu(menu_id)
        return menu_id, created
