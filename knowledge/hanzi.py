"""Simplified Chinese characters read as the Japanese forms.

A writer who learned to write in mainland China types 保育园 or 费用 — the simplified forms her
input method offers — in otherwise Japanese text. The dictionary, the entries and the sentence
vector know none of them, so the question found nothing. A character that no Japanese character
set has (not in CP932) is converted by OpenCC, simplified to traditional to the Japanese form
(园 → 園, 费 → 費, 试 → 試); every character a Japanese writer can type is left as it is, so a
Japanese text comes out unchanged. Only what the concierge reads is changed; what a person types
into a form is kept as typed.
"""

from __future__ import annotations

import threading
from typing import Any

_converters: tuple[Any, Any] | None = None
_loading = threading.Lock()


def japanese_forms(text: str) -> str:
    """``text`` with each Chinese character outside Japanese use written in its Japanese form."""
    foreign = {c for c in text if ("\u3400" <= c <= "\u9fff") and not _japanese(c)}
    if not foreign:
        return text
    to_traditional, to_japanese = _opencc()
    return text.translate({ord(c): to_japanese.convert(to_traditional.convert(c)) for c in foreign})


def _japanese(character: str) -> bool:
    try:
        character.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def _opencc() -> tuple[Any, Any]:
    """OpenCC's two converters, loaded at the first message that needs them (~0.15 s)."""
    global _converters
    with _loading:
        if _converters is None:
            import opencc

            _converters = (opencc.OpenCC("s2t.json"), opencc.OpenCC("t2jp.json"))
        return _converters
