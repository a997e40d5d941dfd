"""The recognizer: what a message asks for, learned from the example utterances in examples.yaml.

One classifier decides, sentence by sentence, between every action (register, refer, hand off,
see / change / delete data, the privacy notice, cancel, menu, help, back, restart), small talk,
"mentions an action but doesn't ask for it" (no_action), preamble, and "a question for the
knowledge base" (its examples are examples.yaml's questions plus the knowledge base's own).
Features are character 1–3-grams of the folded text and word lemma 1–2-grams (particles and
auxiliaries kept: ない and ません are what make 「削除はしないでください」 a refusal); the model is
a logistic regression with balanced class weights (the knowledge base's questions outnumber any
action's examples many times over), whose raw probabilities track correctness better than a recalibrated one
at this data size (see docs/understanding.md).

Adding a phrasing is one line in examples.yaml; adding an intent is a key there.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import threading
import unicodedata
import weakref
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from bot.router import Context
from bot.understanding import (
    ACT,
    ASIDE,
    LEANING,
    NO_ACTION,
    NOT_ACTIONS,
    NOT_OURS,
    NOTHING,
    OFFER,
    PREAMBLE,
    QUESTION,
    SCENE_SETTING,
    SOCIAL,
    SURE,
    Reading,
    Sentence,
    Understanding,
)
from intents.fitted import FittedModel
from knowledge import KnowledgeBase
from knowledge.engine import HIRAGANA_SHARE
from knowledge.memo import one_turn
from knowledge.normalize import as_read, is_english, looks_like_question, mostly_hiragana, to_hiragana
from knowledge.semantic import cache_folder
from knowledge.tokenize import all_lemmas, prohibited, spoken_clause_ends, spoken_sentence_ends

# Fits are small: more BLAS threads than one only contend for the cores (docs/benchmarks.md).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

log = logging.getLogger(__name__)

EXAMPLES = Path(__file__).with_name("examples.yaml")
MODEL_VERSION = 1  # raise when the features or the model change, so cached fits are not reused

# The knowledge base's own questions teach the question class; a large imported FAQ is sampled.
KB_QUESTION_EXAMPLES = 2500
PASS_ON = "refer"  # the action of passing this concierge on to one's child
HELP = "help"  # how to use this chat
CANCEL = "cancel"  # stop what is going on; names nothing of its own
MAX_SENTENCES = 8
# Actions that stop the city contacting a person, and the verbs (nouns of する) of contacting:
# "don't send / contact me" asks for them (「もう連絡しないでください」), where 「削除しないで」 refuses.
STOP_CONTACT = frozenset({"notices_off", "delete_data"})
CONTACTING = frozenset(
    {"送る", "届ける", "寄越す", "来る", "連絡", "電話", "送信", "配信", "通知", "案内", "メール-mail"}
)

# A clause ends at a comma; one that only sets the scene at least this surely is dropped.
_CLAUSE_END = re.compile(r"(?<=[、，,])")
_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])|(?<=[.](?=\s))")
_SPACES = re.compile(r"\s+")
# What puts a request off (「でも今日はいいです」, "not now"), unlike 「電話でもいいです」, which accepts.
_NOT_NOW = re.compile(
    r"まだ|今日は|きょうは|今は|いまは|今回は|こんかいは|やっぱ|やめ|遠慮|\b(not|nah|later)\b", re.I
)
# A sentence left hanging on a connective (〜たくて, 〜ので, 〜もんで) gives a reason; it asks nothing.
_HANGING = re.compile(r"(て|で|ので|から|もんで|ため)[。．.…!！〜~ｗw]*$")


# In English a second question may follow a comma (", and does the city plow the streets?"): it
# is a sentence of its own.
_SECOND_QUESTION = re.compile(
    r"\s*,\s*(?:and|also|plus)\s+(?=(?:what|how|where|when|who|which|why|whether|is|are|do|does|did|can|could|will"
    r"|would|should|any)\b)",
    re.IGNORECASE,
)


def split_sentences(text: str, *, spoken: bool = True) -> list[str]:
    """Sentences as written (。！？!? and line breaks end one, and in Japanese, unless ``spoken`` is
    False, a space after a sentence-final particle: see spoken_sentence_ends); the first few of a
    long paste."""
    if is_english(text):
        text = _SECOND_QUESTION.sub("\n", text)
    written = _SENTENCE_END.split(text)
    said = [piece for part in written for piece in _spoken(part)] if spoken else written
    parts = (_SPACES.sub(" ", p).strip() for p in said)
    sentences = [p for p in parts if any(c.isalnum() for c in p)]
    return sentences[:MAX_SENTENCES]


def _spoken(written: str) -> list[str]:
    """A sentence as written, cut where it was spoken as several (Japanese only)."""
    if is_english(written) or not _SPACES.search(written.strip()):
        return [written]
    ends = spoken_sentence_ends(written)
    return [written[start:end] for start, end in zip([0, *ends], [*ends, len(written)], strict=True)]


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses: each ends at a comma, or in Japanese at a space after a conjunctive
    particle (「施設をと考えとるんだが　北見の介護は…」: a space typed for a comma). In a sentence
    mostly in hiragana a space parts words (「でんわばんごう まちがえて とうろく…」): there only a
    particle that closes a whole clause ends one (「るべしべの じじいだけど ゆきはね…」)."""
    found: list[str] = []
    for part in _CLAUSE_END.split(sentence):
        spaced = _SPACES.search(part.strip()) and not is_english(part)
        ends = spoken_clause_ends(part, words_spaced=mostly_hiragana(part, HIRAGANA_SHARE)) if spaced else []
        found += [part[a:b] for a, b in zip([0, *ends], [*ends, len(part)], strict=True)]
    return [c for c in found if c.strip()]


