"""The web chat in a real browser: Debian's Chromium driven by Playwright against `concierge serve`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.served import concierge_serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/webchat.png")


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser test, but Chromium is missing: apt-get install chromium")
        pytest.skip("Chromium not installed: apt-get install chromium")
    return CHROMIUM


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`concierge serve` on a fresh SQLite database; its log goes to a file (a pipe nobody reads fills up)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}"}
    with concierge_serving(env, tmp_path / "server.log") as base:
        yield base


def test_web_chat_on_a_phone(chromium: Path, server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            # Reduced motion: no smooth scrolling still under way when the screenshot is taken.
            page = browser.new_page(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
            with page.expect_request("**/api/chat") as first_call:
                page.goto(server + "/?src=pamphlet1")  # the page forwards ?ref= and ?src= with its calls
            assert first_call.value.post_data_json == {"payload": "start", "src": "pamphlet1"}
            expect(page).to_have_title("北見市 移住・Uターン案内")
            bot = page.locator(".bubble.bot")
            mine = page.locator(".bubble.me")
            choices = page.locator("#choices")
            expect(bot.first).to_contain_text("北見市 移住・Uターン案内")
            expect(bot.nth(2)).to_contain_text("知りたいことを選ぶか")  # every message of a reply
            expect(choices.get_by_role("button", name="住まい")).to_be_visible()

            # A typed question, sent with Enter.
            page.get_by_label("質問を入力").fill("空港から市内まで何分？")
            page.keyboard.press("Enter")
            expect(mine.last).to_have_text("空港から市内まで何分？")
            expect(bot.filter(has_text="女満別")).to_be_visible()
            expect(bot.last).to_have_text("この回答は役に立ちましたか？")
            expect(page.get_by_label("質問を入力")).to_have_value("")
            link = page.get_by_role("link", name="北見市の紹介(北見市)")
            expect(link).to_have_attribute("target", "_blank")
            expect(link).to_have_attribute("rel", "noopener noreferrer")

            # A choice: its label becomes the person's message, the old choices go away.
            choices.get_by_role("button", name="メニュー").click()
            expect(mine.last).to_have_text("メニュー")
            expect(choices.get_by_role("button", name="役に立った")).to_have_count(0)
            choices.get_by_role("button", name="住まい").click()
            expect(mine.last).to_have_text("住まい")
            expect(bot.last).to_contain_text("「住まい」のよくある質問です")
            expect(choices.get_by_role("button", name="メニュー")).to_be_visible()

            # What a person types is shown as text, never parsed as markup.
            page.get_by_label("質問を入力").fill("これは<b>x</b>です")
            page.keyboard.press("Enter")
            expect(mine.last).to_have_text("これは<b>x</b>です")
            expect(page.locator("#send")).to_have_text("送信")
            assert page.locator("#log b").count() == 0
            # The new turn is scrolled into view, from the question down to its choices.
            expect(mine.last).to_be_in_viewport()
            expect(choices.get_by_role("button", name="職員に相談")).to_be_in_viewport()

            page.screenshot(path=str(SCREENSHOT), animations="disabled")

            # The server failing: one polite sentence, and the question stays in the box to send again.
            page.route("**/api/chat", lambda route: route.fulfill(status=503, json={"error": "down"}))
            page.get_by_label("質問を入力").fill("家賃の相場は？")
            page.keyboard.press("Enter")
            expect(page.locator(".bubble.error")).to_have_text(
                "通信できませんでした。もう一度お試しください。"
            )
            expect(page.get_by_label("質問を入力")).to_have_value("家賃の相場は？")
        finally:
            browser.close()


def test_a_staff_reply_appears_on_the_page(chromium: Path, server: str, tmp_path: Path) -> None:
    """The page polls for staff replies (a same-origin POST) and shows them once."""
    from playwright.sync_api import expect, sync_playwright
    from sqlalchemy import select

    from bot.clock import utcnow
    from bot.storage import Database, handoffs
    from bot.storage.models import User

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(server + "/")
            bot = page.locator(".bubble.bot")
            expect(bot.first).to_contain_text("北見市 移住・Uターン案内")
            db = Database(f"sqlite:///{tmp_path / 'web.db'}")
            try:
                with db.transaction() as session:
                    [user] = session.scalars(select(User)).all()
                    handoffs.hold_for_web(session, user.id, "担当の佐藤です。", utcnow())
            finally:
                db.dispose()
            with page.expect_request("**/api/chat/updates", timeout=30_000) as poll:
                pass
            assert poll.value.method == "POST"
            expect(bot.filter(has_text="担当の佐藤です。")).to_have_count(1, timeout=10_000)
        finally:
            browser.close()
