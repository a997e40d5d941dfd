"""Whole-flow evaluation: labelled messages said to the concierge, each by a new person, scored by
what the person would have got — the action taken, the entry answered, the buttons offered.

A labelled set is a YAML list of ``{text, label, topics}`` (tests/data/blind/): ``label`` is an
action, ``faq`` (``topics``: the entries that answer it), ``no_action`` (mentions an action without
asking for it) or ``out_of_scope`` (must not be answered).
"""

from __future__ import annotations

import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.dispatcher import Turn
from bot.messages import Channel, Incoming
from bot.settings import Settings
from bot.understanding import SOCIAL, Reading
from knowledge import KnowledgeBase
from knowledge.normalize import is_english

FAQ, NO_ACTION, OUT_OF_SCOPE = "faq", "no_action", "out_of_scope"
SUGGESTED, DECLINED = "suggested", "declined"  # what a message got when it was neither acted on nor answered
LENGTH_BUCKETS = ((20, "≤20"), (35, "21–35"), (10**9, ">35"))


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str
    topics: frozenset[str] = frozenset()

    @property
    def length_bucket(self) -> str:
        return next(name for limit, name in LENGTH_BUCKETS if len(self.text) <= limit)

    @property
    def language(self) -> str:
        return "en" if is_english(self.text) else "ja"


def read_labelled_messages(path: Path) -> list[Labelled]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Labelled(str(r["text"]), str(r["label"]), frozenset(r.get("topics") or ())) for r in rows]


@dataclass(frozen=True)
class Result:
    item: Labelled
    got: str  # an action, "faq", "no_action", "suggested" or "declined"
    answered: str | None  # the entry answered
    shown: tuple[str, ...]  # entries answered or offered, best first
    ranked: tuple[str, ...] = ()  # a question's best three entries for its question sentences

    @property
    def asks_for_an_action(self) -> bool:
        """The message asks for one of the actions (not a question, a refusal or out of scope)."""
        return self.item.label not in (FAQ, NO_ACTION, OUT_OF_SCOPE)

    @property
    def right_in_top3(self) -> bool:
        """An entry the question asks about is among the three the search ranked best."""
        return bool(set(self.ranked[:3]) & self.item.topics)

    @property
    def action_taken(self) -> bool:
        """Something was done (a form started, staff alerted…); a greeting or thanks does nothing."""
        return self.got not in (FAQ, NO_ACTION, SUGGESTED, DECLINED, *SOCIAL)

    @property
    def right(self) -> bool:
        label = self.item.label
        if label == FAQ:
            return self.answered in self.item.topics
        if label in (NO_ACTION, OUT_OF_SCOPE):
            return not self.action_taken and self.answered is None
        return self.got == label

    @property
    def confidently_wrong(self) -> bool:
        """Did something the person didn't ask for: a wrong answer or an unasked action."""
        if self.answered is not None:
            return self.item.label != FAQ or self.answered not in self.item.topics
        return self.action_taken and self.got != self.item.label


def classify_turn(turn: Turn) -> tuple[str, str | None, tuple[str, ...]]:
    """(what happened, the entry answered, the entries shown) for one turn."""
    offered = tuple(
        c.payload.split(":", 1)[1] for c in turn.response.choices if c.payload.startswith(("faq:", "faq-en:"))
    )
    if turn.intent == "faq" and turn.entry_id:
        return FAQ, turn.entry_id, (turn.entry_id, *offered)
    if turn.action:  # the intent's own action (see Router: an intent with one action takes it)
        return turn.action, None, offered
    return (SUGGESTED if offered else DECLINED), None, offered


