"""`concierge events …`: import events from a city spreadsheet, list them, see who applied."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.clock import utcnow
from bot.settings import Settings
from bot.storage import Database, upgrade
from desk import events as desk

app = typer.Typer(help="Events: import, list, applicants.", no_args_is_help=True)
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


@contextmanager
def _database() -> Iterator[Database]:
    db = Database(Settings().database_url)
    if db.is_sqlite:  # a laptop has no release step; PostgreSQL is migrated with `concierge db upgrade`
        upgrade(db)
    try:
        yield db
    finally:
        db.dispose()


@app.command("import")
def import_events(
    file: Annotated[Path, typer.Argument(help="CSV in UTF-8 or CP932 (Excel), one event a row", exists=True)],
) -> None:
    """Create events, or update those whose 管理番号 (ref) is known; bad rows are listed, not imported."""
    with _database() as db, db.transaction() as session:
        result = desk.import_csv(session, file.read_bytes(), utcnow())
    console.print(f"created {result.created}, updated {result.updated}, rejected {len(result.errors)}")
    for line, problem in result.errors:
        errors.print(f"line {line}: {problem}")
    if result.errors:
        raise typer.Exit(1)


@app.command("list")
def list_events(
    past: Annotated[bool, typer.Option("--past", help="Include events that have started")] = False,
) -> None:
    """Events, soonest first: id, date, title, place, seats taken, status."""
    with _database() as db, db.transaction() as session:
        rows = desk.listing(session, utcnow(), include_past=past)
        lines = [desk.summary_line(session, event) for event in rows]
    console.print("\n".join(lines) if lines else "no events")


@app.command("applicants")
def applicants(
    event_id: Annotated[int, typer.Argument(help="The event's id (see `concierge events list`)")],
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV (the only format for now)")] = True,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File instead of stdout")] = None,
) -> None:
    """Who applied, as CSV (UTF-8 with BOM): personal data — keep the file safe."""
    with _database() as db, db.transaction() as session:
        text = desk.applicants_csv(session, event_id)
    if text is None:
        errors.print(f"no event {event_id}")
        raise typer.Exit(1)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8", newline="")
