"""Normalized text into the terms BM25 counts: morphemes (fugashi + unidic-lite) and character bigrams.

Morpheme lemmas let 住んでる match 住む; bigrams catch what the dictionary splits oddly
(place names, katakana coinages, typos). Particles, auxiliaries and symbols carry no topic.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import re
import sys
import threading
from collections.abc import Iterator
from typing import NamedTuple

import fugashi

from knowledge.memo import per_turn
from knowledge.normalize import is_kana, to_hiragana, to_katakana

_DROPPED_POS = {"助詞", "助動詞", "補助記号", "記号", "空白", "感動詞"}
# Frequent in every question and so in no topic.
_STOP_LEMMAS = {
    "為る",
    "居る",
    "有る",
    "成る",
    "言う",
    "思う",
    "事",
    "物",
    "方",
    "所",
    "ある",
    "いる",
    "する",
    "なる",
    "こと",
    # How much, said every way (ガチで, マジで, めっちゃ, なまら — read as 訛る —, とても, かなり,
    # すごく): how strongly a person asks, never what about.
    "ガチ",
    "まじ",
    "目茶",
    "目茶苦茶",
    "訛る",
    "迚も",
    "可成",
    "凄い",
    # Asking, in official written Japanese (ご教示願いたく存じます, ご回答願います, 伺いたい,
    # 照会いたします): that a question is asked, never what about.
    "教示",
    "願う",
    "存ずる",
    "伺う",
    "照会",
    "回答",
    # Humble and polite verbs of a formal letter (でございます, 教えていただけますか, お教え
    # くださいませ, 申し上げます, 恐れ入りますが, 幸いです): how politely, never what about.
    "御座る",
    "頂く",
    "下さる",
    "申す",
    "申し上げる",
    "参る",
    "致す",
    "恐れ入る",
    "幸い",
    "尋ねる",
    # The same style's joints and "whether": 並びに, 及び, 〜の有無, 〜の可否, 〜の件.
    "並び",
    "及び",
    "有無",
    "可否",
    "件",
    # A student's or an official's 〜の現状について, 〜の実情: which state of things, never what about.
    "現状",
    "実情",
    "実態",
    # Roughly, frankly, by the way (だいたい, おおよそ, ざっくり, 正直, ちなみに): how a
    # person hedges or turns to a question, never what about.
    "大体",
    "大凡",
    "ざっくり",
    "ざっ",
    "大まか",
    "正直",
    "因み",
    # また, さて, 〜に際して, 〜した暁には, 〜の類: joints of a letter's sentence, never what about.
    "又",
    "扠",
    "際する",
    "暁",
    "類",
    # 頂戴できる (may receive), said as humbly as いただける.
    "頂戴",
    # A letter's and a chat's courtesies and asides (拝啓, 突然失礼いたします, 恐縮ですが, ごめんね,
    # 新聞で拝見しました, ちょっと, だんだん, ほんま, (笑), w): never what about. (よろしく stays
    # a word: a message that says it introduces itself more than it asks.)
    "拝啓",
    "突然",
    "失礼",
    "恐縮",
    "御免",
    "拝見",
    "一寸",
    "段々",
    "本真",
    "笑い",
    "w",
    "www",
    # Where the person read of it, or how glad they would be (新聞で読んだ, 〜だと嬉しい).
    "新聞",
    "嬉しい",
    # The writer, as an older man or a letter says it (わし, 俺, 小生).
    "わし",
    "俺",
    "小生",
}
_ENGLISH_WORD = re.compile(r"[A-Za-z0-9]+")


class _Word(NamedTuple):
    surface: str
    lemma: str  # unidic's lemma, or the surface when it has none (unknown words)
    pos1: str | None  # None for unknown words' missing fields
    pos2: str | None
    pos3: str | None
    kana: str | None = None  # unidic's reading, in katakana
    form: str | None = None  # unidic's conjugation form (終止形-一般 …)


# One MeCab tagger for the whole process, used by one thread at a time. Each tagger maps the
# dictionary on its own, every page it touches counts in the
# process's RSS once per tagger, and fugashi never frees a tagger: one per thread put the same
# pages in RSS once per worker thread, and again for every new thread after anyio retired idle ones.
_tagger: fugashi.Tagger | None = None
_tagger_lock = threading.Lock()


def _words(text: str) -> list[_Word]:
    """MeCab's analysis of ``text``, copied out while the tagger is held (it is not thread-safe)."""
    global _tagger
    with _tagger_lock:
        if _tagger is None:
            _tagger = _open_tagger()
        return [
            _Word(
                w.surface,
                w.feature.lemma or w.surface,
                w.feature.pos1,
                w.feature.pos2,
                w.feature.pos3,
                getattr(w.feature, "kana", None),
                getattr(w.feature, "cForm", None),
            )
            for w in _tagger(text)
        ]


