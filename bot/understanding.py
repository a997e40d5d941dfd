"""What a message means, decided once per turn by the recognizer and read by every intent.

A message is read sentence by sentence: a parent's 「いつもお世話になっております。娘が東京におります。
娘にもこれを教えたいのですが」 is two sentences that ask for nothing (preamble) and one request.
The recognizer lives with the intents (it is trained on their examples); this module only names
what it returns, so the router and the forms can carry it without importing intents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from knowledge import KnowledgeBase, Match
from knowledge.normalize import is_english

# At or above ACT a recognized action is taken; between OFFER and ACT it is offered as a button
# beside the answers; below, it is not mentioned. Chosen on the dev split (docs/understanding.md).
ACT = 0.35
OFFER = 0.2
SURE = 0.6  # sure enough to act even where another reading is possible
LEANING = 20  # a question this short after a statement is read with it
# Beside a surer question, a sentence read as a question less surely than this is an aside
# ("Is office rent cheaper? asking for my startup"): not searched on its own.
ASIDE = 0.3
SCENE_SETTING = 0.5  # read as preamble at least this surely, a clause or sentence only sets the scene
# A question that opens by pointing back (「そういう場合でも…」「こういうのは…」) asks about what the
# sentence before it said, whatever its length: it is searched together with that sentence.
POINTS_BACK = re.compile(
    r"^(そういう|そういった|そうゆう|そんな|その場合|そのばあい|この場合|このばあい|こういう|こういった|それでも|そこ(は|って|の))"
)
# "Is that true?" asks about what the sentence before it said (「…お金がでるって近所の人にきいたのさ。
# ほんとうかい？」), whatever the words.
IS_IT_TRUE = re.compile(
    r"^(ほんと|本当|ホント|マジ|まじ)う?(に|なの|なん)?(です|でしょう|だべ|だ)?(か|かい|かね|かな|の|な|ね|よ)*"
    r"[？?！!。…ー〜\s]*$|^[Rr]eally[?!.\s]*$"
)
# In English, a follow-up that goes on (「and is the pay ok」) does the same, and so does a short one
# that names what was said by a pronoun (「Is there any subsidy for that?」).
GOES_ON = re.compile(r"^([Aa]nd|[Aa]lso|[Pp]lus|[Oo]r)\b")
NAMES_WHAT_WAS_SAID = re.compile(r"\b([Tt]hat|[Ii]t|[Tt]his|[Tt]hose|[Tt]hese|them)\b")  # not "IT"
SHORT_FOLLOW_UP = 40


def points_back(sentence: str) -> bool:
    """``sentence`` asks about what the sentence before it said (see POINTS_BACK and IS_IT_TRUE)."""
    if POINTS_BACK.match(sentence) or IS_IT_TRUE.match(sentence):
        return True
    short = len(sentence) <= SHORT_FOLLOW_UP
    return is_english(sentence) and bool(
        GOES_ON.match(sentence) or (short and NAMES_WHAT_WAS_SAID.search(sentence))
    )


QUESTION = "question"  # a question for the knowledge base
NO_ACTION = "no_action"  # mentions an action without asking for it (「登録はまだいいです」)
PREAMBLE = "preamble"  # self-introductions and pleasantries: no weight
NOT_OURS = "not_ours"  # a question no page of the city's answers (a shop, a ticket, today's weather)
SOCIAL = frozenset({"greeting", "thanks"})
NOT_ACTIONS = frozenset({QUESTION, NO_ACTION, PREAMBLE, NOT_OURS, *SOCIAL})  # every other label is an action


@dataclass(frozen=True)
class Sentence:
    text: str
    label: str
    confidence: float  # the recognizer's probability of ``label`` (0–1)

    @property
    def unsure_request(self) -> bool:
        """Read as an action too unsurely to act on: it may be a question naming an action's words."""
        return self.label not in NOT_ACTIONS and self.confidence < ACT

    def surely(self, label: str) -> bool:
        return self.label == label and self.confidence >= SURE

    @property
    def sets_the_scene(self) -> bool:
        return self.label == PREAMBLE and self.confidence >= SCENE_SETTING

    @property
    def open(self) -> bool:
        """A sentence of substance the recognizer could not place (an unsure request, a doubtful
        preamble or refusal: 「実家をリフォームしようかと娘夫婦と話しておりまして、補助金のような
        ものは…」): after a greeting, it is what the message is about."""
        doubtful = (self.label == PREAMBLE and not self.sets_the_scene) or (
            self.label == NO_ACTION and self.confidence < ACT
        )
        return (self.unsure_request or doubtful) and len(self.text) > LEANING


