"""`concierge worker` and `concierge slack socket`: background work, and Slack without a public URL."""

from __future__ import annotations

import asyncio
import logging

import anyio
import typer
from rich.console import Console

from bot.channels.line.answering import LineAnswering
from bot.channels.slack import app as slack_app
from bot.notice_delivery import NoticeWorker
from bot.services import Concierge
from bot.settings import Settings

app = typer.Typer(help="Slack: Socket Mode for offices without a public URL.", no_args_is_help=True)
console = Console()


def worker() -> None:
    """Deliver staff alerts and confirmed notices and, with LINE_ANSWER_IN_WORKER, answer LINE events."""
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    concierge = Concierge.build(settings)
    channel = slack_app.build(settings, concierge.db, concierge.dispatcher)
    alert_worker = slack_app.alert_worker(settings, concierge.db, channel) if channel else None
    line_configured = bool(settings.line_channel_secret and settings.line_channel_access_token)
    line_here = line_configured and settings.line_answer_in_worker
    line = LineAnswering(settings, concierge.db, concierge.dispatcher) if line_here else None
    if alert_worker is None and line is None:
        console.print(
            "[red]Nothing to do: configure Slack (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_STAFF_CHANNEL)"
            " or LINE with LINE_ANSWER_IN_WORKER=true[/]"
        )
        raise typer.Exit(1)

    async def run() -> None:
        notices = NoticeWorker.for_settings(settings, concierge.db)
        try:
            async with anyio.create_task_group() as jobs:
                if alert_worker is not None:
                    jobs.start_soon(alert_worker.run_forever)
                if line is not None:
                    jobs.start_soon(line.run_forever)
                jobs.start_soon(notices.run_forever)
        finally:
            await notices.close()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    finally:
        concierge.close()


@app.command()
def socket() -> None:
    """Connect to Slack over Socket Mode (needs SLACK_APP_TOKEN) and deliver alerts in the same process."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not settings.slack_app_token:
        console.print("[red]SLACK_APP_TOKEN is not set[/]")
        raise typer.Exit(1)
    concierge = Concierge.build(settings)
    concierge.migrate_if_embedded()
    channel = slack_app.build(settings, concierge.db, concierge.dispatcher)
    if channel is None:
        raise typer.Exit(1)
    alert_worker = slack_app.alert_worker(settings, concierge.db, channel)

    async def run() -> None:
        if alert_worker is not None:
            asyncio.get_running_loop().create_task(alert_worker.run_forever())
        await AsyncSocketModeHandler(channel.app, settings.slack_app_token).start_async()

    try:
        asyncio.run(run())
    finally:
        concierge.close()
