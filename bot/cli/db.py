"""`concierge db …`: schema migrations and message-log retention."""

from __future__ import annotations

import typer
from rich.console import Console

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
    """Delete chat messages older than MESSAGE_LOG_RETENTION_DAYS."""
    concierge = Concierge.build(Settings())
    try:
        console.print(f"deleted {concierge.dispatcher.purge_old_messages()} old messages")
    finally:
        concierge.close()
