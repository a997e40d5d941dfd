"""Japanese typed in Latin letters (romaji), read as the kana it spells.

A student on a laptop without a Japanese keyboard types 「ijuu soudan madoguchi doko」 or
「otameshi de sumeru ie aru?」: Japanese, not English. Read as English, no English word of it is
known; read as kana (いじゅう そうだん まどぐち どこ), it is a question a grandparent could have typed
in hiragana, and the spelling back to the entries' nouns does the rest. Only the words that are
whole romaji syllables are converted (jaconv); JR, okhotsk or intern stay as typed.
"""

from __future__ import annotations

import re

import jaconv

_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+(?![A-Za-z0-9])")
# A word made of romaji syllables only (Hepburn and the kunrei spellings people mix in): an
# optional doubled consonant, an optional consonant or digraph, a vowel; or a syllabic n.
_SYLLABLES = re.compile(
    r"(?:(?:kk|ss|tt|pp|cc|tc|gg|dd|zz|bb|hh|mm|rr|ff|jj)?"
    r"(?:sh|ch|ts|[kgsztdnhbpmr]y|[kgsztdnhbpmrjfwyv])?[aeiou]|n)+"
)
# Japanese the way it is typed in romaji: particles and question words, and endings of verbs
# (modotte, ikitai, dekiru). English that happens to be spelled in syllables ("I have a menu")
# has none of them.
_JAPANESE_WORDS = frozenset(
    [
        "no",
        "wa",
        "ga",
        "wo",
        "de",
        "ni",
        "tte",
        "ka",
        "kara",
        "made",
        "toka",
        "mo",
        "ya",
        "yo",
        "ne",
        "desu",
        "masu",
        "aru",
        "nai",
        "doko",
        "nani",
        "nan",
        "dou",
        "ikura",
        "itsu",
        "kudasai",
        "onegai",
        "mada",
        "mou",
        "chotto",
        "ii",
        "hoshii",
        # words of a short question that no English word spells (「fuyu nando kurai?」「kuruma nashi
        # muri?」「natsu hare ooi?」)
        "kurai",
        "gurai",
        "nando",
        "nanji",
        "muri",
        "nashi",
        "ari",
        "ooi",
        "takai",
        "yasui",
        "samui",
        "atsui",
        "tooi",
        "chikai",
        "naze",
        "doushite",
        "docchi",
        "dore",
        "kana",
        "kamo",
        # greetings and thanks, typed alone
        "konnichiwa",
        "konbanwa",
        "ohayou",
        "arigatou",
        "arigato",
        "sumimasen",
        "yoroshiku",
    ]
)
_JAPANESE_ENDINGS = ("te", "tai", "masu", "mashita", "nai", "ru", "tara")
_N_BEFORE_N = re.compile(r"(?<!n)nn(?=[aeiouy])")
_PUNCTUATION = str.maketrans({".": "。", "?": "？", "!": "！", ",": "、"})
ROMAJI_SHARE = 0.8  # of a message's Latin words, at least this many are romaji syllables
SHORTEST_WORD_ALONE = 5  # letters: a single short word (no, to, ok) is not read as Japanese


def _syllables(word: str) -> bool:
    return _SYLLABLES.fullmatch(word) is not None


def _sounds_japanese(word: str) -> bool:
    return word in _JAPANESE_WORDS or (len(word) > 3 and word.endswith(_JAPANESE_ENDINGS))


def is_romaji(text: str) -> bool:
    """``text`` is Japanese typed in Latin letters (see the module's docstring)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words or (len(words) == 1 and len(words[0]) < SHORTEST_WORD_ALONE):
        return False
    spelled = [w for w in words if _syllables(w)]
    return len(spelled) >= ROMAJI_SHARE * len(words) and any(map(_sounds_japanese, spelled))


def as_kana(text: str) -> str:
    """``text`` with its romaji words written in hiragana, when it is Japanese typed in romaji;
    otherwise ``text`` as it is."""
    if not is_romaji(text):
        return text

    def spelled(match: re.Match[str]) -> str:
        word = match.group().lower()
        if not _syllables(word):
            return match.group()
        # Hepburn writes ん before a syllable of n as n (konnichiwa, minna); jaconv reads nn as ん.
        return str(jaconv.alphabet2kana(_N_BEFORE_N.sub("n'n", word)))

    kana = _WORD.sub(spelled, text)
    # Japanese punctuation (「かも.」 ends a sentence as 「かも。」 does). The spaces stay: each
    # word a run of its own, as a grandparent types hiragana, so each is spelled back alone.
    return kana.translate(_PUNCTUATION)
