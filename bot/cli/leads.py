"""`concierge leads …`, `concierge sources …` and `concierge outbox`: staff operations on leads."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from bot.clock import utcnow
from bot.links import line_message_link, web_chat_link
from bot.qr import qr_png
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import leads as lead_store
from bot.storage import outbox as outbox_store
from bot.storage.models import Lead
from desk import reports
from desk.export import write_csv

leads_app = typer.Typer(help="Leads: list, export and delete.", no_args_is_help=True)
sources_app = typer.Typer(
    help="Where people came from: pamphlet locations, seminars.", invoke_without_command=True
)
console = Console()


def _concierge() -> Concierge:
    concierge = Concierge.build(Settings())
    concierge.migrate_if_embedded()
    return concierge


@leads_app.command("export")
def export(
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV (the only format for now)")] = True,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write instead of stdout")
    ] = None,
) -> None:
    """All leads as CSV (UTF-8 with BOM): contains personal data — keep the file safe."""
    concierge = _concierge()
    try:
        with concierge.db.transaction() as session:
            rows = session.scalars(select(Lead).order_by(Lead.id))
            if output is None:
                write_csv(rows, sys.stdout)
            else:
                with output.open("w", encoding="utf-8", newline="") as file:
                    count = write_csv(rows, file)
                console.print(f"wrote {count} leads to {output}", highlight=False)
    finally:
        concierge.close()


@leads_app.command("list")
def list_open() -> None:
    """Leads not yet closed, newest first (what /concierge leads shows, without names)."""
    concierge = _concierge()
    try:
        with concierge.db.transaction() as session:
            rows = reports.open_leads(session, limit=200)
        table = Table("id", "status", "registered", "timing", "work")
        for row in rows:
            table.add_row(
                str(row.lead_id), row.status.label, f"{row.created_at:%Y-%m-%d}", row.timing, row.work_plan
            )
        console.print(table if rows else "no open leads")
    finally:
        concierge.close()


@leads_app.command("delete")
def delete(lead_id: Annotated[int, typer.Argument(help="The lead's id")]) -> None:
    """Delete a lead with the person's conversation and message log; staff are notified without names."""
    concierge = _concierge()
    try:
        with concierge.db.transaction() as session:
            if not lead_store.delete_lead(session, lead_id, utcnow()):
                console.print(f"[red]no lead {lead_id}[/]")
                raise typer.Exit(1)
        console.print(f"deleted lead {lead_id}")
    finally:
        concierge.close()


@sources_app.callback()
def sources(ctx: typer.Context) -> None:
    """List sources with how many people and leads came from each."""
    if ctx.invoked_subcommand is not None:
        return
    concierge = _concierge()
    try:
        with concierge.db.transaction() as session:
            counts = reports.sources(session)
        table = Table("code", "name", "people", "leads")
        for count in counts:
            table.add_row(count.code, count.name, str(count.users), str(count.leads))
        console.print(table)
    finally:
        concierge.close()


@sources_app.command("add")
def add_source(
    name: Annotated[str, typer.Argument(help="Where the pamphlet or link is used, e.g. 北見赤十字病院")],
    qr_dir: Annotated[Path, typer.Option(help="Folder for the QR PNG")] = Path("."),
) -> None:
    """Register a new source; print its links and write a QR code PNG for the pamphlet."""
    settings = Settings()
    concierge = _concierge()
    try:
        with concierge.db.transaction() as session:
            code = lead_store.add_source(session, name, utcnow())
    finally:
        concierge.close()
    web = web_chat_link(settings.public_base_url, src=code)
    console.print(f"source [bold]{code}[/] — {name}", highlight=False)
    console.print(f"web chat: {web}", highlight=False)
    if settings.line_bot_basic_id:
        console.print(
            f"LINE: {line_message_link(settings.line_bot_basic_id, f'案内コード: {code}')}", highlight=False
        )
    path = qr_dir / f"source-{code}.png"
    path.write_bytes(qr_png(web))
    console.print(f"QR code: {path}", highlight=False)


def outbox() -> None:
    """Staff alerts not yet delivered (with the last error), oldest first."""
    concierge = _concierge()
    try:
        with concierge.db.transaction() as session:
            rows = outbox_store.pending(session)
            table = Table("id", "kind", "created", "attempts", "next try", "last error")
            for row in rows:
                table.add_row(
                    str(row.id),
                    row.kind,
                    row.created_at.strftime("%Y-%m-%d %H:%M"),
                    str(row.attempts),
                    row.next_attempt_at.strftime("%H:%M:%S"),
                    row.last_error or "",
                )
        console.print(table if rows else "no pending alerts")
    finally:
        concierge.close()
