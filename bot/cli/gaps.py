"""`concierge kb gaps`: what people asked that the knowledge base could not answer well."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.services import Concierge
from bot.settings import Settings
from bot.storage import gaps as gap_store

console = Console()


def gaps(limit: Annotated[int, typer.Option(help="How many rows to show")] = 30) -> None:
    """Most frequent unanswered and unsure questions, and the answers people marked unhelpful."""
    concierge = Concierge.build(Settings())
    concierge.migrate_if_embedded()
    try:
        with concierge.db.transaction() as session:
            questions = gap_store.top_gaps(session, limit)
            unhelpful = gap_store.unhelpful_entries(session, limit)
    finally:
        concierge.close()
    table = Table(
        "count",
        "people",
        "outcome",
        "question (contacts masked)",
        "last asked",
        title="Questions to write answers for",
    )
    for gap in questions:
        table.add_row(
            str(gap.count), str(gap.people), gap.outcome, gap.question, gap.last_seen.strftime("%Y-%m-%d")
        )
    console.print(table if questions else "no unanswered questions recorded yet")
    if unhelpful:
        feedback = Table("entry", "unhelpful", "helpful", title="Answers marked unhelpful")
        for row in unhelpful:
            feedback.add_row(row.entry_id, str(row.unhelpful), str(row.helpful))
        console.print(feedback)
