"""Japanese text normalization shared by the index and the query, so both sides read alike.

Width and case (NFKC), one long-vowel mark, no punctuation, and the filler people wrap a
question in (教えて, 知りたい, ですか …), which says nothing about what they want to know.
"""

from __future__ import annotations

import re
import unicodedata

from knowledge.hanzi import japanese_forms
from knowledge.old_kanji import modern_forms
from knowledge.romaji import as_kana, is_romaji

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
# Format characters (zero-width, bidi controls), private use, surrogates, and emoji/pictographs.
_INVISIBLE_AND_EMOJI = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ue000-\uf8ff\ud800-\udfff"
    "\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe00-\ufe0f]+"
)
# What in a message most likely identifies a person: an e-mail address, or a run of digits (a
# phone number, a postcode, an account number). Counted questions have them masked; a match for
# a text holding one is never remembered.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
DIGIT_RUN = re.compile(r"\d[\d\s-]{3,}\d")
_HIRAGANA_TO_KATAKANA = {c: c + 0x60 for c in range(ord("ぁ"), ord("ゖ") + 1)}
_KATAKANA_TO_HIRAGANA = {c + 0x60: c for c in range(ord("ぁ"), ord("ゖ") + 1)}


def normalize(text: str) -> str:
    """NFKC, lowercase, unified long vowels, filler and punctuation removed, single spaces."""
    text = unicodedata.normalize("NFKC", text[:MAX_QUERY]).translate(_CONTROL).lower()
    text = _INVISIBLE_AND_EMOJI.sub(" ", text)
    text = _LONG_VOWELS.sub("ー", text)
    text = _FILLER.sub(" ", text)
    return _PUNCTUATION.sub(" ", text).strip()


# Words that hold a question word and ask nothing: どうぞよろしく, どうもありがとう.
_NOT_QUESTION_WORDS = re.compile("どうぞ|どうも|どうしても")
_QUESTION_WORDS = (
    "何",
    "なに",
    "どこ",
    "いくら",
    "どのくらい",
    "どれくらい",
    "どんくらい",
    "どう",
    "どんな",
    "なんぼ",
    "誰",
    "だれ",
    "ありますか",
    "教えて",
    # 何時, 何日, 何歳, 何分 in kana (「なんじかんくらい かかるかい」); not なん alone (なんもなんも).
    "なんじ",
    "なんにち",
    "なんさい",
    "なんぷん",
)


_KANA = re.compile(r"[ぁ-ゖァ-ヺー]+")
_SHORT_KANA_WORD = 5  # letters: a kana word this short may be a name (ゆきの, はるか)


def looks_like_question(text: str) -> bool:
    """A question mark, a question ending, or a question word: probably not a form answer.

    A short word in kana alone is read as a name, whatever its ending (ゆきの, はるか, あやの).
    """
    text = text.strip().rstrip("。．.")  # 「…ございましょうか。」 ends as a question
    words = _NOT_QUESTION_WORDS.sub("", text)
    if text.endswith(("?", "？")) or any(word in words for word in _QUESTION_WORDS):
        return True
    ends_as_one = text.endswith(("か", "かな", "の", "っけ"))
    return ends_as_one and not (len(text) <= _SHORT_KANA_WORD and is_kana(text))


_SENTENCE = re.compile(r"[^。？?！!\n]+[。？?！!]*")


def asks_anywhere(text: str) -> bool:
    """Some sentence of ``text`` looks like a question (「おすすめの韓ドラある？夜勤明けに見たい」,
    「…實情はいかがなものでございましょうか。…氣掛かりでなりませぬ。」)."""
    return looks_like_question(text) or any(looks_like_question(s) for s in _SENTENCE.findall(text))


def holds_contact(text: str) -> bool:
    """An e-mail address or a phone-number-like run of digits, in any character width."""
    folded = unicodedata.normalize("NFKC", text)
    return bool(EMAIL.search(folded) or DIGIT_RUN.search(folded))


def is_kana(text: str) -> bool:
    """Written in hiragana or katakana only."""
    return bool(_KANA.fullmatch(text))


def to_katakana(text: str) -> str:
    """Fold hiragana into katakana: すまい and スマイ index alike (kanji are left alone)."""
    return text.translate(_HIRAGANA_TO_KATAKANA)


def to_hiragana(text: str) -> str:
    return text.translate(_KATAKANA_TO_HIRAGANA)


def as_read(text: str) -> str:
    """``text`` as the recognizer and the search read it: simplified Chinese characters and old
    kanji forms as today's Japanese ones (保育园 is 保育園, 歸る is 帰る) and Japanese typed in romaji as
    kana (「hitotsu modotte」 is ひとつ もどって). What a person types into a form is kept as typed."""
    return as_kana(modern_forms(japanese_forms(text)))


def is_english(text: str) -> bool:
    """Mostly Latin letters and no kana or kanji, and not Japanese typed in romaji (knowledge/
    romaji.py): search the English answers, answer in English."""
    letters = [c for c in text if c.isalpha()]
    latin = bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.8
    return latin and not is_romaji(text)


_JAPANESE_LETTER = re.compile(r"[ぁ-ゖァ-ヺ一-龯々]")


_KANJI = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々]")


def written_in_kana_only(text: str) -> bool:
    """Japanese without a single kanji (「ワシ キタミの モンだべさ」), as a hand that never learned to
    convert types it."""
    return bool(_JAPANESE_LETTER.search(text)) and not _KANJI.search(text)


def mostly_hiragana(text: str, share: float) -> bool:
    """At least ``share`` of the Japanese letters are hiragana (「いりょうひの じょせい」): kanji words
    typed by their sound, which the morpheme dictionary often cuts wrongly."""
    letters = _JAPANESE_LETTER.findall(text)
    return bool(letters) and sum("ぁ" <= c <= "ゖ" for c in letters) / len(letters) >= share
