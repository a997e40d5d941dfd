"""`concierge db …`: schema migrations and message-log retention."""

from __future__ import annotations

import typer
from rich.console import Console

from bot.clock import utcnow
from bot.retention import apply_retention
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import upgrade as apply_migrations

app = typer.Typer(help="Database: migrations and retention.", no_args_is_help=True)
console = Console()


@app.command()
def upgrade() -> None:
    """Apply all migrations to DATABASE_URL (safe to run again)."""
    concierge = Concierge.build(Settings())
    try:
        apply_migrations(concierge.db)
        console.print(f"[green]migrated[/] {concierge.db.url.render_as_string(hide_password=True)}")
    finally:
        concierge.close()


@app.command()
def purge() -> None:
    """Apply the retention settings now: old messages, questions and alerts, expired leads, idle people."""
    settings = Settings()
    concierge = Concierge.build(settings)
    try:
        purged = apply_retention(concierge.db, settings, utcnow())
        console.print(
            f"deleted {purged.messages} old messages, {purged.questions} old questions, "
            f"{purged.leads} expired leads, {purged.people} idle people and {purged.alerts} old alerts"
        )
    finally:
        concierge.close()