def fold(text: str) -> str:
    """NFKC, lower case, katakana as hiragana: キャンセル, きゃんせる and ｷｬﾝｾﾙ read alike."""
    return to_hiragana(unicodedata.normalize("NFKC", text).lower())


def _lemmas(text: str) -> list[str]:
    return list(all_lemmas(fold(text)))


def read_examples(path: Path = EXAMPLES) -> dict[str, list[str]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    intents = document.get("intents") or {}
    return {str(label): [str(t) for t in texts or ()] for label, texts in intents.items()}


@dataclass(frozen=True)
class Clash:
    """An example that the model, trained on all the others, reads as another label."""

    text: str
    label: str
    read_as: str


def _lemma_terms(text: str) -> list[str]:
    return _with_bigrams(_lemmas(text))


def _fit(texts: Sequence[str], labels: Sequence[str]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), preprocessor=fold, sublinear_tf=True),
            ),
            ("lemmas", TfidfVectorizer(analyzer=_lemma_terms, sublinear_tf=True)),
        ]
    )
    model = make_pipeline(
        features, LogisticRegression(C=8.0, class_weight="balanced", solver="newton-cg", max_iter=3000)
    )
    return model.fit(list(texts), list(labels))


def _trained(texts: Sequence[str], labels: Sequence[str]) -> FittedModel:
    """The fitted model for this training set: from the cache when the same data was fitted
    before by the same scikit-learn (a fit takes seconds; loading, milliseconds, without importing
    scikit-learn)."""
    digest = hashlib.sha1(
        json.dumps([MODEL_VERSION, version("scikit-learn"), list(texts), list(labels)]).encode()
    ).hexdigest()
    path = cache_folder() / f"recognizer-{digest}.npz"
    try:
        return FittedModel.load(path, fold, _lemma_terms)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass
    model = FittedModel.from_pipeline(_fit(texts, labels))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        model.save(temporary)
        os.replace(temporary, path)
    except OSError as exc:  # a read-only home: fit again next time
        log.warning("recognizer cache not written: %s", exc.__class__.__name__)
    return model


