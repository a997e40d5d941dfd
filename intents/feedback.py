"""「役に立ちましたか？」 buttons: counted per entry for `concierge kb gaps`."""

from __future__ import annotations

from bot.messages import Choice, Reply, Response
from bot.router import Context, Outcome
from bot.storage.gaps import record_feedback
from intents import payloads, phrases
from intents.menu import contact_choice


class FeedbackIntent:
    name = "feedback"

    def handle(self, ctx: Context) -> Outcome | None:
        english = payloads.arg(ctx.payload, payloads.FEEDBACK_EN) is not None
        arg = payloads.arg(ctx.payload, payloads.FEEDBACK_EN if english else payloads.FEEDBACK)
        if arg is None:
            return None
        verdict, _, entry_id = arg.partition(":")
        if verdict not in ("yes", "no") or ctx.kb.get(entry_id) is None:
            return None
        helpful = verdict == "yes"
        record_feedback(ctx.session, entry_id, helpful, ctx.now)
        if english:
            text = phrases.FEEDBACK_THANKS_EN if helpful else phrases.FEEDBACK_SORRY_EN
            choices = [Choice(phrases.LABEL_MENU_EN, payloads.MENU)]
        else:
            text = phrases.FEEDBACK_THANKS if helpful else phrases.FEEDBACK_SORRY
            choices = [Choice(phrases.LABEL_MENU, payloads.MENU)]
        if not helpful:
            choices.append(contact_choice(english=english))
        return Outcome(Response([Reply(text)], choices))
