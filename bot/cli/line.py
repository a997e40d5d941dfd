"""`concierge line …`: LINE account set-up."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.channels.line import richmenu
from bot.settings import Settings

app = typer.Typer(help="LINE: rich menu.", no_args_is_help=True)
console = Console()


@app.command("richmenu")
def install_richmenu(
    preview: Annotated[Path | None, typer.Option(help="Only write the menu image to this PNG file")] = None,
) -> None:
    """Install the rich menu (よくある質問 / 移住の相談・登録 / 家族に紹介 / 職員に相談) as the default."""
    if preview is not None:
        preview.write_bytes(richmenu.draw())
        console.print(f"wrote {preview}", highlight=False)
        return
    settings = Settings()
    if not settings.line_channel_access_token:
        console.print("[red]LINE_CHANNEL_ACCESS_TOKEN is not set[/]")
        raise typer.Exit(1)
    menu_id, created = asyncio.run(
        richmenu.install(settings.line_api_base_url, settings.line_channel_access_token)
    )
    console.print(
        f"{'created' if created else 'already installed'}: {menu_id} (default rich menu)", highlight=False
    )
