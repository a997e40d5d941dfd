"""Button payloads. They come back verbatim from LINE postbacks, Slack buttons and the web chat."""

START = "start"
MENU = "menu"
HELP = "help"
CANCEL = "cancel"
CONTACT = "contact"
CATEGORY = "cat:"  # + category label
FAQ = "faq:"  # + entry id
FEEDBACK = "feedback:"  # + "yes:" / "no:" + entry id


def arg(payload: str | None, prefix: str) -> str | None:
    """The part after ``prefix``, or None when the payload is something else."""
    if payload and payload.startswith(prefix) and len(payload) > len(prefix):
        return payload[len(prefix) :]
    return None
