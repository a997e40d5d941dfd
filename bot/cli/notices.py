"""`concierge notices …`: send a notice to the people who asked for a topic, and finish deliveries."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer
from rich.console import Console

from bot.clock import utcnow
from bot.notice_delivery import NoticeWorker
from bot.settings import Settings
from bot.storage import upgrade
from bot.storage.database import Database
from bot.storage.notices import TOPICS, Segment
from desk import notices as desk

app = typer.Typer(help="Notices to people who asked for them (LINE multicast, the web chat).")
console = Console()


def _database(settings: Settings) -> Database:
    db = Database(settings.database_url)
    if db.is_sqlite:
        upgrade(db)
    return db


async def _deliver(settings: Settings, db: Database) -> tuple[int, int]:
    """Send everything due until nothing is left; (batches handled, LINE calls made)."""
    worker = NoticeWorker.for_settings(settings, db)
    try:
        handled = await worker.run_once()
        return handled, worker.multicast.calls if worker.multicast else 0
    finally:
        await worker.close()


@app.command()
def send(
    topic: Annotated[str, typer.Option(help=f"One of: {', '.join(TOPICS)}")],
    text: Annotated[str, typer.Option(help="The notice; how to stop notices is added at its end")],
    relation: Annotated[str | None, typer.Option(help="self or family (who registered)")] = None,
    area: Annotated[list[str] | None, typer.Option(help="Current area as registered (repeatable)")] = None,
    timing: Annotated[list[str] | None, typer.Option(help="Moving timing as registered (repeatable)")] = None,
    interest: Annotated[list[str] | None, typer.Option(help="Any of these interests (repeatable)")] = None,
    event: Annotated[str | None, typer.Option(help="The event the notice is about")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Send without asking")] = False,
) -> None:
    """Preview a notice and its recipient count; on confirmation, deliver it."""
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db = _database(settings)
    segment = Segment(topic, relation, tuple(area or ()), tuple(timing or ()), tuple(interest or ()))
    try:
        with db.transaction() as session:
            preview = desk.compose(session, segment, text, utcnow(), event_id=event, created_by="cli")
    except desk.NoticeError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc
    console.print(f"No.{preview.notice_id} {preview.segment}: {preview.recipients} 人")
    console.print(preview.text, markup=False)
    if not yes and not typer.confirm("送信しますか？"):
        console.print("送信しませんでした(下書きのままです)。")
        raise typer.Exit(1)
    with db.transaction() as session:
        count = desk.confirm(session, preview.notice_id, utcnow())
    _handled, calls = asyncio.run(_deliver(settings, db))
    console.print(f"{count} 人に配信しました(LINE への呼び出し {calls} 回)。結果は Slack にも送ります。")
    db.dispose()


@app.command()
def deliver() -> None:
    """Finish every confirmed notice (after a restart, too: each person still gets it once)."""
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db = _database(settings)
    handled, calls = asyncio.run(_deliver(settings, db))
    console.print(f"{handled} 件のバッチを処理しました(LINE への呼び出し {calls} 回)。")
    db.dispose()
