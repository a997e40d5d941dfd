"""Japanese text normalization shared by the index and the query, so both sides read alike.

Width and case (NFKC), one long-vowel mark, no punctuation, and the filler people wrap a
question in (教えて, 知りたい, ですか …), which says nothing about what they want to know.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY = 500  # a question longer than this is not a question; search its beginning

_LONG_VOWELS = re.compile(r"[ｰ―‐‑–—~〜～]")
_PUNCTUATION = re.compile(
    r"[\s\u3000、。,.!！?？・:：;；'\"“”‘’「」『』（）()【】\[\]{}<>＜＞/／\\|…※＊*#＃@＠&＆=＝+＋^＾_＿`´]+"
)
_FILLER = re.compile(
    r"(について)?(を|が)?(教えて(ください|くださ|下さい|ほしい|欲しい)?|知りたい(です)?|"
    r"聞きたい(です)?|ありますか|ありますでしょうか|ですか|でしょうか|ますか|って何|ってなに|とは|"
    r"お願いします|おねがいします|ください|下さい)"
)
_CONTROL = {c: None for c in range(32) if c not in (9, 10)}


def normalize(text: str) -> str:
    """NFKC, lowercase, unified long vowels, filler and punctuation removed, single spaces."""
    text = unicodedata.normalize("NFKC", text[:MAX_QUERY]).translate(_CONTROL).lower()
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Co", "Cs", "So"))
    text = _LONG_VOWELS.sub("ー", text)
    text = _FILLER.sub(" ", text)
    return _PUNCTUATION.sub(" ", text).strip()


def to_katakana(text: str) -> str:
    """Fold hiragana into katakana: すまい and スマイ index alike (kanji are left alone)."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def is_english(text: str) -> bool:
    """Mostly Latin letters and no kana or kanji: search the English answers."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.8