class Recognizer:
    def __init__(self, examples: dict[str, list[str]], kb_questions: Sequence[str] = ()) -> None:
        self._model = _trained(*_training_set(examples, kb_questions))
        self.labels: tuple[str, ...] = self._model.labels
        self.actions = frozenset(label for label in self.labels if label not in NOT_ACTIONS)
        self._lock = threading.Lock()  # turns run in several threads; the tokenizer is shared

    def classify(self, text: str) -> list[tuple[str, float]]:
        """Every label with its probability, most likely first."""
        return self._classify_many([text])[text]

    def _classify_many(self, texts: Sequence[str]) -> dict[str, list[tuple[str, float]]]:
        """All of a message's readings in one pass."""
        unique = list(dict.fromkeys(texts))
        with self._lock:
            probabilities = self._model.probabilities(unique)
        return {
            text: sorted(
                ((label, float(p)) for label, p in zip(self.labels, row, strict=True)),
                key=lambda pair: pair[1],
                reverse=True,
            )
            for text, row in zip(unique, probabilities, strict=True)
        }

    def _read_sentence(self, sentence: str, read: dict[str, list[tuple[str, float]]]) -> Sentence:
        return self._unless_forbidden(self._read_clauses(sentence, read))

    def _unless_forbidden(self, found: Sentence) -> Sentence:
        """A request its text forbids (「データ消すな」, 「息子に送るなよ」, 「削除しないでください」)
        is a refusal, never the action — unless what it forbids is being sent or contacted and the
        action is to stop that (「もう送らないでいただけますか」 stops the notices)."""
        if found.label not in self.actions:
            return found
        forbidden = prohibited(found.text)
        stops_contact = found.label in STOP_CONTACT and all(verb in CONTACTING for verb in forbidden)
        if forbidden and not stops_contact:
            return Sentence(found.text, NO_ACTION, found.confidence)
        return found

    def _read_clauses(self, sentence: str, read: dict[str, list[tuple[str, float]]]) -> Sentence:
        """A sentence without the clauses in front that only set the scene: 「息子が東京で働いて
        おりまして、こちらを紹介したいのですが」 is read as 「こちらを紹介したいのですが」."""
        parts = clauses(sentence)
        while len(parts) > 1:
            label, confidence = read[parts[0]][0]
            if label != PREAMBLE or confidence < SCENE_SETTING:
                break
            parts.pop(0)
        rest = "".join(parts)
        label, confidence = read[rest][0]
        last = parts[-1]
        last_label, last_confidence = read[last][0]
        ends_in_request = len(parts) > 1 and last_label in self.actions
        if last_label == CANCEL and label in self.actions and confidence >= ACT:
            # 「通知多すぎ、止めて」: "stop" stops what the sentence names, the notices.
            ends_in_request = False
        # A sentence read surely as another action names what the request is for: 「親向けの説明会、
        # 申し込みたいです」 signs up for the seminar, though 申し込みたい alone would register.
        names_its_object = label in self.actions and label != last_label and confidence >= SURE
        if (
            ends_in_request
            and last_confidence >= max(SURE, confidence)
            and label != QUESTION
            and not names_its_object
        ):
            # A request comes at the end of a Japanese sentence: 「まだ時期は決まってないんですが、
            # 登録だけ先にさせてください」 asks to register, whatever hesitation comes before it. A
            # sentence that reads as a question keeps that reading: in 「孫が来年小学校にあがるもんで、
            # 息子に教えてやりたくて」 the last clause is why the person asks, not a request.
            return Sentence(rest.strip(), last_label, last_confidence)
        if len(parts) > 1 and label == PREAMBLE and last_label == QUESTION and last_confidence >= ACT:
            # So does a question: in 「母が足腰弱ってきまして、介護のことはどこに相談すればいいのかしら」
            # the clauses before it say why the person asks.
            return Sentence(rest.strip(), QUESTION, last_confidence)
        if label == QUESTION:
            # What set the scene is read no more, but searched: 「If I keep my Tokyo job and work
            # remotely, can I still get the relocation money?」 is asked on that condition.
            return Sentence(sentence.strip(), label, confidence)
        return Sentence(rest.strip(), label, confidence)

    def __call__(self, text: str) -> Understanding:
        with one_turn():  # its sentences and clauses are tokenized more than once
            return self._understand(text)

    def _understand(self, text: str) -> Understanding:
        text = as_read(text)
        sentences = split_sentences(text)
        if not sentences:
            return NOTHING
        readings: list[str] = []
        for sentence in sentences:
            parts = clauses(sentence)
            readings += parts[:-1] + ["".join(parts[i:]) for i in range(len(parts))]
        follow_ups = {
            at: sentences[at - 1] + sentence
            for at, sentence in enumerate(sentences)
            if at and len(sentence) <= LEANING
        }
        readings += follow_ups.values()
        if len(sentences) > 1:
            readings.append(text)
        read_as = self._classify_many(readings)
        read = [self._read_sentence(s, read_as) for s in sentences]
        for at, joined in follow_ups.items():
            # A short question after a statement is read with it: 「…セミナーがあると聞きました。どんな
            # ことするんでしょうか」 asks about the seminar, not how to use the chat;
            # 「…雪かきできないんだわ。手伝ってくれるとこあるかい」 asks for the city's snow help.
            label, confidence = read_as[joined][0]
            alone = read[at]
            doubtful = alone.label in self.actions or alone.label == NOT_OURS
            if doubtful and alone.confidence < SURE and label == QUESTION:
                read[at] = Sentence(alone.text, QUESTION, confidence)
        # A short refusal after a request takes it back (「担当の人と話したいかも。でも今日はいいです」,
        # "I might register later... not now"): what was asked before it is refused too.
        # (Read whole, the message would be the request again.)
        last = read[-1]
        refused_after = len(read) > 1 and last.label == NO_ACTION and last.confidence >= ACT
        taken_back = (
            refused_after
            and len(last.text) <= LEANING
            and _NOT_NOW.search(last.text) is not None
            and any(s.label in self.actions for s in read)
        )
        if taken_back:
            read = [Sentence(s.text, NO_ACTION, s.confidence) if s.label in self.actions else s for s in read]
        whole: Sentence | None = None  # the message read as one sentence, when it has several
        if len(read) > 1 and not taken_back:
            # Read whole as well: 「登録は」「まだいいです」 split oddly still says no together.
            # 「消すな。データ そのままでいい」 read whole forbids it too.
            whole = self._unless_forbidden(Sentence(text, *read_as[text][0]))
            surest_action = max((s.confidence for s in read if s.label in self.actions), default=0.0)
            # Only a reading sure enough to act on replaces the sentences: a weak one would drop
            # the question it was asked with (「…over video call? Flying back is a lot」).
            acts = whole.label in self.actions and whole.confidence >= ACT
            # A refusal read whole replaces them only when it is read surely enough to keep to.
            refuses = whole.label == NO_ACTION and whole.confidence >= ACT
            if acts or (refuses and surest_action < ACT):
                # Last: the message read whole is no statement a short question could lean on.
                read = [*(s for s in read if s.label == QUESTION), whole]
        # Only a sentence gives a reason: the message read whole ends as its last sentence does
        # (「登録したデータ全部消してください。移住の話なくなったので」 is a request, then why).
        reasons = frozenset(s.text for s in read if s is not whole and self._gives_a_reason(s.text, read_as))
        return self._decide(tuple(read), reasons, whole if whole in read else None)

    def _gives_a_reason(self, sentence: str, read: dict[str, list[tuple[str, float]]]) -> bool:
        """The sentence hangs on a connective (「息子に教えてやりたくて」), or its request-like part is a
        clause hanging on one (「息子に教えてやりたいので、電話番号も教えてください」): beside a question,
        that is why the person asks."""
        if _HANGING.search(sentence):
            return True
        first = clauses(sentence)[0]
        hangs = first != sentence and _HANGING.search(first.rstrip("、，, "))
        return bool(hangs) and first in read and read[first][0][0] in self.actions

    def _decide(
        self, read: tuple[Sentence, ...], reasons: frozenset[str] = frozenset(), whole: Sentence | None = None
    ) -> Understanding:
        """``whole``: the message read as one sentence, where that reading replaced its sentences."""
        actions = [s for s in read if s.label in self.actions]
        best_action = max(actions, key=lambda s: s.confidence, default=None)
        refusals = [s for s in read if s.label == NO_ACTION]
        questions = [s for s in read if s.label == QUESTION]
        if any(s.label in SOCIAL and s.confidence >= SURE for s in read):
            # Beside a sure thank-you, a word or two read as a question only faintly is no question:
            # 「なまら助かりました、ありがとね。したっけ」 (したっけ: bye). A sentence of substance
            # after a greeting still asks (「こんばんは。…補助金のようなものは出ておりますでしょうか」).
            questions = [s for s in questions if s.confidence >= ASIDE or len(s.text) > LEANING]
        offer = best_action if best_action and best_action.confidence >= OFFER else None
        # A request read unsurely beside a question read surely (「My daughter is nurse in Tokyo, she
        # want to come back home. Are there jobs in Kitami?」; 「おすすめの韓ドラある？夜勤明けに見たい」):
        # the statement that reads a little like a request is why the person asks, or what for; the
        # question is what the message is, and the request is offered, not taken.
        # Not a request the message read whole makes ("can i talk to a real person? need advice on
        # job hunting": the question says what about).
        surest_asked = max((s.confidence for s in read if s.label in (QUESTION, NOT_OURS)), default=0.0)
        outweighed = best_action not in (None, whole) and best_action.confidence < SURE <= surest_asked
        if best_action and best_action.confidence >= ACT and not outweighed:
            surest_question = max((s.confidence for s in questions), default=0.0)
            # 「北見独自の支援ってありますか？娘に教えてあげたいんです」: after a sure question, wanting
            # to pass it on to one's child is why a parent asks, not a request for the referral link.
            # (A question inside the request's text is part of it: the message read whole.)
            asked_first = [s for s in read[: read.index(best_action)] if s.text not in best_action.text]
            passes_on = best_action.label == PASS_ON and any(s.surely(QUESTION) for s in asked_first)
            # 「…東京の会社に勤めたままこっちで仕事できるもんでしょうか。仕組みを教えてください」: after
            # a question, "how does it work" asks about what was asked, not about the chat.
            explains = best_action.label == HELP and any(s.label == QUESTION for s in asked_first)
            # A request-like sentence that hangs on a connective (「娘にわたしたいもので」) is a
            # reason whatever the question's sureness, as long as there is one to act on.
            gives_reason = best_action.text in reasons and surest_question >= ACT
            if gives_reason or (surest_question >= SURE and passes_on) or explains:
                # 「給食費っていくらだべか。息子に教えてやりたくて」: the request-like sentence is why
                # the person asks. The question is answered; the action is a button beside it.
                return Understanding(QUESTION, surest_question, read, offer)
            return Understanding(best_action.label, best_action.confidence, read, offer)
        theirs = max((s for s in read if s.label == NOT_OURS), key=lambda s: s.confidence, default=None)
        if questions:
            best = max(questions, key=lambda s: s.confidence)
            if theirs is not None and _outweighs(theirs, best):
                # 「いちばん美味しい焼肉屋さんはどこですか？息子をつれていってあげたいの」: what is asked
                # is no page of the city's, more surely than the rest is a question.
                return Understanding(NOT_OURS, theirs.confidence, read, offer)
            # A word read only faintly as a question beside a thank-you or a greeting (「Obrigado!
            # thank you very much」): if it finds no answer, the message is the thank-you.
            social_beside = [s for s in read if s.label in SOCIAL and s.confidence >= OFFER]
            kind = max(social_beside, key=lambda s: s.confidence, default=None)
            faint = best.confidence < ACT
            return Understanding(QUESTION, best.confidence, read, offer, otherwise=kind if faint else None)
        open_sentences = [s for s in read if s.open]
        social = [s for s in read if s.label in SOCIAL and s.confidence >= ACT]
        greeting = max(social, key=lambda s: s.confidence, default=None)
        # 「こんばんは。実家をリフォームしようかと…補助金のようなものは…」 asks something.
        if open_sentences and not any(s.confidence >= ACT for s in refusals):
            best = max(open_sentences, key=lambda s: s.confidence)
            if theirs is not None and theirs.confidence >= SURE and theirs.confidence > best.confidence:
                # 「北見で一番おいしい焼肉屋はどこでしょうか。…個室のある店ですと助かります」: the wish
                # after it says more about the shop, read surely as no page's; as beside a question.
                return Understanding(NOT_OURS, theirs.confidence, read, offer)
            return Understanding(QUESTION, best.confidence, read, offer, otherwise=greeting)
        if theirs is not None and theirs.confidence >= ACT:
            # 「北見で一番うまい焼肉屋どこ？帰省したら行きたい」: no question beside it, and a wish too
            # unsure to act on; 「こんにちは、…式場でおすすめってあるべか」 is no greeting.
            return Understanding(NOT_OURS, theirs.confidence, read, offer)
        if greeting:  # 「ご丁寧にありがとうございます。娘にも話してみますね」 is a thank-you
            return Understanding(greeting.label, greeting.confidence, read)
        if refusals:
            best = max(refusals, key=lambda s: s.confidence)
            return Understanding(NO_ACTION, best.confidence, read)
        if best_action:
            return Understanding(best_action.label, best_action.confidence, read, offer)
        best = max(read, key=lambda s: (s.label != PREAMBLE, s.confidence))
        return Understanding(best.label, best.confidence, read)

    def clashes(self, examples: dict[str, list[str]], folds: int = 5) -> list[Clash]:
        """Examples read as another label by a model trained without them (k-fold)."""
        found: list[Clash] = []
        items = [(text, label) for label, texts in examples.items() for text in texts]
        for k in range(folds):
            held = [item for i, item in enumerate(items) if i % folds == k]
            kept: dict[str, list[str]] = {}
            for i, (text, label) in enumerate(items):
                if i % folds != k:
                    kept.setdefault(label, []).append(text)
            model = Recognizer(kept)
            for text, label in held:
                read_as = model.classify(text)[0][0]
                if read_as != label:
                    found.append(Clash(text, label, read_as))
        return found


