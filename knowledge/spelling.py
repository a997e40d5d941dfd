"""Kanji words typed by their sound, written back as the entries write them.

A grandparent types 「しゅっさんのとき なにか おかね でるのかい」: MeCab, made for text with kanji,
cuts a hiragana run at random, and neither the word index nor the sentence vector knows しゅっさん
as 出産. The entries' own nouns, indexed by how they sound, spell such a question back
(「出産のとき なにか お金 でるのかい」) before it is searched; a word no entry uses is left as typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from knowledge.normalize import to_hiragana
from knowledge.tokenize import (
    a_predicate,
    a_word_of_its_own,
    kanji_compounds,
    kanji_nouns,
    morphemes,
    noun_spellings,
)

# Sounds of fewer kana than this (はし: 橋, 箸, 端) name too many words to spell back.
SHORTEST_SOUND = 3
_HIRAGANA_RUN = re.compile(r"[ぁ-ゖー]+")
_KATAKANA_RUN = re.compile(r"[ァ-ヺーｦ-ﾟ]+")  # half-width too: an old phone's ﾎｲｸｴﾝ
_KATAKANA_WORD = re.compile(r"[ァ-ヺー]+")
# A noun typed in hiragana starts where the run starts or after a particle, and ends where the
# run ends or before one: 「しんどくて」 holds the sound of 震度, 「うまいっしょ」 that of 一緒, and
# neither is that noun.
_BEFORE = frozenset("のがをにへとではもやてらりよねさかし")
# (す and し: 相談する, 相談したい.)
_AFTER = (
    "の",
    "が",
    "を",
    "に",
    "へ",
    "と",
    "で",
    "は",
    "も",
    "や",
    "って",
    "か",
    "まで",
    "から",
    "より",
    "だ",
    "じゃ",
    "な",
    "ね",
    "さ",
    "よ",
    "っしょ",
    "す",
    "し",
    "ある",
    "ない",
)


class Spellings:
    """The entries' kanji nouns by their sound (in hiragana), the most used spelling of each."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for text in texts:
            for written, sound in noun_spellings(text):
                sound = to_hiragana(sound)
                if len(sound) >= SHORTEST_SOUND:
                    counts[sound][written] += 1
        self._written = {sound: spelled.most_common(1)[0][0] for sound, spelled in counts.items()}
        self._longest = max(map(len, self._written), default=0)

    def spell(self, text: str, *, among_kanji: bool = False) -> str:
        """``text`` with each known sound in its hiragana runs written as the entries write it,
        longest first from the left. ``among_kanji``: the text is mostly written in kanji, and a
        word typed in hiragana there is a word people write so, read as such (ところで is "by the
        way", not 常呂で; くるま is 車 already): only a sound that is no word of its own in hiragana
        (かいご, read as か い ご) is written back."""
        return _HIRAGANA_RUN.sub(lambda run: self._spell_run(run.group(), among_kanji), text)

    def respell(self, text: str, known: Callable[[str], bool]) -> str:
        """``text`` with each kanji noun no entry uses (``known`` says of a lemma) written as the
        entry noun of the same sound: voice input writes 助成 as 女性 and 支援金 as 私怨金, and a
        word it doesn't know as pieces (保育縁, 目満別)."""
        for written, lemmas, sound in kanji_compounds(text):
            meant = self._written.get(to_hiragana(sound))
            if meant is not None and meant != written and written in text and _pieces(lemmas, known):
                text = text.replace(written, meant, 1)
        for written, lemma, sound in kanji_nouns(text):
            meant = self._written.get(to_hiragana(sound))
            if meant is not None and meant != written and not known(lemma) and known(meant):
                text = text.replace(written, meant, 1)
        return text

    def spell_katakana(self, text: str, known: Callable[[str], bool]) -> str:
        """``text`` with each katakana run that no entry uses and that sounds, whole, like entry
        nouns written in kanji, written as they are: a learner of Japanese types 保育園 as ホイクエン
        (which MeCab cuts into ホイ and クエン); one that reads as a verb or adjective, in hiragana.
        A loanword the entries use (テレワーク) stays."""
        return _KATAKANA_RUN.sub(lambda run: self._spell_katakana_run(run.group(), known), text)

    def katakana_as_hiragana(self, text: str, known: Callable[[str], bool]) -> str:
        """``text`` with each katakana run no entry uses in hiragana: for a message typed in kana
        only, where katakana is no loanword's mark. A loanword the entries use stays, alone or as
        loanwords they use together (テレワーク, サテライトオフィス); a Japanese word in katakana
        (マゴ, read as 孫) is kana like the rest."""

        def read(run: re.Match[str]) -> str:
            word = unicodedata.normalize("NFKC", run.group())
            parts = morphemes(word)
            loanwords = bool(parts) and all(_KATAKANA_WORD.fullmatch(p) and known(p) for p in parts)
            if known(word) or loanwords:
                return run.group()
            return to_hiragana(word)

        return _KATAKANA_RUN.sub(read, text)

    def _spell_katakana_run(self, typed: str, known: Callable[[str], bool]) -> str:
        run = unicodedata.normalize("NFKC", typed)
        sound = to_hiragana(run)
        if len(sound) < SHORTEST_SOUND or known(run):
            return typed
        words: list[str] = []
        i = 0
        while i < len(sound):
            end = self._sound_at(sound, i)
            if not end:
                # Only a run the entries' nouns cover end to end is theirs; a verb or adjective
                # typed in katakana for emphasis (医者タリナイ) is read as the word it is.
                return sound if a_predicate(sound) else typed
            words.append(self._written[sound[i:end]])
            i = end
        return "".join(words)

    def _spell_run(self, run: str, among_kanji: bool = False) -> str:
        out: list[str] = []
        i, at_boundary = 0, True
        while i < len(run):
            if at_boundary or run[i - 1] in _BEFORE:
                end = self._word_at(run, i)
                if end and among_kanji and a_word_of_its_own(run[i:end]):
                    end = 0  # read as the word it is (ところ, くるま: 車): nothing to write back
                if end:
                    out.append(self._written[run[i:end]])
                    i, at_boundary = end, True
                    continue
            out.append(run[i])
            i, at_boundary = i + 1, False
        return "".join(out)

    def _word_at(self, run: str, start: int) -> int:
        """Where the longest known sound starting at ``start`` ends, if a particle or the run's end
        follows it; 0 if none does."""
        return self._sound_at(run, start, lambda end: end == len(run) or run.startswith(_AFTER, end))

    def _sound_at(self, run: str, start: int, ends_well: Callable[[int], bool] = lambda _end: True) -> int:
        """Where the longest known sound starting at ``start`` ends, among those ``ends_well``
        accepts; 0 if none."""
        for end in range(min(len(run), start + self._longest), start + SHORTEST_SOUND - 1, -1):
            if run[start:end] in self._written and ends_well(end):
                return end
        return 0


def _pieces(lemmas: tuple[str, ...], known: Callable[[str], bool]) -> bool:
    """Words that look like a compound cut into pieces: one no entry uses, or a single kanji
    (縁, 満: a word of its own only by accident of the cut)."""
    return not all(map(known, lemmas)) or any(len(lemma) == 1 for lemma in lemmas)
