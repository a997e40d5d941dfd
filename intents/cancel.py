"""やめる / キャンセル: leaves any form, from anywhere."""

from __future__ import annotations

from typing import ClassVar

from bot import wording
from bot.conversation import IDLE
from bot.messages import Reply, Response
from bot.router import Button, Buttons, Context, Outcome
from intents import payloads
from intents.menu import menu_choices
from intents.words import is_one_of, word_set

CANCEL_WORDS = word_set(
    "やめる", "止める", "辞める", "やめます", "やめたい", "キャンセル", "中止", "cancel", "stop", "quit"
)


class CancelIntent:
    name = "cancel"
    buttons: ClassVar[Buttons] = {"cancel": Button(wording.LABEL_CANCEL, payloads.CANCEL)}

    def handle(self, ctx: Context) -> Outcome | None:
        if not (
            ctx.payload == payloads.CANCEL
            or is_one_of(ctx.text, CANCEL_WORDS)
            or ctx.understood.asks_for("cancel")
        ):
            return None
        text = (wording.CANCELLED if ctx.state.active else wording.NOTHING_TO_CANCEL).ja
        return Outcome(Response([Reply(text)], menu_choices(ctx)), state=IDLE)