@dataclass
class EvaluationReport:
    results: list[Result] = field(default_factory=list)

    def _share(self, rows: Iterable[Result], test: Callable[[Result], bool]) -> tuple[float, int]:
        rows = list(rows)
        return (sum(map(test, rows)) / len(rows) if rows else 0.0), len(rows)

    def _of(self, *labels: str) -> list[Result]:
        return [r for r in self.results if r.item.label in labels]

    @property
    def action_labels(self) -> list[str]:
        return sorted({r.item.label for r in self.results if r.asks_for_an_action})

    def summary(self) -> dict[str, Any]:
        actions = [r for r in self.results if r.asks_for_an_action]
        faq = self._of(FAQ)
        out = self._of(OUT_OF_SCOPE)
        numbers: dict[str, Any] = {
            "messages": len(self.results),
            "actions_recognized": self._share(actions, lambda r: r.right)[0],
            "faq_top1": self._share(faq, lambda r: r.right)[0],
            "faq_top3": self._share(faq, lambda r: r.right_in_top3)[0],
            "faq_suggested": self._share(faq, lambda r: r.got == SUGGESTED)[0],
            "faq_declined": self._share(faq, lambda r: r.got == DECLINED)[0],
            "out_of_scope_declined": self._share(out, lambda r: r.got in (DECLINED, NO_ACTION))[0],
            "out_of_scope_not_answered": self._share(out, lambda r: r.right)[0],
            "no_action_kept": self._share(self._of(NO_ACTION), lambda r: r.right)[0],
            "confidently_wrong": self._share(self.results, lambda r: r.confidently_wrong)[0],
        }
        return numbers

    def by(self, key: Callable[[Result], str]) -> dict[str, tuple[float, int]]:
        """Share right per group (length bucket, language, persona…)."""
        groups: dict[str, list[Result]] = {}
        for r in self.results:
            groups.setdefault(key(r), []).append(r)
        order = [name for _limit, name in LENGTH_BUCKETS]  # short to long, not alphabetical
        ranked = sorted(groups.items(), key=lambda g: (order.index(g[0]) if g[0] in order else 99, g[0]))
        return {name: self._share(rows, lambda r: r.right) for name, rows in ranked}

    def per_label(self) -> dict[str, tuple[float, float, int]]:
        """(precision, recall, count) for every label the set has, and for faq answers."""
        table: dict[str, tuple[float, float, int]] = {}
        for label in sorted({r.item.label for r in self.results}):
            if label in (NO_ACTION, OUT_OF_SCOPE):
                continue
            target = FAQ if label == FAQ else label
            taken = [r for r in self.results if r.got == target]
            precise = [r for r in taken if r.item.label == label and (label != FAQ or r.right)]
            rows = self._of(label)
            recall = sum(r.right for r in rows) / len(rows) if rows else 0.0
            table[label] = (len(precise) / len(taken) if taken else 1.0, recall, len(rows))
        return table

    def confusion(self) -> Counter[tuple[str, str]]:
        """(label, what it got) for every message that didn't get its label."""
        return Counter((r.item.label, r.got) for r in self.results if not r.right)


def ranked_entries(kb: KnowledgeBase, text: str, reading: Reading | None = None) -> tuple[str, ...]:
    """The three entries ranked best for any of the message's question sentences: as the turn
    ranked them (``reading``, the message as the turn read it), or searched afresh where the turn
    searched none of them (it took an action it was sure of)."""
    from intents.faq import question_texts
    from intents.recognizer import recognizer_for

    understood = reading.understood if reading is not None else recognizer_for(kb)(text)
    texts = question_texts(understood, text)
    decided = reading.matches if reading is not None else {}
    if all(t in decided for t in texts):
        hits = [h for t in texts for h in decided[t].ranked]
    else:
        hits = [h for t in texts for h in kb.search(t, 3)]
    hits.sort(key=lambda h: h.score, reverse=True)
    return tuple(dict.fromkeys(h.entry.id for h in hits))[:3]


def evaluate_messages(
    items: Iterable[Labelled],
    kb: KnowledgeBase | None = None,
    progress: Callable[[], None] | None = None,
) -> EvaluationReport:
    """Each message said by a new person to a concierge on a throwaway SQLite database."""
    from bot.services import Concierge

    report = EvaluationReport()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite:///{Path(folder) / 'evaluation.db'}",
            rate_limit_per_minute=10**6,
        )
        concierge = Concierge.build(settings, kb=kb)
        concierge.migrate_if_embedded()
        dispatcher = concierge.dispatcher
        try:
            for item in items:
                item = Labelled(item.text, item.label, concierge.kb.current_ids(item.topics))
                message = Incoming(Channel.WEB, uuid.uuid4().hex, text=item.text)
                # As the adapters do: read first, then the turn in its transaction, which decides
                # the searches into this same reading.
                reading = dispatcher.read(message)
                with dispatcher.db.transaction() as session:
                    turn = dispatcher.handle_within(session, message, reading)
                got, answered, shown = classify_turn(turn)
                # Only a question's ranking is scored (top-3); an action's would be a search for nothing.
                ranked = ranked_entries(concierge.kb, item.text, reading) if item.label == FAQ else ()
                report.results.append(Result(item, got, answered, shown, ranked))
                if progress:
                    progress()
        finally:
            concierge.close()
    return report