def _open_tagger() -> fugashi.Tagger:
    """A tagger whose dictionary mapping puts only the pages a lookup reads into RSS.

    A lookup reads a few scattered 4 KB pages, but a recent kernel (6.x) keeps a file read or
    written whole (by pip, by another process's readahead) as large folios in the page cache and
    maps a whole folio on a fault, so RSS grows by far more than a lookup reads. So the
    dictionary's cached pages that no process maps are dropped first, and the new mapping is read
    without readahead: pages then come in, and are mapped, one at a time (docs/benchmarks.md has
    the sizes). Linux only; pages another process maps stay shared.
    """
    tagger = fugashi.Tagger()
    if sys.platform.startswith("linux"):
        _advise_dictionary(tagger, "MADV_DONTNEED")  # what opening it touched: now mapped by nobody
        dicdir = _dictionary_directory(tagger)
        for name in os.listdir(dicdir):
            descriptor = os.open(os.path.join(dicdir, name), os.O_RDONLY)
            try:
                os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(descriptor)
        _advise_dictionary(tagger, "MADV_RANDOM")
    return tagger


def _dictionary_directory(tagger: fugashi.Tagger) -> str:
    return os.path.dirname(tagger.dictionary_info[0]["filename"])


def _advise_dictionary(tagger: fugashi.Tagger, advice: str) -> None:
    """madvise(2) every read-only mapping of the tagger's dictionary files (Linux; elsewhere nothing)."""
    flag = getattr(mmap, advice, None)
    if flag is None or not sys.platform.startswith("linux"):
        return
    dicdir = _dictionary_directory(tagger) + os.sep
    madvise = ctypes.CDLL(None, use_errno=True).madvise
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)  # range, perms, offset, dev, inode, path
            if len(fields) == 6 and fields[5].rstrip("\n").startswith(dicdir) and "w" not in fields[1]:
                start, end = (int(address, 16) for address in fields[0].split("-"))
                madvise(start, end - start, flag)


def release_dictionary_pages() -> None:
    """Drop the dictionary pages this process has mapped; call it after indexing a whole corpus.

    Indexing touches much of the mapped dictionary, most of which no question needs again, and
    those pages stay in RSS. The mapping is read-only and backed by the file, so MADV_DONTNEED only
    unmaps them: they stay in the kernel's page cache, and whatever a question needs is mapped back
    on first use (a minor fault) with the same bytes.
    """
    with _tagger_lock:
        if _tagger is not None:
            _advise_dictionary(_tagger, "MADV_DONTNEED")


@per_turn
def morphemes(text: str) -> tuple[str, ...]:
    """Content-word lemmas of ``text`` (already normalized), kana folded to katakana."""
    terms = []
    words = _words(text)
    for at, word in enumerate(words):
        if word.pos1 in _DROPPED_POS:
            continue
        # unidic writes English glosses after a hyphen: サテライト-satellite
        lemma = _adjective_of_me(word) or word.lemma.split("-", 1)[0]
        if lemma in _STOP_LEMMAS or word.surface in _STOP_LEMMAS or _softening_me(words, at):
            continue
        terms.append(to_katakana(lemma))
    return tuple(terms)


def _adjective_of_me(word: _Word) -> str | None:
    """少なめ, 安め, 多め (a little less, cheap, many): the adjective they soften (少ない, 安い, 多い),
    as the entries write it."""
    if word.pos1 != "形状詞" or len(word.lemma) < 2 or not word.lemma.endswith("め"):
        return None
    adjective = _words(f"{word.lemma[:-1]}い")
    return adjective[0].lemma if len(adjective) == 1 and adjective[0].pos1 == "形容詞" else None


