"""Which parts of the engine earn their place: ablations and the tokenizer comparison (not a test).

Two measurements per variant:
  * the evaluation set in tests/data (top-1, top-3, out-of-scope declined);
  * leave-one-question-out over the knowledge base itself — each entry's last question is the
    query and is removed from the index — a stand-in for FAQ search in general, since the
    public municipal benchmark is held back from this project.

    .venv/bin/python bench/retrieval_ablation.py            # needs sudachipy + sudachidict_core for
                                                           # the tokenizer row (pip install them)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from knowledge import KnowledgeBase, engine
from knowledge.evaluation import evaluate, read_evaluation_set
from knowledge.synonyms import Synonyms

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = ("W_MORPH_ALL", "W_MORPH_QUESTION", "W_BIGRAM_ALL", "W_BIGRAM_QUESTION", "W_FUZZ")


@contextmanager
def patched(**values: object) -> Iterator[None]:
    saved = {name: getattr(engine, name) for name in values}
    for name, value in values.items():
        setattr(engine, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(engine, name, value)


def leave_one_out(kb: KnowledgeBase, synonyms: Synonyms | None) -> tuple[float, float]:
    held = [e for e in kb.entries if len(e.questions) >= 2]
    index = KnowledgeBase(
        [replace(e, questions=e.questions[:-1]) if e in held else e for e in kb.entries], synonyms
    )
    top1 = top5 = 0
    for entry in held:
        ranked = [h.entry.id for h in index.search(entry.questions[-1], limit=5)]
        top1 += bool(ranked) and ranked[0] == entry.id
        top5 += entry.id in ranked
    return top1 / len(held), top5 / len(held)


def sudachi_morphemes() -> object:
    from sudachipy import dictionary, tokenizer

    from knowledge.normalize import to_katakana
    from knowledge.tokenize import _DROPPED_POS, _STOP_LEMMAS

    tok = dictionary.Dictionary().tokenizer()
    mode = tokenizer.Tokenizer.SplitMode.C

    def morphemes(text: str) -> tuple[str, ...]:
        out = []
        for m in tok.tokenize(text, mode):
            if m.part_of_speech()[0] in _DROPPED_POS or m.normalized_form() in _STOP_LEMMAS:
                continue
            out.append(to_katakana(m.normalized_form()))
        return tuple(out)

    return morphemes


def row(name: str, synonyms: Synonyms | None = None) -> None:
    base = KnowledgeBase.load()
    kb = KnowledgeBase(base.entries, synonyms) if synonyms is not None else base
    questions = read_evaluation_set(ROOT / "tests" / "data")
    started = time.perf_counter()
    numbers = evaluate(kb, questions).as_dict()
    per_query = (time.perf_counter() - started) / len(questions) * 1000
    loo1, loo5 = leave_one_out(kb, synonyms)
    print(
        f"| {name} | {numbers['top1']:.3f} | {numbers['top3']:.3f} | {numbers['out_of_scope_declined']:.3f} "
        f"| {loo1:.3f} | {loo5:.3f} | {per_query:.2f} |"
    )


def main() -> None:
    columns = (
        "variant",
        "eval top-1",
        "eval top-3",
        "out-of-scope declined",
        "held-out top-1",
        "held-out top-5",
    )
    print("| " + " | ".join((*columns, "ms/query")) + " |")
    print("|---|---|---|---|---|---|---|")
    row("full engine (fugashi + unidic-lite)")
    row("no synonyms", Synonyms([]))
    with patched(W_FUZZ=0.0):
        row("no rapidfuzz term")
    with patched(W_MORPH_QUESTION=0.0, W_BIGRAM_QUESTION=0.0):
        row("no question-field scores")
    with patched(W_BIGRAM_ALL=0.0, W_BIGRAM_QUESTION=0.0):
        row("morphemes only (no bigrams)")
    with patched(W_MORPH_ALL=0.0, W_MORPH_QUESTION=0.0):
        row("bigrams only (no morphemes)")
    try:
        sudachi = sudachi_morphemes()
    except ImportError:
        print("| SudachiPy | (not installed) | | | | | |")
        return
    with patched(morphemes=sudachi):
        row("SudachiPy + sudachidict-core (mode C, normalized forms)")


if __name__ == "__main__":
    main()
