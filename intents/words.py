"""Matching the few fixed words the concierge reacts to (メニュー, やめる …), typed any which way."""

from __future__ import annotations

import re
import unicodedata

_DECORATION = re.compile(r"[\s。、．，.,!！?？〜~ー-]+")


def fold(text: str) -> str:
    """NFKC, lowercase, katakana → hiragana, punctuation and long-vowel marks dropped."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)
    return _DECORATION.sub("", text)


def word_set(*words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


def is_one_of(text: str, words: frozenset[str]) -> bool:
    return fold(text) in words
