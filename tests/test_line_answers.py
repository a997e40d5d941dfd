"""Knowledge answers on LINE: a Flex bubble (title, answer, link buttons) with a plain alt text,
related questions as quick replies, and text where a bubble would not fit."""

from __future__ import annotations

import json
from typing import Any

from bot.channels.line.render import render
from bot.messages import Link, Reply, Response
from intents.answers import answer_response
from knowledge import KnowledgeBase
from tests.conftest import Talker


def dicts(response: Response) -> list[dict[str, Any]]:
    return [m.to_dict() for m in render(response)]


def test_an_answer_is_a_bubble_with_its_question_as_title_and_a_plain_alt_text(kb: KnowledgeBase) -> None:
    entry = kb.get("programs-parents-seminar")
    assert entry is not None
    [bubble, *rest] = dicts(answer_response(entry))
    assert bubble["type"] == "flex" and bubble["contents"]["type"] == "bubble"
    header = bubble["contents"]["header"]["contents"][0]["text"]
    body = bubble["contents"]["body"]["contents"][0]["text"]
    assert header == entry.question and body.startswith(entry.answer.strip()[:40])
    buttons = [c["action"] for c in bubble["contents"]["footer"]["contents"] if c["type"] == "button"]
    assert buttons and all(b["type"] == "uri" and b["uri"].startswith("https://") for b in buttons)
    assert bubble["altText"].startswith(entry.question) and len(bubble["altText"]) <= 1500
    assert "<" not in bubble["altText"] and "{" not in bubble["altText"]  # plain text, no markup
    assert len(json.dumps(bubble["contents"], ensure_ascii=False).encode()) <= 30_000
    assert any(m["type"] == "text" and m["text"].startswith("出典") for m in rest)  # sources follow


def test_a_long_answer_stays_text_and_a_long_alt_text_is_cut() -> None:
    long = Response([Reply("あ" * 3000, links=(Link("市のページ", "https://example.jp"),), title="質問")])
    messages = dicts(long)
    assert messages[0]["type"] == "text" and messages[0]["text"] == "あ" * 3000
    near = Response([Reply("い" * 1990, title="質問")])
    [bubble] = dicts(near)
    assert bubble["type"] == "flex" and len(bubble["altText"]) == 1500 and bubble["altText"].endswith("…")


def test_an_answer_offers_related_questions_as_quick_replies(talker: Talker, kb: KnowledgeBase) -> None:
    turn = talker.say("親向けのUターンのセミナーがあるって聞きました")
    assert turn.entry_id == "programs-parents-seminar"
    payloads = [c.payload for c in turn.response.choices]
    related = [p for p in payloads if p.startswith("faq:")]
    assert related == ["faq:programs-student-internship", "faq:programs-pamphlets"]  # the same topic, next
    assert payloads[-1] == "menu" and len(payloads) <= 13
    [*_, last] = dicts(turn.response)
    labels = [i["action"]["label"] for i in last["quickReply"]["items"]]
    assert len(labels) == len(payloads) and all(len(label) <= 20 for label in labels)