def _softening_me(words: list[_Word], at: int) -> bool:
    """The め of 厳しめ, after the adjective it softens: no word of its own."""
    word = words[at]
    return word.lemma == "目" and word.pos1 == "接尾辞" and at > 0 and words[at - 1].pos1 == "形容詞"


@per_turn
def all_lemmas(text: str) -> tuple[str, ...]:
    """Every word's lemma, particles and auxiliaries included (ない, ません carry a refusal), kana
    folded to katakana: what a request says, where :func:`morphemes` keeps what it is about."""
    return tuple(
        to_katakana(word.lemma.split("-", 1)[0])
        for word in _words(text)
        if word.pos1 not in ("補助記号", "空白")
    )


@per_turn
def place_names(text: str) -> frozenset[str]:
    """Place names in ``text`` (as folded lemmas), e.g. 札幌 in 「札幌の家賃相場」."""
    return frozenset(mention.place for mention in place_mentions(text))


class PlaceMention(NamedTuple):
    place: str  # the place name as a folded lemma
    surface: str  # as written
    after: str  # the text that follows it


@per_turn
def place_mentions(text: str) -> tuple[PlaceMention, ...]:
    """Each place name in ``text``, with the text that follows it."""
    return tuple(
        PlaceMention(to_katakana(word.lemma.split("-", 1)[0]), word.surface, text[end:])
        for word, end in _located(text)
        if word.pos2 == "固有名詞" and word.pos3 == "地名"
    )


def _located(text: str) -> list[tuple[_Word, int]]:
    """Each word of ``text`` with where it ends in ``text`` (MeCab skips white space)."""
    located = []
    position = 0
    for word in _words(text):
        found = text.find(word.surface, position)
        position = found + len(word.surface) if found >= 0 else position
        located.append((word, position))
    return located


# A space typed after a sentence-final particle ends a spoken sentence (voice input and quick
# typing leave out 。): 「家賃ってなんぼくらいさ 子供いれば市営住宅はいりやすいとかあるかい」 asks two
# things. Only after a predicate (あるかい, なんぼくらいさ, あるのさ): the same particle after a case
# particle or a filler is a pause (「うちの娘がさ …」「あのね …」), and after a prefix it is a word
# MeCab misread (おかね: お + かね).
_ENDS_A_PREDICATE = frozenset({"動詞", "形容詞", "助動詞", "形状詞", "副詞"})
_SHORTEST_SPOKEN_SENTENCE = 6  # characters before the break
# A shorter rest of the message stays with what it follows, which it was read with whole: cut off,
# 「てつだってもらえるとこあるかい」 or 「網走とか札幌まで行かんとならんのか」 read alone ask
# something else. Unless it only remarks (see _remarks): 「帰省したとき寄りたい」 asks nothing.
_SHORTEST_TAIL = 20
_QUESTIONING = frozenset({"か", "かい", "かな", "かね", "の", "っけ", "け", "べか"})
# In text spaced word by word, the conjunctive particles that close a whole clause (not て, で).
_CLOSING_A_CLAUSE = frozenset({"けど", "けれど", "けども", "けれども", "から", "ので", "のに"})
_WHITE_SPACE = re.compile(r"\s+")
_SHORTEST_STRETCH = 3


def _stretches(text: str) -> Iterator[tuple[list[_Word], re.Match[str]]]:
    """Each stretch of ``text`` before a space, tokenized alone (MeCab skips a space and would read
    on across it: さ 子供 as the prefix さ on 子供), with that space; not a word typed alone (とうゆ
    だい: 灯油代, not the particle だい)."""
    start = 0
    for space in _WHITE_SPACE.finditer(text):
        stretch = text[start : space.start()]
        start = space.end()
        if len(stretch) >= _SHORTEST_STRETCH:
            yield _words(stretch), space


def _remarks(tail: str) -> bool:
    """A short rest of a message says something of its own (a predicate ends it) and asks nothing
    (no ？, no questioning particle): 「正直求人少なそうなイメージしかない」「帰省したとき寄りたい」.
    A fragment (「休みの日とか」) or a question stays with what it follows."""
    tail = tail.rstrip(" 　wｗ草笑…〜~。.!！")
    if tail.endswith(("?", "？")):
        return False
    words = [w for w in _words(tail) if w.pos1 != "補助記号"]
    last = _final_particles(words, len(words))
    if any(w.surface in _QUESTIONING for w in words[last:]):
        return False
    return last > 0 and words[last - 1].pos1 in _ENDS_A_PREDICATE


