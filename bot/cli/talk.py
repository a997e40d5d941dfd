"""`concierge chat` and `concierge ask`: the terminal, through the same dispatcher as every channel."""

from __future__ import annotations

import json
import sys
import uuid
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel

from bot.dispatcher import Dispatcher, Turn
from bot.messages import Channel, Choice, Incoming
from bot.services import Concierge
from bot.settings import Settings

console = Console()
QUIT_WORDS = {"exit", "quit", "終了", ":q"}


def _concierge() -> Concierge:
    concierge = Concierge.build(Settings())
    concierge.migrate_if_embedded()
    return concierge


def _new_user() -> str:
    return f"cli-{uuid.uuid4().hex}"


def turn_json(turn: Turn) -> dict[str, Any]:
    return {
        "intent": turn.intent,
        "entry_id": turn.entry_id,
        "score": None if turn.score is None else round(turn.score, 4),
        "text": turn.response.text,
        "choices": [c.label for c in turn.response.choices],
    }


def _show(turn: Turn) -> list[Choice]:
    for reply in turn.response.replies:
        body = reply.text + "".join(f"\n🔗 {link.label}: {link.url}" for link in reply.links)
        console.print(Panel(body, border_style="cyan", title="コンシェルジュ", title_align="left"))
    for number, choice in enumerate(turn.response.choices, start=1):
        console.print(f"  [bold cyan]{number:>2}[/] {choice.label}")
    return turn.response.choices


def ask(
    text: Annotated[str, typer.Argument(help="The question, or - to read one question per line from stdin")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per question")] = False,
) -> None:
    """Ask one question as a new user (or, with -, one per stdin line, each as a new user)."""
    concierge = _concierge()
    questions = (line.rstrip("\r\n") for line in sys.stdin) if text == "-" else iter([text])
    try:
        for question in questions:
            turn = concierge.dispatcher.handle(Incoming(Channel.CLI, _new_user(), text=question))
            if as_json:
                print(json.dumps(turn_json(turn), ensure_ascii=False), flush=True)
            else:
                _show(turn)
    finally:
        concierge.close()


def chat() -> None:
    """Talk with the concierge in the terminal; buttons are shown as numbers to type."""
    concierge = _concierge()
    dispatcher: Dispatcher = concierge.dispatcher
    user = _new_user()
    console.print("[dim]終了するには exit または Ctrl+D[/]")
    choices = _show(dispatcher.handle(Incoming(Channel.CLI, user, payload="start")))
    try:
        while True:
            try:
                line = console.input("[bold green]あなた>[/] ").strip()
            except (EOFError, KeyboardInterrupt):
                break
            if line.lower() in QUIT_WORDS:
                break
            if line.isdigit() and 1 <= int(line) <= len(choices):
                picked = choices[int(line) - 1]
                message = Incoming(Channel.CLI, user, text=picked.label, payload=picked.payload)
            else:
                message = Incoming(Channel.CLI, user, text=line)
            choices = _show(dispatcher.handle(message))
    finally:
        concierge.close()