def _with_bigrams(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _training_set(examples: dict[str, list[str]], kb_questions: Sequence[str]) -> tuple[list[str], list[str]]:
    texts = [as_read(t) for label in examples for t in examples[label]]  # read as a message is
    labels = [label for label in examples for _ in examples[label]]
    known = set(texts)
    extra = [q for q in dict.fromkeys(kb_questions) if q not in known]
    if len(extra) > KB_QUESTION_EXAMPLES:  # a deterministic sample of a large imported FAQ
        extra = sorted(extra, key=lambda q: hashlib.sha1(q.encode()).hexdigest())[:KB_QUESTION_EXAMPLES]
    return texts + extra, labels + [QUESTION] * len(extra)


def _outweighs(not_ours: Sentence, question: Sentence) -> bool:
    """A sentence read as no page's question is what the message asks, more surely than the
    question beside it; a wish that asks nothing (「…wifi速いとこがいい」) never is."""
    wishes = looks_like_question(question.text) and not looks_like_question(not_ours.text)
    return not_ours.confidence >= ACT and not_ours.confidence > question.confidence and not wishes


_built: weakref.WeakKeyDictionary[KnowledgeBase, Recognizer] = weakref.WeakKeyDictionary()
_building = threading.Lock()


def kb_questions(kb: KnowledgeBase) -> list[str]:
    """The knowledge base's own questions: examples of the question class. Of a phrasing written
    in several sentences, only the sentences that ask (end in ？) are taken: its self-introduction
    (「北見の母です。」) or its reason (「息子に教えてやりたくて。」) would teach the question class
    what preamble sounds like."""
    return [q for e in kb.entries for phrasing in e.phrasings for q in _asking(phrasing)]


def _asking(phrasing: str) -> list[str]:
    sentences = split_sentences(phrasing, spoken=False)  # an entry's phrasings are punctuated
    if len(sentences) <= 1:
        return [phrasing]
    return [s for s in sentences if s.endswith(("？", "?"))]


def recognizer_for(kb: KnowledgeBase) -> Recognizer:
    """The recognizer for ``kb``: built once per process and knowledge base (a fit takes seconds
    and is cached on disk; loading the cached fit, well under one)."""
    with _building:
        if kb not in _built:
            _built[kb] = Recognizer(read_examples(), kb_questions(kb))
        return _built[kb]


def read_message(kb: KnowledgeBase, text: str) -> Reading:
    """What a typed message asks for, and the searches its turn will make (see bot.understanding)."""
    from intents.faq import question_texts

    recognizer = recognizer_for(kb)
    understood = recognizer(text)
    reading = Reading(understood)
    if understood.label in recognizer.actions and understood.confidence >= SURE:
        return reading  # acted on without a search
    texts = question_texts(understood, text)
    if understood.label not in (QUESTION, *NOT_ACTIONS):
        texts.append(text)  # asks_for weighs a likely action against the knowledge base's answer
    for searched in dict.fromkeys(texts):
        reading.matches[searched] = kb.match(searched)
    social = understood.otherwise
    if social is not None and all(m.outcome != "answer" for m in reading.matches.values()):
        reading.understood = Understanding(social.label, social.confidence, understood.sentences)
    return reading


def asks_for(ctx: Context, action: str) -> bool:
    """The typed message asks for ``action``: surely, or likely and not better read as a question
    the knowledge base answers (「灯油代はいくらか息子に教えたい」 wants the answer, not the referral
    message; the referral is then offered as a button beside it)."""
    understood = ctx.understood
    if not understood.asks_for(action):
        return False
    if understood.confidence >= SURE:
        return True
    return ctx.match(ctx.text).outcome != "answer"
