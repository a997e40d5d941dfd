"""「役に立ちましたか？」 buttons: counted per entry for `concierge kb gaps`."""

from __future__ import annotations

from bot.messages import Reply, Response
from bot.router import Context, Outcome
from bot.storage.gaps import record_feedback
from intents import payloads, phrases
from intents.choices import contact_choice, menu_choice


class FeedbackIntent:
    name = "feedback"

    def handle(self, ctx: Context) -> Outcome | None:
        pressed = payloads.arg_in_language(ctx.payload, payloads.FEEDBACK, payloads.FEEDBACK_EN)
        if pressed is None:
            return None
        arg, english = pressed
        verdict, _, entry_id = arg.partition(":")
        if verdict not in ("yes", "no") or ctx.kb.get(entry_id) is None:
            return None
        helpful = verdict == "yes"
        record_feedback(ctx.session, entry_id, helpful, ctx.now)
        if english:
            text = phrases.FEEDBACK_THANKS_EN if helpful else phrases.FEEDBACK_SORRY_EN
        else:
            text = phrases.FEEDBACK_THANKS if helpful else phrases.FEEDBACK_SORRY
        choices = [menu_choice(english=english)]
        if not helpful:
            choices.append(contact_choice(english=english))
        return Outcome(Response([Reply(text)], choices))