def _final_particles(words: list[_Word], end: int) -> int:
    """Where the run of sentence-final particles (終助詞) that ends at ``end`` starts."""
    while end > 0 and words[end - 1].pos2 == "終助詞":
        end -= 1
    return end


def spoken_sentence_ends(text: str) -> list[int]:
    """Where in ``text`` (positions of spaces) a sentence ends without punctuation."""
    ends: list[int] = []
    for words, space in _stretches(text):
        end = len(words)
        while end > 0 and words[end - 1].pos1 == "補助記号":
            end -= 1  # an emoji after the particle (下がるんだっけ🥶) ends the sentence as 。 would
        last = _final_particles(words, end)
        if last == end or last == 0:
            continue  # no sentence-final particle, or nothing before it in the stretch
        before = words[last - 1]
        if not (before.pos1 in _ENDS_A_PREDICATE or before.pos2 in ("準体助詞", "副助詞")):
            continue
        since = space.start() - (ends[-1] if ends else 0)
        rest = text[space.end() :]
        if since >= _SHORTEST_SPOKEN_SENTENCE and (len(rest) >= _SHORTEST_TAIL or _remarks(rest)):
            ends.append(space.start())
    return ends


def spoken_clause_ends(text: str, *, words_spaced: bool = False) -> list[int]:
    """Where in ``text`` (the ends of spaces) a clause ends without a comma: after a conjunctive
    particle (考えとるんだが␣, 戻ったとして␣, 行ってるけど␣), as a writer who types spaces for commas
    pauses. ``words_spaced``: the writer puts a space between words (mostly hiragana), so only the
    particles that close a whole clause count (じじいだけど␣, いうもんだから␣), not て or で
    (やめないで␣ ぱそこんで…), which join words within one."""
    return [
        space.end()
        for words, space in _stretches(text)
        if space.end() < len(text)
        and words
        and words[-1].pos2 == "接続助詞"
        and (not words_spaced or words[-1].surface in _CLOSING_A_CLAUSE)
    ]


_COORDINATORS = frozenset({"と", "や"})  # とか is と then か
# What follows a と, とか or や that names no second thing but hedges the first (「助成とか何か」,
# 「保育園とかそういうの」): one topic, vaguely.
_HEDGE = re.compile(r"^(?:何|なに|なん|色々|いろいろ|いろんな|そうい|そんな|ああいう|あれ|など)")
_JOINED = frozenset({"名詞", "代名詞", "接尾辞"})


@per_turn
def coordinated_halves(text: str) -> tuple[tuple[str, str], ...]:
    """``text`` cut after each noun joined to what follows by と, とか or や (「地震とか台風の被害」,
    「家賃の相場と、あと車が…」): the two halves, each of which may name a topic of its own. と after
    a verb (「頼むと」, a condition) joins no nouns."""
    located = _located(text)
    words = [word for word, _end in located]
    ends = [end for _word, end in located]
    halves = []
    for i in range(1, len(words)):
        word, before = words[i], words[i - 1]
        if word.pos1 != "助詞" or before.pos1 not in _JOINED or word.surface not in _COORDINATORS:
            continue
        end = ends[i]
        if word.surface == "と" and i + 1 < len(words) and words[i + 1].surface == "か":
            end = ends[i + 1]  # とか
        left, right = text[:end].strip(), text[end:].strip(" 、,")
        if len(left) >= 2 and len(right) >= 2 and not _HEDGE.match(right):
            halves.append((left, right))
    return tuple(halves)


_KANJI = re.compile(r"[一-龯々]")
_ALL_KANJI = re.compile(r"[一-龯々]+")
_HONORIFIC = frozenset({"お", "ご"})  # the prefixes people type as the entries do: お金, ご相談
_IN_A_NOUN = frozenset({"名詞", "代名詞", "接頭辞", "接尾辞"})
_KATAKANA_WORD = re.compile(r"[ァ-ヺー]{3,}")


