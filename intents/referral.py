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

INTRO = "お子さまなど、北見に戻ることを考えてほしいご家族に、次のメッセージを転送してください。"
FORWARD = (
    "北見市の「移住・Uターン案内」です。会社を辞めずにテレワークで北見に戻る方法や、"
    "住まい・仕事・支援制度のことを、スマホで気軽に質問できます。\n"
    "紹介コード: {code}\n{link}"
)
COUNT = "これまでに、この紹介コードで{count}人が登録しました。ありがとうございます。"
WELCOME_REFERRED = "ご家族からのご紹介ですね。ようこそ！北見での暮らしや仕事のこと、気軽にご質問ください。"
WELCOME_SOURCE = "ご覧いただきありがとうございます。北見での暮らしや仕事のこと、気軽にご質問ください。"
UNKNOWN_CODE = "そのコードは見つかりませんでした。コードをご確認ください。質問はそのままお送りいただけます。"


class ReferralIntent:
    name = "referral"
    buttons: ClassVar[Buttons] = {"refer": Button(wording.LABEL_REFERRAL, payloads.REFERRAL)}

    def handle(self, ctx: Context) -> Outcome | None:
        typed = ctx.payload is None and (fold(ctx.text) in REFERRAL_WORDS or asks_for(ctx, "refer"))
        if ctx.payload != payloads.REFERRAL and not typed:
            return None
        code = leads.referral_code_of(ctx.session, ctx.user, ctx.now)
        settings = ctx.settings
        web = web_chat_link(settings.public_base_url, ref=code)
        basic_id = settings.line_bot_basic_id
        line = line_message_link(basic_id, f"紹介コード: {code}") if basic_id else None
        links = [Link("LINEで開く(コード入力済み)", line)] if line else []
        links.append(Link("Webチャットで開く", web))
        if basic_id:
            links.append(Link("LINEで友だちに紹介", line_recommend_link(basic_id)))
        qr = Image(f"{settings.public_base_url.rstrip('/')}/qr/{code}.png", f"紹介コード {code} のQRコード")
        replies = [
            Reply(INTRO),
            Reply(FORWARD.format(code=code, link=line or web), links=tuple(links), image=qr),
        ]
        if count := leads.referred_count(ctx.session, code):
            replies.append(Reply(COUNT.format(count=count)))
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
                return Outcome(Response([Reply(UNKNOWN_CODE)], menu_choices(ctx)))
            if not ctx.user.referral_code:
                ctx.user.referral_code = code
            return Outcome(Response([Reply(WELCOME_REFERRED)], menu_choices(ctx)))
        if match := SOURCE_IN_TEXT.search(ctx.text):
            code = match.group(1).upper()
            if leads.source_name(ctx.session, code) is None:
                return Outcome(Response([Reply(UNKNOWN_CODE)], menu_choices(ctx)))
            if not ctx.user.source:
                ctx.user.source = code
            return Outcome(Response([Reply(WELCOME_SOURCE)], menu_choices(ctx)))
        return None
