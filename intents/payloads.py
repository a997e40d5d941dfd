"""Button payloads shared by several intents. They come back verbatim from LINE postbacks, Slack
buttons and the web chat, long after they were sent: a payload, once used, keeps its meaning.
A prefix ending in ``-en:`` marks a button offered under an English answer (``bot.wording``)."""

START = "start"
MENU = "menu"
HELP = "help"
CANCEL = "cancel"
CONTACT = "contact"
LEAD = "lead"  # start (or redo) registration
REFERRAL = "referral"  # a parent's 家族に紹介
VIEW_LEAD = "privacy:view"
EDIT_LEAD = "privacy:edit"
DELETE_DATA = "privacy:delete"
PRIVACY_NOTICE = "privacy:notice"
CATEGORY = "cat:"  # + category label
FAQ = "faq:"  # + entry id
FAQ_EN = "faq-en:"  # + entry id: the answer in English (a suggestion offered to an English question)
FEEDBACK = "feedback:"  # + "yes:" / "no:" + entry id
FEEDBACK_EN = "feedback-en:"  # the same, on an English answer: thanked in English


def arg(payload: str | None, prefix: str) -> str | None:
    """The part after ``prefix``, or None when the payload is something else."""
    if payload and payload.startswith(prefix) and len(payload) > len(prefix):
        return payload[len(prefix) :]
    return None


EVENTS = "events"  # the upcoming events (the menu's イベント・セミナー)
EVENT = "event:"  # + event id: its details
EVENT_APPLY = "event-apply:"  # + event id: apply
EVENT_WITHDRAW = "event-withdraw:"  # + event id: withdraw the application
