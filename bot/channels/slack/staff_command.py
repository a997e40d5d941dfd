"""The /concierge slash command: staff's reports (leads, a lead, notes, stats, gaps) in Slack.

Verbs with a modal of their own (events, notices) are registered into ``commands``; the rest are
answered here, ephemerally, from ``desk`` reports. Personal data is shown in the staff channel only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from slack_bolt.async_app import AsyncApp

from bot.channels.slack import alert_blocks
from bot.channels.slack.render import escape
from bot.channels.slack.staff import REFUSED
from bot.clock import utcnow
from bot.settings import Settings
from bot.storage.database import Database
from desk import leads as desk_leads
from desk import reports

USAGE = (
    "使い方: /concierge leads | lead 番号 | note 番号 メモ | stats | gaps | events"
    " | event [番号 | cancel 番号] | notice"
)
# A /concierge verb handled by a modal of its own (events, notices): the words, the command, respond.
Command = Callable[[list[str], dict[str, Any], Any], Awaitable[None]]


class ConciergeCommand:
    def __init__(self, settings: Settings, db: Database, is_staff: Callable[[str], Awaitable[bool]]) -> None:
        self.settings, self.db, self.is_staff = settings, db, is_staff
        self.commands: dict[str, Command] = {}

    def register(self, app: AsyncApp) -> None:
        app.command("/concierge")(self.on_command)

    async def on_command(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()
        if not await self.is_staff(command["user_id"]):
            await respond(text=REFUSED, response_type="ephemeral")
            return
        words = (command.get("text") or "").split(maxsplit=2)
        if words and (handler := self.commands.get(words[0])) is not None:
            await handler(words, command, respond)
            return
        in_staff_channel = command.get("channel_id") == self.settings.slack_staff_channel
        text = await anyio.to_thread.run_sync(self.command_text, words, in_staff_channel, command["user_id"])
        await respond(text=text, response_type="ephemeral")

    def command_text(self, words: list[str], in_staff_channel: bool, staff: str) -> str:
        verb = words[0] if words else "help"
        number = int(words[1]) if len(words) > 1 and words[1].isdigit() else None
        with self.db.transaction() as session:
            if verb == "leads":
                lines = [
                    f"No.{r.lead_id} {r.status.label} {r.created_at:%m/%d} {escape(r.timing)} / "
                    f"{escape(r.work_plan)}" + (f" {escape(r.name)}" if in_staff_channel else "")
                    for r in reports.open_leads(session)
                ]
                return "未完了の登録(新しい順):\n" + ("\n".join(lines) or "ありません")
            if verb == "lead" and number is not None:
                page = desk_leads.page(session, number)
                if page is None:
                    return "見つかりません。"
                if not in_staff_channel:  # personal data is shown in the staff channel only
                    return f"No.{number}: {page.state.status.label}。詳細は職員チャンネルで実行してください。"
                notes = [
                    f"メモ({alert_blocks.staff_mention(n.author)}): {escape(n.text)}" for n in page.notes
                ]
                return "\n".join([alert_blocks.lead_fields(page.state.details), *notes])
            if verb == "note" and number is not None and len(words) > 2:
                note = desk_leads.add_note(session, number, staff, words[2], utcnow())
                return f"No.{number} にメモを残しました。" if note else "見つかりません。"
            if verb == "stats":
                week = reports.last_week(session, utcnow())
                sources = "、".join(f"{escape(s or '直接')} {c}" for s, c in week.leads_by_source) or "なし"
                return f"この7日間: 質問 {week.questions} 件、登録 {week.leads} 件(きっかけ別: {sources})"
            if verb == "gaps":
                top = reports.unanswered(session)
                return "答えられなかった質問(多い順):\n" + (
                    "\n".join(f"{g.count}回 {escape(g.question)}" for g in top) or "なし"
                )
        return USAGE
