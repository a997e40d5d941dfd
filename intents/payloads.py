"""Button payloads. They come back verbatim from LINE postbacks, Slack buttons and the web chat."""

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
CATEGORY = "cat:"  # + category label
FAQ = "faq:"  # + entry id
FEEDBACK = "feedback:"  # + "yes:" / "no:" + entry id


def arg(payload: str | None, prefix: str) -> str | None:
    """The part after ``prefix``, or None when the payload is something else."""
    if payload and payload.startswith(prefix) and len(payload) > len(prefix):
        return payload[len(prefix) :]
    return None