_SENTENCE_END = frozenset("。．.!！?？")


# What asks someone to do or leave something after 〜ないで: 消さないでください, 送らないでくれ,
# 削除しないでほしい, 消さないでおいて, 消さないでちょうだい, 削除しないでいただけますか.
_ASKED_OF_SOMEONE = frozenset({"下さる", "呉れる", "欲しい", "頂戴", "貰う", "頂く", "置く"})


def prohibited(text: str) -> list[str]:
    """What ``text`` says "don't" to, as lemmas (the noun of a サ変 verb: 削除 for 削除しないで): a
    verb in its plain form with the particle な (消すな, 送るなよ, すんな), a verb negated with
    ないで, alone or asking it of someone (削除しないで, 消さないでください, 送らないでほしい), or a verb
    one has no intention to (取り消すつもりはございません) — each at the end of a sentence. Quoted
    (「勝手に登録するな」って怒られた), it is what someone else said; 寒いな and そうだな muse; 送るなら
    is "if"; 登録しないで使えますか asks whether one can do without. A space ends a spoken sentence
    too. In English: don't, do not or never before stopping or removing (turn off, delete…)."""
    japanese = [lemma for stretch in text.split() for lemma in _prohibited(_words(stretch))]
    return japanese + [verb.lower() for verb in _ENGLISH_DONT_STOP.findall(text)]


# "Don't" said in English to stopping or removing something ("Notifications are fine, don't turn
# them off", "please do not delete my data"), with a phone's curly apostrophe too; "don't send
# me…" is left to the reading of the whole sentence, which asks to stop being contacted.
_ENGLISH_DONT_STOP = re.compile(
    r"\b(?:don['’]?t|do not|never)\s+(?:\w+\s+){0,2}?"
    r"(turn|switch|shut|stop|cancel|delete|remove|erase|wipe|unsubscribe|unregister)\b",
    re.IGNORECASE,
)


def _prohibited(words: list[_Word]) -> list[str]:
    found: list[str] = []
    for at, verb in enumerate(words):
        after = _end_of_dont(words, at)
        if after and _only_ends_after(words[after:]):
            found.append(words[at - 1].lemma if verb.lemma == "為る" and at > 0 else verb.lemma)
    return found


def _end_of_dont(words: list[_Word], at: int) -> int:
    """Where a "don't" said to the verb at ``at`` ends (消す|な, 消さ|ないでください,
    取り消す|つもりはございません); 0 if none is."""
    verb = words[at]
    if verb.pos1 != "動詞":
        return 0
    if (
        (verb.form or "").startswith("終止形")
        and at + 1 < len(words)
        and words[at + 1].surface == "な"
        and words[at + 1].pos2 == "終助詞"
    ):
        return at + 2
    if _negated_with_naide(words[at + 1 : at + 3]):
        after = at + 3
        # Asked of someone, with that verb's own endings (おいてください, いただけますか).
        while after < len(words) and _asks_or_ends(words[after]):
            after += 1
        return after
    return _no_intention_after(words, at + 1)


def _no_intention_after(words: list[_Word], at: int) -> int:
    """Where 「つもりはない」「つもりはございません」 (no intention to) starting at ``at`` ends, with its
    auxiliaries (です); 0 if it doesn't start there."""
    if at >= len(words) or words[at].lemma != "積り":
        return 0
    at += 1
    if at < len(words) and words[at].surface in ("は", "も"):
        at += 1
    if at < len(words) and words[at].lemma == "無い":
        at += 1
    elif at + 2 < len(words) and words[at].lemma in ("有る", "御座る") and words[at + 2].lemma == "ず":
        at += 3
    else:
        return 0
    while at < len(words) and words[at].pos1 == "助動詞":
        at += 1
    return at


def _negated_with_naide(words: list[_Word]) -> bool:
    return (
        len(words) == 2
        and words[0].surface == "ない"
        and words[0].pos1 == "助動詞"
        and words[1].surface == "で"
        and words[1].pos2 == "接続助詞"
    )


def _asks_or_ends(word: _Word) -> bool:
    return word.lemma in _ASKED_OF_SOMEONE or (word.pos1 in ("助動詞", "助詞") and word.pos2 != "終助詞")


