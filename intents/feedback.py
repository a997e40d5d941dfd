"""「役に立ちましたか？」 buttons: counted per entry for `concierge kb gaps`."""

from __future__ import annotations

from bot import wording
from bot.messages import Reply, Response
from bot.router import Context, Outcome
from bot.storage.gaps import record_feedback
from intents import payloads
from intents.choices import contact_choice, menu_choice


class FeedbackIntent:
    name = "feedback"

    def handle(self, ctx: Context) -> Outcome | None:
        arg = payloads.arg(ctx.payload, payloads.FEEDBACK) or payloads.arg(ctx.payload, payloads.FEEDBACK_EN)
        if arg is None:
            return None
        verdict, _, entry_id = arg.partition(":")
        if verdict not in ("yes", "no") or ctx.kb.get(entry_id) is None:
            return None
        helpful = verdict == "yes"
        record_feedback(ctx.session, entry_id, helpful, ctx.now)
        text = (wording.FEEDBACK_THANKS if helpful else wording.FEEDBACK_SORRY).in_(ctx.language)
        choices = [menu_choice(ctx.language)]
        if not helpful:
            choices.append(contact_choice(ctx.language))
        return Outcome(Response([Reply(text)], choices))
