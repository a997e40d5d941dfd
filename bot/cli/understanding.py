"""`concierge kb calibrate / vectors / examples` and the whole-flow `kb eval` of labelled messages."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bot.evaluation import EvaluationReport, evaluate_messages, read_labelled_messages
from knowledge import KnowledgeBase
from knowledge.evaluation import read_labelled

console = Console()
BLIND = Path("tests/data/blind")
DEV_SETS = tuple(sorted(BLIND.glob("dev*.yaml"), key=lambda p: int(p.stem[3:] or 1)))
# Written to teach one kind of message (out-of-scope questions): fitted on, thresholds not read there.
TRAINING_SETS = (BLIND / "train3.yaml",)
TEAM_SETS = tuple(sorted(Path("tests/data").glob("eval_*.yaml")))


def is_message_set(path: Path) -> bool:
    """A list of ``{text, label}`` (a whole-flow set) rather than ``questions: [{q, expect}]``."""
    import yaml

    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(document, list)


def _question_texts(kb: KnowledgeBase, text: str) -> list[str]:
    """What the FAQ intent searches for a message: its question sentences, or the whole of it."""
    from intents.faq import question_texts
    from intents.recognizer import recognizer_for

    return question_texts(recognizer_for(kb)(text), text)


def calibrate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Labelled sets (default: the team's sets, the blind dev splits and train3); "
            "a set named train* shapes the model but not the thresholds"
        ),
    ] = None,
    precision: Annotated[float, typer.Option(help="Share of answers that must be right")] = 0.96,
    declined: Annotated[
        float, typer.Option(help="Share of out-of-scope questions that get no 「もしかして」 either")
    ] = 0.65,
) -> None:
    """Fit the answer / suggest / decline decision on labelled questions; writes knowledge/decision.json."""
    from knowledge import calibration

    kb = KnowledgeBase.load()
    examples: list[calibration.Example] = []
    words_only: list[calibration.Example] = []
    both: list[tuple[int, int, calibration.Example]] = []  # read both ways: (words-only, full) index
    paths = files or [*TEAM_SETS, *DEV_SETS, *TRAINING_SETS]
    for path in paths:
        natural = not path.name.startswith("train")
        if is_message_set(path):
            items = [
                (text, item.topics, item.label == "faq")
                for item in read_labelled_messages(path)
                if item.label in ("faq", "out_of_scope")
                for text in _question_texts(kb, item.text)
            ]
        else:
            items = [(q.question, q.expected, q.in_scope) for q in read_labelled(path)]
        for text, expected, in_scope in items:
            at: dict[bool, int] = {}
            for semantic, found in ((True, examples), (False, words_only)):
                signals, ids = kb.signals(text, semantic=semantic)
                if signals is not None:
                    right = bool(ids and ids[0] in expected)
                    at[semantic] = len(found)
                    found.append(calibration.Example(signals, right, in_scope, natural))
            if len(at) == 2:
                both.append((at[False], at[True], examples[at[True]]))
    result = calibration.fit(examples, precision=precision, declined=declined, blended=True)
    by_words = calibration.fit(words_only, precision=precision, declined=declined)
    by_words = replace(by_words, hopeless_at=calibration.hopeless(by_words, result, both))
    calibration.write(result, by_words, [str(p) for p in paths])
    table = Table("confidence", "answers", "right", "share right")
    for band in result.reliability:
        share = f"{band.right / band.answers:.2f}" if band.answers else "-"
        table.add_row(f"{band.low:.1f}–{band.high:.1f}", str(band.answers), str(band.right), share)
    console.print(table)
    console.print(
        f"{result.examples} examples; answer at {result.answer_at}, suggest at {result.suggest_at}; "
        f"{len(result.trees)} trees; by words alone: sure at {by_words.sure_at}, "
        f"hopeless under {by_words.hopeless_at}, "
        f"answer at {by_words.answer_at}",
        highlight=False,
    )


def vectors() -> None:
    """Rebuild knowledge/vectors.npz: the bundled entries' sentence vectors, shipped with the package."""
    from knowledge.semantic import (
        PASSAGE,
        QUERY,
        SHIPPED,
        default_embedder,
        entry_texts,
        vector_key,
        write_vectors,
    )

    embedder = default_embedder()
    if embedder is None:
        console.print("[red]no sentence-vector model on this machine[/]")
        raise typer.Exit(1)
    kb = KnowledgeBase.load(semantic=False)
    phrasings, openings = entry_texts(kb.entries)
    questions = [q for qs in phrasings for q in qs]
    found: dict[str, Any] = {}
    for kind, texts in ((QUERY, questions), (PASSAGE, openings)):
        for text, vector in zip(texts, embedder.embed(texts, kind), strict=True):
            found[vector_key(kind, text)] = vector
    write_vectors(SHIPPED, embedder.name, found)
    console.print(f"wrote {len(found)} vectors to {SHIPPED}", highlight=False)


def examples(
    folds: Annotated[int, typer.Option(help="Cross-validation folds")] = 5,
) -> None:
    """Examples read as another intent, or as a question, by a model trained without them."""
    from intents.recognizer import Recognizer, kb_questions, read_examples

    data = read_examples()
    kb = KnowledgeBase.load(semantic=False)
    data["question"] = [*data.get("question", []), *kb_questions(kb)]
    clashes = Recognizer(data).clashes(data, folds)
    for clash in clashes:
        console.print(f"{clash.label:>15} read as {clash.read_as:<15} {clash.text}", highlight=False)
    total = sum(len(v) for v in data.values())
    console.print(f"{len(clashes)} of {total} examples clash ({len(clashes) / total:.1%})", highlight=False)


def evaluate_message_set(path: Path, kb: KnowledgeBase, *, as_json: bool, show_misses: bool) -> None:
    items = read_labelled_messages(path)
    with Progress(console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("evaluating", total=len(items))
        report = evaluate_messages(items, kb, lambda: progress.advance(task))
    if as_json:
        print(json.dumps(report_numbers(report), ensure_ascii=False))
        return
    print_report(report)
    if show_misses:
        for r in report.results:
            if not r.right:
                expected = ",".join(sorted(r.item.topics)) or r.item.label
                console.print(f"{expected} ← got {r.answered or r.got}: {r.item.text!r}", highlight=False)


def report_numbers(report: EvaluationReport) -> dict[str, Any]:
    return {
        **{k: round(v, 4) if isinstance(v, float) else v for k, v in report.summary().items()},
        "by_length": {k: [round(v, 4), n] for k, (v, n) in report.by(lambda r: r.item.length_bucket).items()},
        "by_language": {k: [round(v, 4), n] for k, (v, n) in report.by(lambda r: r.item.language).items()},
        "per_label": {k: [round(p, 4), round(r, 4), n] for k, (p, r, n) in report.per_label().items()},
    }


def print_report(report: EvaluationReport) -> None:
    table = Table("metric", "value")
    for name, value in report.summary().items():
        table.add_row(name, f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(table)
    for title, key in (
        ("length", lambda r: r.item.length_bucket),
        ("language", lambda r: r.item.language),
    ):
        groups = Table(title, "right", "messages")
        for name, (share, count) in report.by(key).items():
            groups.add_row(name, f"{share:.3f}", str(count))
        console.print(groups)
    labels = Table("label", "precision", "recall", "messages")
    for label, (precision, recall, count) in report.per_label().items():
        labels.add_row(label, f"{precision:.2f}", f"{recall:.2f}", str(count))
    console.print(labels)
    confusion = Table("label", "got instead", "times")
    for (label, got), times in report.confusion().most_common():
        confusion.add_row(label, got, str(times))
    console.print(confusion)
