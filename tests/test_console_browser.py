"""The staff console in a real browser: Debian's Chromium driven by Playwright against
`concierge serve`, with Slack at its stand-in. Screenshots go to docs/screenshots/ (the README
shows them)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import utcnow
from bot.storage import Database, leads, records
from bot.storage.models import Lead
from desk import accounts
from tests.served import concierge_serving
from tests.standins.slack_api import SlackStandIn
from tests.test_browser import CHROMIUM_ARGS, chromium  # noqa: F401  (the fixture: skips without Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).parent.parent / "docs" / "screenshots"
PASSWORD = "correct horse battery"
STAFF_CHANNEL = "CSTAFF"


@pytest.fixture
def slack_api() -> Iterator[SlackStandIn]:
    with SlackStandIn(staff_channel_members=["USTAFF1"]) as standin:
        yield standin


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "console.db"


@pytest.fixture
def server(tmp_path: Path, db_path: Path, slack_api: SlackStandIn) -> Iterator[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "STAFF_COOKIE_SECURE": "false",  # plain http on 127.0.0.1: the documented test setting
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_STAFF_CHANNEL": STAFF_CHANNEL,
        "SLACK_API_URL": slack_api.url,
    }
    with concierge_serving(env, tmp_path / "server.log", start_within=60) as base:
        yield base


def seed(db_path: Path) -> None:
    """An editor, a source with two people (one registered), and three leads."""
    db = Database(f"sqlite:///{db_path}")
    now = utcnow()
    try:
        with db.transaction() as session:
            token = accounts.add(session, "sato", accounts.Role.EDITOR, now)
            accounts.set_password(session, token, PASSWORD, now)
            code = leads.add_source(session, "北見赤十字病院", now)
        for n, (name, timing, source) in enumerate(
            [("北見 花子", "1年以内", code), ("端野 次郎", "すぐ", None), ("留辺蘂 三郎", "未定", None)]
        ):
            with db.transaction() as session:
                user = records.get_or_create_user(session, "web", f"person-{n}", now)
                user.source = source
                answers = {
                    "registrant": "本人として",
                    "name": name,
                    "area": "東京23区",
                    "relation": "北見出身",
                    "age_band": "30代",
                    "timing": timing,
                    "work_plan": "北見で転職",
                    "household": "夫婦",
                    "interests": ["住まい", "仕事"],
                    "contact_method": "email",
                    "contact_value": f"person{n}@example.jp",
                }
                leads.save_lead(session, user, answers, "2026-11-24", now, now)
        with db.transaction() as session:
            visitor = records.get_or_create_user(session, "web", "visitor", now)
            visitor.source = code
    finally:
        db.dispose()


def test_staff_work_through_the_console(
    chromium: Path,  # noqa: F811  (the fixture imported above)
    server: str,
    db_path: Path,
    slack_api: SlackStandIn,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    seed(db_path)
    alerts = slack_api.wait_for("chat.postMessage", 3, timeout=30)
    assert len(alerts) == 3
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.goto(server + "/staff/leads")
            expect(page).to_have_url(server + "/staff/signin")
            page.get_by_label("名前").fill("sato")
            page.get_by_label("パスワード").fill(PASSWORD)
            page.get_by_role("button", name="サインイン").click()
            expect(page.get_by_role("heading", name="移住の登録")).to_be_visible()
            expect(page.locator("table.leads tbody tr")).to_have_count(3)

            # Filter by timing, with the keyboard only up to the button.
            page.get_by_label("時期").select_option("すぐ")
            page.get_by_role("button", name="絞り込む").click()
            expect(page.locator("table.leads tbody tr")).to_have_count(1)
            expect(page.locator("table.leads")).to_contain_text("端野 次郎")
            page.screenshot(path=str(SCREENSHOTS / "console-leads.png"), full_page=True)

            # Export the filtered list as CSV.
            with page.expect_download() as download:
                page.get_by_role("link", name="この条件でCSVを書き出す").click()
            exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
            assert "端野 次郎" in exported and "北見 花子" not in exported

            # Open the lead and close it; its Slack alert is updated at the stand-in.
            page.get_by_role("link", name="端野 次郎").click()
            expect(page.get_by_role("heading", name="登録 No.")).to_be_visible()
            page.get_by_label("状態を変える").select_option(label="対応完了")
            page.get_by_role("button", name="変更").click()
            expect(page.locator("#lead-status")).to_have_text("対応完了")
            page.get_by_label("メモを追加").fill("12/1に電話で説明済み")
            page.get_by_role("button", name="メモを残す").click()
            expect(page.get_by_text("12/1に電話で説明済み")).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / "console-lead.png"), full_page=True)
            db = Database(f"sqlite:///{db_path}")
            try:
                with db.transaction() as session:
                    lead_id = session.scalars(select(Lead.id).where(Lead.name == "端野 次郎")).one()
            finally:
                db.dispose()
            alert = next(a for a in alerts if f"No.{lead_id})" in str(a.args.get("blocks")))
            ref = f"{alert.args['channel']}:{alert.args['ts']}"
            deadline = time.monotonic() + 15
            while "sato(管理画面)" not in slack_api.current(ref) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "状態: 対応完了" in slack_api.current(ref) and "sato(管理画面)" in slack_api.current(ref)

            # The numbers: the chart's table says what was seeded.
            page.get_by_role("link", name="数字").click()
            sources = page.locator('table[data-chart="sources"]')
            expect(sources.locator("tbody tr")).to_have_count(1)
            expect(sources.locator("tbody tr th")).to_have_text("北見赤十字病院")
            expect(sources.locator("tbody tr td")).to_have_text(["2", "1", "0"])  # two people, one lead
            chart = page.get_by_role(
                "img", name="きっかけ別: 話しかけた人 → 登録 → イベント申込のグラフ(数値は横の表)"
            )
            expect(chart).to_be_visible()
            expect(page.locator(".chart img")).to_have_count(5)
            # Every SVG loaded and was drawn (an image that failed has no natural width).
            all_drawn = (
                "[...document.querySelectorAll('.chart img')].every(i => i.complete && i.naturalWidth)"
            )
            page.wait_for_function(f"() => {all_drawn}", timeout=30_000)
            page.screenshot(path=str(SCREENSHOTS / "console-numbers.png"), full_page=True)

            # Edit an answer; the web chat answers with the new text.
            page.goto(server + "/staff/content/access-airport-to-city")
            page.get_by_label("回答").fill(
                "女満別空港から市の中心部へは車で約30〜45分(市の紹介では約40分)。冬は時間に余裕を。"
            )
            page.get_by_role("button", name="確認して保存").click()
            expect(page.get_by_role("status").first).to_contain_text("保存しました")
            page.screenshot(path=str(SCREENSHOTS / "console-content.png"), full_page=True)
            chat = browser.new_page(viewport={"width": 390, "height": 844})
            chat.goto(server + "/")
            expect(chat.locator(".bubble.bot").first).to_contain_text("北見市 移住・Uターン案内")
            chat.get_by_label("質問を入力").fill("空港から市内まで何分？")
            chat.keyboard.press("Enter")
            # Generous: a worker rebuilding its index after an edit takes seconds on a busy machine.
            expect(chat.locator(".bubble.bot").filter(has_text="冬は時間に余裕を")).to_be_visible(
                timeout=60_000
            )

            # On a phone, the list is still usable.
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.context.add_cookies(page.context.cookies())
            phone.goto(server + "/staff/leads")
            expect(phone.get_by_role("heading", name="移住の登録")).to_be_visible()
            phone.screenshot(path=str(SCREENSHOTS / "console-phone.png"))
        finally:
            browser.close()