def _only_ends_after(words: list[_Word]) -> bool:
    """Nothing but sentence-final particles before the sentence ends (or the text does)."""
    for after in words:
        if after.surface in _SENTENCE_END or after.pos1 == "空白":
            return True
        if after.pos2 != "終助詞":
            return False
    return True


_PREDICATE = frozenset({"動詞", "形容詞", "副詞"})
_ENDINGS = frozenset({"助動詞", "助詞", "接尾辞"})


def a_predicate(hiragana: str) -> bool:
    """``hiragana`` reads as a verb, adjective or adverb with its endings and nothing else: typed
    in katakana for emphasis (タリナイ, サムイ, オシエテ), it is that word, not a loanword."""
    words = _words(hiragana)
    return any(w.pos1 in _PREDICATE for w in words) and all(w.pos1 in _PREDICATE | _ENDINGS for w in words)


@per_turn
def a_word_of_its_own(hiragana: str) -> bool:
    """``hiragana`` reads as one noun (ところ: 所, くるま: 車) or as a pronoun with its particles
    (なんか, どこか: never 何課), not as pieces (かいご: か い ご, a word people write in kanji).
    Remembered for the turn: a question is ranked twice (by words, then with the sentence vector)
    and spelled each time."""
    words = _words(hiragana)
    if len(words) == 1:
        return words[0].pos1 == "名詞"
    return words[0].pos1 == "代名詞" and all(w.pos1 == "助詞" for w in words[1:])


def noun_spellings(text: str) -> list[tuple[str, str]]:
    """(as written, its sound in katakana) of each noun of ``text`` written with a kanji, alone and
    joined with the nouns, prefixes and suffixes next to it (市役所 is 市 and 役所, お金 お and 金,
    保育園 保育 and the suffix 園), and of each noun written in katakana (パソコン: a grandparent
    types ぱそこん)."""
    found: list[tuple[str, str]] = []
    run: list[_Word] = []
    for word in [*_words(text), None]:
        if word is not None and word.pos1 in _IN_A_NOUN and word.kana:
            run.append(word)
            continue
        for start in range(len(run)):
            if run[start].pos1 == "接尾辞":
                continue  # a suffix names nothing on its own (園, 費)
            if _KATAKANA_WORD.fullmatch(run[start].surface) and _not_another_word(run[start].surface):
                found.append((run[start].surface, run[start].surface))
            for end in range(start + 1, min(len(run), start + 3) + 1):
                words = run[start:end]
                written = "".join(w.surface for w in words)
                # Each noun starts with a kanji (MeCab cuts ひこうき代 into ひこう and き代); お, ご
                # stay as they are.
                if words[-1].pos1 in ("名詞", "接尾辞") and all(
                    w.surface in _HONORIFIC or _KANJI.match(w.surface) for w in words
                ):
                    found.append((written, "".join(w.kana or "" for w in words)))
        run = []
    return found


def kanji_nouns(text: str) -> list[tuple[str, str, str]]:
    """(as written, its lemma as the index holds it, its sound in katakana) of each noun of
    ``text`` written with a kanji."""
    return [
        (w.surface, to_katakana(w.lemma.split("-", 1)[0]), w.kana)
        for w in _words(text)
        if w.pos1 == "名詞" and w.kana and _KANJI.search(w.surface)
    ]


