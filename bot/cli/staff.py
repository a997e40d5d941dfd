"""`concierge staff add NAME`: a console account, and the one-time link to set its password."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from bot.clock import utcnow
from bot.services import Concierge
from bot.settings import Settings
from desk import accounts

app = typer.Typer(help="Staff console accounts (/staff).", no_args_is_help=True)
console = Console()


def setup_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/staff/setup/{token}"


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The account's sign-in name, e.g. sato")],
    role: Annotated[accounts.Role, typer.Option(help="viewer reads; editor also acts; admin also audits")] = (
        accounts.Role.VIEWER
    ),
) -> None:
    """Create an account and print its one-time setup link (valid 24 hours)."""
    settings = Settings()
    concierge = Concierge.build(settings)
    concierge.migrate_if_embedded()
    try:
        with concierge.db.transaction() as session:
            token = accounts.add(session, name, role, utcnow())
    except accounts.AccountError as exc:
        console.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(1) from exc
    finally:
        concierge.close()
    console.print(
        f"account {name} ({role.value}) created. Send this link to its owner only:", highlight=False
    )
    console.print(setup_link(settings.public_base_url, token), highlight=False, soft_wrap=True)
