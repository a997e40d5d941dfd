"""An answer edited in the console is what every worker answers next, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.clock import utcnow
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import upgrade
from desk import content
from knowledge import KnowledgeBase
from tests.conftest import Talker

QUESTION = "空港から市内まで何分？"
EDITED = "女満別空港から市の中心部へは車で約30〜45分(市の紹介では約40分)。冬は時間に余裕を。"


def test_every_worker_answers_from_the_newest_edit(database_url: str, kb: KnowledgeBase) -> None:
    settings = Settings(_env_file=None, database_url=database_url, rate_limit_per_minute=500)  # type: ignore[call-arg]
    first, second = Concierge.build(settings, kb=kb), Concierge.build(settings, kb=kb)
    try:
        upgrade(first.db)
        before = Talker(second).say(QUESTION)
        assert before.entry_id is not None and "冬は時間に余裕を" not in before.response.text
        live = first.live_kb
        entry = live.get(before.entry_id)
        assert entry is not None
        draft = content.draft_of(entry)
        checked = content.check(
            live, entry, content.Draft(draft.questions, EDITED, draft.sources, "2026-11-20"), utcnow().date()
        )
        assert checked.entry is not None, checked.errors
        with first.db.transaction() as session:
            content.save(session, checked.entry, "sato", utcnow())
        # The second worker never heard of the edit but the database: its next turn has it.
        after = Talker(second).say(QUESTION)
        assert after.entry_id == before.entry_id and "冬は時間に余裕を" in after.response.text
        assert "冬は時間に余裕を" in Talker(first).say(QUESTION).response.text
    finally:
        first.close()
        second.close()
