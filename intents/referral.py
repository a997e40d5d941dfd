"""家族に紹介: a parent passes the concierge on to their child, and the child's arrival is credited.

The parent gets a message ready to forward, a personal referral code, a LINE link that types the
code in for the child, a web-chat link with ``?ref=CODE`` and a QR code. The parent later sees
how many registered with the code, never who.
"""

from __future__ import annotations

import re
from typing import ClassVar

from bot import wording
from bot.links import line_message_link, line_recommend_link, web_chat_link
from bot.messages import Image, Link, Reply, Response
from bot.router import Button, Buttons, Context, Outcome
from bot.storage import leads
from intents import payloads
from intents.choices import menu_choice
from intents.menu import menu_choices
from intents.recognizer import asks_for
from intents.words import fold, word_set

REFERRAL_WORDS = word_set("家族に紹介", "子どもに紹介", "子供に紹介", "息子に紹介", "娘に紹介", "紹介したい")
# A typed or pre-filled 「紹介コード: ABC234」 (full-width and spaces tolerated after NFKC).
CODE_IN_TEXT = re.compile(r"紹介コード\s*[:：]?\s*([A-Za-z0-9]{6})")
SOURCE_IN_TEXT = re.compile(r"案内コード\s*[:：]?\s*([A-Za-z0-9]{7})")
# Printed matter a parent wants sent on (「パンフレット、むすこに送りたいから郵送して」): the pamphlet is
# what is asked for, not this concierge; the knowledge base answers, the referral stays a button.
PRINTED_MATTER = re.compile(
    r"パンフ|ぱんふ|冊子|さっし|資料|チラシ|ちらし|brochure|pamphlet|leaflet|booklet", re.I
)


class ReferralIntent:
    name = "referral"
    buttons: ClassVar[Buttons] = {"refer": Button(wording.LABEL_REFERRAL, payloads.REFERRAL)}

    def handle(self, ctx: Context) -> Outcome | None:
        typed = ctx.payload is None and (
            fold(ctx.text) in REFERRAL_WORDS
            or (asks_for(ctx, "refer") and not PRINTED_MATTER.search(ctx.text))
        )
        if ctx.payload != payloads.REFERRAL and not typed:
            return None
        code = leads.referral_code_of(ctx.session, ctx.user, ctx.now)
        settings = ctx.settings
        web = web_chat_link(settings.public_base_url, ref=code)
        basic_id = settings.line_bot_basic_id
        line = line_message_link(basic_id, f"紹介コード: {code}") if basic_id else None
        links = [Link(wording.REFERRAL_OPEN_LINE.ja, line)] if line else []
        links.append(Link(wording.REFERRAL_OPEN_WEB.ja, web))
        if basic_id:
            links.append(Link(wording.REFERRAL_RECOMMEND.ja, line_recommend_link(basic_id)))
        qr = Image(
            f"{settings.public_base_url.rstrip('/')}/qr/{code}.png", wording.REFERRAL_QR.ja.format(code=code)
        )
        replies = [
            Reply(wording.REFERRAL_INTRO.ja),
            Reply(
                wording.REFERRAL_FORWARD.ja.format(code=code, link=line or web), links=tuple(links), image=qr
            ),
        ]
        if count := leads.referred_count(ctx.session, code):
            replies.append(Reply(wording.REFERRAL_COUNT.ja.format(count=count)))
        return Outcome(Response(replies, [menu_choice()]))


class ArrivalCodeIntent:
    """A child types (or LINE pre-fills) 紹介コード, or a pamphlet's 案内コード: remember it, say welcome."""

    name = "arrival_code"

    def handle(self, ctx: Context) -> Outcome | None:
        if ctx.payload is not None:
            return None
        if match := CODE_IN_TEXT.search(ctx.text):
            code = leads.valid_referral(ctx.session, match.group(1))
            if code is None:
                return Outcome(Response([Reply(wording.REFERRAL_UNKNOWN_CODE.ja)], menu_choices(ctx)))
            if not ctx.user.referral_code:
                ctx.user.referral_code = code
            return Outcome(Response([Reply(wording.REFERRAL_WELCOME_REFERRED.ja)], menu_choices(ctx)))
        if match := SOURCE_IN_TEXT.search(ctx.text):
            code = match.group(1).upper()
            if leads.source_name(ctx.session, code) is None:
                return Outcome(Response([Reply(wording.REFERRAL_UNKNOWN_CODE.ja)], menu_choices(ctx)))
            if not ctx.user.source:
                ctx.user.source = code
            return Outcome(Response([Reply(wording.REFERRAL_WELCOME_SOURCE.ja)], menu_choices(ctx)))
        return None
