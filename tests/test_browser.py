"""The web chat in a real browser: Debian's Chromium driven by Playwright against `concierge serve`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"server did not start: {process.stderr.read().decode() if process.stderr else ''}")
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_typing_a_question_and_pressing_a_choice(server: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("CI must run the browser test: Chromium is missing (apt-get install chromium)")
        pytest.skip("Chromium not installed: apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(server + "/")
        expect(page.locator(".bubble.bot").first).to_contain_text("北見市")

        page.get_by_label("質問を入力").fill("空港から市内まで何分？")
        page.keyboard.press("Enter")
        expect(page.locator(".bubble.me").last).to_have_text("空港から市内まで何分？")
        expect(page.locator(".bubble.bot", has_text="女満別")).to_be_visible()

        page.get_by_role("button", name="メニュー").click()
        expect(page.locator(".bubble.me").last).to_have_text("メニュー")
        expect(page.locator(".bubble.bot").last).to_contain_text("選ぶか")
        expect(page.get_by_role("button", name="移住の相談・登録")).to_be_visible()

        page.get_by_label("質問を入力").fill("<b>x</b>")
        page.keyboard.press("Enter")
        expect(page.locator(".bubble.me").last).to_have_text("<b>x</b>")
        assert page.locator(".log b").count() == 0  # shown as text, never as markup

        page.screenshot(path=str(tmp_path / "webchat.png"), full_page=True)
        browser.close()
