"""`concierge kb …`: check, import and evaluate the knowledge base (and, in gaps.py, find what's missing)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bot.cli.gaps import gaps
from bot.cli.understanding import calibrate, evaluate_message_set, examples, is_message_set, vectors
from knowledge import KnowledgeBase
from knowledge.checks import Seen, entry_problems
from knowledge.evaluation import evaluate, read_labelled
from knowledge.loading import (
    BUNDLED,
    KnowledgeFormatError,
    entries_from_csv,
    entry_from_dict,
    read_raw_entries,
)

app = typer.Typer(help="Knowledge base: check, import, evaluate, gaps.", no_args_is_help=True)
app.command()(gaps)
app.command()(calibrate)
app.command()(vectors)
app.command()(examples)
console = Console()


def problems(path: Path, today: date) -> tuple[list[str], list[str]]:
    """(errors, warnings) for every YAML file under ``path``."""
    errors: list[str] = []
    warnings: list[str] = []
    seen = Seen()
    try:
        raws = list(read_raw_entries(path))
    except (KnowledgeFormatError, yaml.YAMLError) as exc:
        return [str(exc)], []
    for raw, where in raws:
        try:
            entry = entry_from_dict(raw, where)
        except KnowledgeFormatError as exc:
            errors.append(str(exc))
            continue
        found, warned = entry_problems(entry, where, today, seen)
        errors.extend(found)
        warnings.extend(warned)
    return errors, warnings


@app.command()
def check(path: Annotated[Path, typer.Argument(help="Folder or file of knowledge YAML")] = BUNDLED) -> None:
    """Schema, duplicate ids/questions, sources and review dates. Exit 1 on errors."""
    errors, warnings = problems(path, date.today())
    for message in errors:
        console.print(f"[red]error[/] {message}", highlight=False)
    for message in warnings:
        console.print(f"[yellow]warning[/] {message}", highlight=False)
    if not errors:
        kb = KnowledgeBase.load(path)
        table = Table("category", "entries", "with English")
        categories = Counter(e.category for e in kb.entries)
        english = Counter(e.category for e in kb.entries if e.answer_en)
        for category, count in categories.items():
            table.add_row(category, str(count), str(english[category]))
        console.print(table)
        console.print(f"{len(kb)} entries, {len(errors)} errors, {len(warnings)} warnings")
    raise typer.Exit(1 if errors else 0)


@app.command("import")
def import_csv(
    file: Annotated[Path, typer.Argument(help="CSV with question, answer (optional id, category)")],
    output: Annotated[Path, typer.Option("-o", "--output")] = BUNDLED / "imported.yaml",
) -> None:
    """Write CSV rows as YAML entries; `kb check` flags them until a person adds sources and reviews them."""
    entries = entries_from_csv(file)
    document: dict[str, Any] = {
        "entries": [
            {
                "id": e.id,
                "category": e.category,
                "questions": list(e.questions),
                "answer": e.answer,
                "sources": [
                    {"title": file.name, "url": f"file:{file.name}", "date": date.today().isoformat()}
                ],
                "reviewed": None,
            }
            for e in entries
        ]
    }
    output.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    console.print(f"wrote {len(entries)} entries to {output}", highlight=False)


@app.command("eval")
def eval_command(
    file: Annotated[
        Path, typer.Argument(help="Labelled questions: YAML (q, expect) or CSV (question, expected)")
    ],
    kb_path: Annotated[
        Path | None, typer.Option("--kb", help="Knowledge YAML folder (default: bundled)")
    ] = None,
    csv_kb: Annotated[
        Path | None, typer.Option("--csv", help="Evaluate a knowledge base imported from CSV")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON")] = False,
    show_misses: Annotated[bool, typer.Option("--misses", help="List the questions it got wrong")] = False,
) -> None:
    """Top-1/3/5, MRR and out-of-scope precision on a labelled question file; on a set of labelled
    messages (tests/data/blind), the whole flow: actions recognized, answers right, confident wrong."""
    kb = KnowledgeBase.from_csv(csv_kb) if csv_kb else KnowledgeBase.load(kb_path)
    if is_message_set(file):
        evaluate_message_set(file, kb, as_json=as_json, show_misses=show_misses)
        return
    questions = read_labelled(file)
    with Progress(console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("evaluating", total=len(questions))
        report = evaluate(kb, questions, lambda: progress.advance(task))
    numbers = report.as_dict()
    if as_json:
        print(json.dumps(numbers))
        return
    table = Table("metric", "value")
    for name, value in numbers.items():
        table.add_row(name, f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(table)
    if show_misses:
        for question, expected, got in report.misses:
            console.print(f"{question!r}: expected {expected or 'none'}, got {got}", highlight=False)
