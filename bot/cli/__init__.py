"""The `concierge` command. Each group lives in its own module; this file only assembles them."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from bot.cli import db, events, kb, leads, line, notices, slack, staff, talk
from bot.settings import Settings

app = typer.Typer(
    help="Kitami U-turn Concierge: web chat, terminal chat and operations.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold personal data
)
app.add_typer(db.app, name="db")
app.add_typer(kb.app, name="kb")
app.add_typer(line.app, name="line")
app.add_typer(slack.app, name="slack")
app.command()(slack.worker)
app.add_typer(leads.leads_app, name="leads")
app.add_typer(events.app, name="events")
app.add_typer(leads.sources_app, name="sources")
app.add_typer(notices.app, name="notices")
app.add_typer(staff.app, name="staff")
app.command()(leads.outbox)
app.command()(talk.chat)
app.command()(talk.ask)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (use PostgreSQL for more than one)")] = 1,
) -> None:
    """Run the web server (web chat and all channels). Migrates SQLite at start."""
    import uvicorn

    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(
        "bot.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level=settings.log_level.lower(),  # uvicorn's access log too: one line per request at INFO
    )


def main() -> None:
    app()
