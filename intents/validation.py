"""Checking what people type into the registration form: names, places, e-mail, Japanese phone numbers."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 50
MAX_AREA = 50
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)
_PHONE_NOISE = re.compile(r"[\s()\-‐‑–—―ー－]")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def name(text: str) -> str | None:
    """A name or nickname: up to 50 characters with at least one letter; not a question."""
    value = _clean(text)
    if not value or len(value) > MAX_NAME or value.endswith(("?", "？")):
        return None
    return value if any(c.isalpha() for c in value) else None


def area(text: str) -> str | None:
    value = _clean(text)
    if not value or len(value) > MAX_AREA or value.endswith(("?", "？")):
        return None
    return value if any(c.isalpha() for c in value) else None


def email(text: str) -> str | None:
    value = unicodedata.normalize("NFKC", text).strip()
    return value.lower() if len(value) <= 254 and _EMAIL.match(value) else None


def phone(text: str) -> str | None:
    """A Japanese phone number in its usual forms (090-1234-5678, 0157 25 1210, +81 90…), as digits."""
    digits = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", text).strip())
    if digits.startswith("+81"):
        digits = "0" + digits[3:].lstrip("0")
    return digits if re.fullmatch(r"0\d{9,10}", digits) else None