@dataclass(frozen=True)
class Understanding:
    """The message's main reading (``label``, ``confidence``) and each of its sentences."""

    label: str
    confidence: float
    sentences: tuple[Sentence, ...] = ()
    # The most likely action (at least OFFER): a button beside the answer when it isn't acted on.
    runner_up: Sentence | None = None
    # A greeting or thanks read as a question because of an open sentence beside it: what the
    # message is if that question finds no answer (「こんばんは。娘から教えてもらって使ってみる
    # ことにしました」 is a greeting).
    otherwise: Sentence | None = None

    def means(self, label: str, at_least: float) -> bool:
        return self.label == label and self.confidence >= at_least

    def asks_for(self, label: str) -> bool:
        """The message asks for ``label`` confidently enough to act on it."""
        return self.means(label, ACT)

    @property
    def questions(self) -> tuple[str, ...]:
        """The sentences to search the knowledge base with, in the order they were written."""
        return tuple(text for text, _confidence in self._asked())

    def surest_questions(self, limit: int) -> tuple[str, ...]:
        """The ``limit`` texts most surely asked, in the order they were written: a statement
        that reads a little like a question (「娘が妊娠中で、北見で出産するか迷っています」) gives way
        to the two questions after it."""
        asked = list(self._asked())
        kept = sorted(range(len(asked)), key=lambda at: asked[at][1], reverse=True)[:limit]
        return tuple(asked[at][0] for at in sorted(kept))

    def with_the_sentence_before(self, text: str) -> str | None:
        """``text``, a sentence searched alone, joined with the sentence before it when that one is
        no question, greeting or thanks (a statement, preamble, or a request too unsure to act on,
        which was searched too); None when there is none."""
        for at, sentence in enumerate(self.sentences[1:], start=1):
            before = self.sentences[at - 1]
            if sentence.text == text and before.label not in (QUESTION, *SOCIAL):
                return f"{before.text}{text}"
        return None

    def _asked(self) -> list[tuple[str, float]]:
        """(text to search, how surely it is a question) for each sentence searched.

        A short question after a statement leans on it (「親向けのセミナーがあると聞きました。どんな
        内容ですか」): it is searched together with that statement. An aside beside a surer
        question is not searched (see ASIDE).
        """
        # A request too unsure to act on may be a question that names an action's words ("Can I do
        # the relocation consultation over video call?"): it is searched, and is no aside.
        unsure = [s.unsure_request for s in self.sentences]
        surest = max((s.confidence for s in self.sentences if s.label == QUESTION), default=0.0)
        floor = ASIDE if any(unsure) else min(surest, ASIDE)
        asked = [
            weak or (s.label == QUESTION and s.confidence >= floor)
            for s, weak in zip(self.sentences, unsure, strict=True)
        ]
        found: list[tuple[str, float]] = []
        pointed_back_at: int | None = None  # the last question searched with what it points back to
        for at, sentence in enumerate(self.sentences):
            if not asked[at]:
                continue
            # An unsure request is as surely a question as it is not the request.
            sureness = sentence.confidence if sentence.label == QUESTION else 1 - sentence.confidence
            before = self.sentences[at - 1] if at else None
            if before is not None and before.label not in SOCIAL and points_back(sentence.text):
                # 「…テレワークで戻りたいと言ってます。そういう場合でも支援金は…」: the sentence before is
                # what is asked about, not a question of its own (unless surely one: "What jobs are
                # there besides IT? and is the pay ok" asks both).
                if found and asked[at - 1] and found[-1][0] == before.text and not before.surely(QUESTION):
                    sureness = max(sureness, found.pop()[1])
                found.append((f"{before.text}{sentence.text}", sureness))
                pointed_back_at = at
                continue
            if pointed_back_at == at - 1 and len(sentence.text) <= LEANING:
                # A short question after one that points back asks about the same thing: in 「…戻って
                # きたらお金がでるってきいたのさ。ほんとうかい？いくらくらいでるもんだべか」 how much of
                # that money. Only after pointing back: in 「移住支援金っていくら？子どもの加算もある
                # って本当？」 the short question after the first asks something of its own.
                found.append((f"{found[-1][0]}{sentence.text}", sureness))
                pointed_back_at = at
                continue
            # A greeting or a thank-you before it says nothing a question could lean on.
            leans = (
                before is not None
                and not asked[at - 1]
                and not before.surely(PREAMBLE)
                and before.label not in SOCIAL
            )
            if before is not None and leans and len(sentence.text) <= LEANING:
                found.append((f"{before.text}{sentence.text}", sureness))
            else:
                found.append((sentence.text, sureness))
        return found


NOTHING = Understanding("", 0.0)  # a button press, an event, an empty message


@dataclass
class Reading:
    """A typed message read before its turn's transaction: what it asks for, and the knowledge
    base's decisions for the texts the turn will search. Reading needs no database and is the
    costly part of a turn (a classifier, a sentence vector), so adapters read first and hold the
    database (on SQLite, its one writer) only for the turn itself. Nothing of it outlives the turn.
    """

    understood: Understanding
    matches: dict[str, Match] = field(default_factory=dict)
    kb: KnowledgeBase | None = field(default=None, repr=False)  # the knowledge it was read with


NOT_READ = Reading(NOTHING)

Read = Callable[[KnowledgeBase, str], Reading]