def kanji_compounds(text: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(as written, its words, its sound in katakana) of each run of two or three adjacent words
    of ``text`` written wholly in kanji within a noun, longest first: voice input writes a word it
    doesn't know as pieces that each exist (保育園 as 保育 and 縁, 女満別 as 目, 満 and 別)."""
    words = _words(text)
    found: list[tuple[str, tuple[str, ...], str]] = []
    for size in (3, 2):
        for start in range(len(words) - size + 1):
            piece = words[start : start + size]
            if all(w.pos1 in _IN_A_NOUN and w.kana and _ALL_KANJI.fullmatch(w.surface) for w in piece):
                found.append(
                    (
                        "".join(w.surface for w in piece),
                        tuple(to_katakana(w.lemma.split("-", 1)[0]) for w in piece),
                        "".join(w.kana or "" for w in piece),
                    )
                )
    return found


def _not_another_word(katakana: str) -> bool:
    """Typed in hiragana, ``katakana`` is no other word: くらす is 暮らす before it is クラス,
    ちゃん a suffix."""
    typed = _words(to_hiragana(katakana))
    return len(typed) != 1 or typed[0].pos1 == "名詞"


@per_turn
def reading_bigrams(text: str) -> tuple[str, ...]:
    """Character pairs of how ``text`` sounds, in katakana: 医療費 and いりょうひ both give イリ リョ
    ョウ ウヒ."""
    return bigrams("".join(_sound(word) for word in _words(text)))


def _sound(word: _Word) -> str:
    """Kana as written (MeCab cuts a hiragana run at random, but its sound stays); other words by
    unidic's reading; punctuation as a break."""
    if word.pos1 in ("補助記号", "空白"):
        return " "
    if is_kana(word.surface) or not word.kana:
        return to_katakana(word.surface)
    return word.kana


def bigrams(text: str) -> tuple[str, ...]:
    """Overlapping character pairs within each space-separated chunk (kana folded)."""
    grams: list[str] = []
    for chunk in to_katakana(text).split():
        if len(chunk) == 1:
            grams.append(chunk)
        grams.extend(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return tuple(grams)


_EN_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "do",
        "does",
        "did",
        "i",
        "me",
        "my",
        "we",
        "you",
        "your",
        "it",
        "its",
        "in",
        "on",
        "at",
        "to",
        "of",
        "for",
        "from",
        "and",
        "or",
        "how",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "can",
        "could",
        "would",
        "should",
        "will",
        "there",
        "here",
        "this",
        "that",
        "with",
        "about",
        "any",
        "much",
        "many",
        "get",
        "go",
        "kitami",
        # Fillers of chat English: they carry no topic, and a rare one ("actually") would make
        # whichever entry happens to use it look like a sure match.
        "actually",
        "really",
        "just",
        "also",
        "maybe",
        "pretty",
        "kinda",
        "basically",
        "honestly",
        "anyway",
        "so",
        "very",
        "still",
        "even",
        "please",
        "hey",
        "hi",
        "ok",
        "okay",
        "heard",
        "wondering",
        "thing",
        "things",
        "stuff",
        # Chat shorthand and laughter ("lol", "ngl", "rn", "tbh"): how a person types, never what about.
        # (A lone letter, the "u" of "thank u", is dropped in english_terms.)
        "lol",
        "lmao",
        "haha",
        "ngl",
        "tbh",
        "rn",
        "btw",
        "idk",
        "imo",
        "omg",
        "pls",
        "plz",
        "ur",
        "im",
        "gonna",
        "wanna",
        # Verbs and judgements every question is asked with ("is it hard to find", "I want to
        # know", "thinking of"): how a person asks, never what about.
        "find",
        "hard",
        "easy",
        "tell",
        "know",
        "want",
        "need",
        "wonder",
        "curious",
        "think",
        "thinking",
        # Pronouns a question is built with ("our kid", "they say").
        "our",
        "us",
        "they",
        "them",
        "their",
        "he",
        "she",
        "his",
        "her",
        # That there is a choice ("what the options are for high schools", "currently"): never
        # what about. ("What kind of town" stays: an entry is asked so.)
        "option",
        "options",
        "choice",
        "choices",
        "available",
        "currently",
    }
)


# "How much" / "how many" asks for an amount: one term, though each word alone says nothing ("how
# much is the relocation grant" asks the grant's amount, not its conditions).
_HOW_MUCH = re.compile(r"\bhow\s+(much|many)\b", re.IGNORECASE)


def english_terms(text: str) -> tuple[str, ...]:
    """Lowercase words without stop words, with a light stemmer (plural and -ing/-ed). "IT" in
    capitals is the industry, kept as ``it``; "it" the pronoun is a stop word. A lone letter (the
    s of "Kitami's") says nothing."""
    terms = []
    for word in _ENGLISH_WORD.findall(_HOW_MUCH.sub(" howmuch ", text)):
        if word == "IT":
            terms.append("it")
            continue
        word = word.lower()
        if word in _EN_STOP or (len(word) == 1 and word.isalpha()):
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        terms.append(word)
    return tuple(terms)
