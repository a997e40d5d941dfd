"""The web chat API through the real ASGI app: answers, sessions, ref/src, and bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.app import create_app
from bot.clock import utcnow
from bot.services import Concierge
from bot.storage import handoffs, leads, records
from bot.storage.models import User


@pytest.fixture
def client(concierge: Concierge) -> Iterator[TestClient]:
    with TestClient(create_app(concierge.settings, concierge=concierge), base_url="http://testserver") as c:
        yield c


def chat(client: TestClient, body: dict[str, object], **kwargs: object) -> dict:  # type: ignore[type-arg]
    response = client.post("/api/chat", json=body, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_health_and_page(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="ja"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_a_question_is_answered_from_the_knowledge_base(client: TestClient) -> None:
    data = chat(client, {"text": "空港から市内まで何分？"})
    assert "女満別" in data["messages"][0]["text"]
    assert all(set(m) >= {"text", "links"} for m in data["messages"])
    assert {"label", "payload"} <= set(data["choices"][0])


def test_the_session_cookie_is_httponly_and_samesite(client: TestClient) -> None:
    response = client.post("/api/chat", json={"payload": "start"})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "北見" in response.json()["messages"][0]["text"]


def test_pressing_a_choice_sends_its_payload(client: TestClient) -> None:
    menu = chat(client, {"payload": "menu"})
    category = next(c for c in menu["choices"] if c["payload"].startswith("cat:"))
    listing = chat(client, {"payload": category["payload"]})
    answer = chat(client, {"payload": listing["choices"][0]["payload"]})
    assert any(m["text"].startswith("出典:") for m in answer["messages"])  # its sources, in a bubble


def known_codes(concierge: Concierge) -> tuple[str, str, str, str]:
    """Two parents' referral codes and two pamphlet sources, as the database knows them."""
    with concierge.db.transaction() as session:
        parents = [records.get_or_create_user(session, "web", f"parent{i}", utcnow()) for i in (1, 2)]
        refs = [leads.referral_code_of(session, parent, utcnow()) for parent in parents]
        sources = [leads.add_source(session, name, utcnow()) for name in ("北見赤十字病院", "東京セミナー")]
    return refs[0], refs[1], sources[0], sources[1]


def attributions(concierge: Concierge) -> set[tuple[str | None, str | None]]:
    with concierge.db.transaction() as session:
        return {
            (u.referral_code, u.source)
            for u in session.scalars(select(User).where(User.channel_user_id.notlike("parent%")))
        }


def test_ref_and_src_on_the_page_and_the_api_are_kept_with_the_session(
    client: TestClient, concierge: Concierge
) -> None:
    ref, later_ref, hospital, seminar = known_codes(concierge)
    client.get(f"/?ref={ref}&src={hospital}")
    chat(client, {"text": "こんにちは"})
    chat(client, {"text": "こんにちは", "ref": later_ref})  # the first referral code sticks
    other = TestClient(client.app)
    other.post(f"/api/chat?src={seminar}", json={"text": "こんにちは"})
    assert attributions(concierge) == {(ref, hospital), (None, seminar)}


def test_codes_the_database_does_not_know_are_ignored(client: TestClient, concierge: Concierge) -> None:
    """Any site can link to /?ref=…&src=…: only real codes count, and nothing shows up in statistics."""
    client.get("/?ref=ZZZ999&src=anything-at-all")
    chat(client, {"text": "こんにちは", "src": "SNOTREAL"})
    assert attributions(concierge) == {(None, None)}


def test_a_later_link_never_takes_over_an_attribution(client: TestClient, concierge: Concierge) -> None:
    ref, other_ref, hospital, seminar = known_codes(concierge)
    client.get(f"/?ref={ref}&src={hospital}")
    client.get(f"/?ref={other_ref}&src={seminar}")  # e.g. a link on another site, opened later
    chat(client, {"text": "こんにちは", "ref": other_ref, "src": seminar})
    assert attributions(concierge) == {(ref, hospital)}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/?src=x"),
        ("GET", "/healthz"),
        ("GET", "/static/chat.js"),
        ("GET", "/no-such-page"),
        ("POST", "/api/chat"),
        ("POST", "/line/webhook"),
    ],
)
def test_every_response_carries_the_security_headers(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, json={"text": "こんにちは"} if method == "POST" else None)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    if path.startswith("/?") or path == "/":
        assert response.headers["cache-control"] == "no-store"


def hold_staff_reply(client: TestClient, concierge: Concierge, text: str) -> None:
    """A staff reply waiting for this browser's session (as a reply in the handoff thread leaves it)."""
    chat(client, {"text": "こんにちは"})
    with concierge.db.transaction() as session:
        [user] = session.scalars(select(User)).all()
        handoffs.hold_for_web(session, user.id, text, utcnow())


def updates(client: TestClient, **headers: str) -> list[str]:
    response = client.post("/api/chat/updates", json={}, headers=headers)
    assert response.status_code == 200, response.text
    return [m["text"] for m in response.json()["messages"]]


def test_staff_replies_are_fetched_by_a_same_origin_post_only(
    client: TestClient, concierge: Concierge
) -> None:
    hold_staff_reply(client, concierge, "担当の佐藤です。")
    # Another site: a link or an image (GET), a form (not JSON), or a script (cross-site Origin).
    assert client.get("/api/chat/updates").status_code == 405
    form = client.post("/api/chat/updates", content="x=1", headers={"content-type": "text/plain"})
    assert form.status_code == 415
    for cross_site in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}):
        assert client.post("/api/chat/updates", json={}, headers=cross_site).status_code == 403
    # Still waiting: shown to this session once, then gone.
    assert updates(client, origin="http://testserver", **{"sec-fetch-site": "same-origin"}) == [
        "担当の佐藤です。"
    ]
    assert updates(client) == []


def test_an_invalid_ref_is_ignored(client: TestClient, concierge: Concierge) -> None:
    chat(client, {"text": "こんにちは", "ref": "<script>alert(1)</script>"})
    with concierge.db.transaction() as session:
        assert session.scalars(select(User.referral_code)).all() == [None]


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"content": "text=hello", "headers": {"content-type": "application/x-www-form-urlencoded"}}, 415),
        ({"content": "{not json", "headers": {"content-type": "application/json"}}, 400),
        ({"content": b"\xff\xfe{}", "headers": {"content-type": "application/json"}}, 400),
        ({"json": ["a list"]}, 400),
        ({"json": {"text": 42}}, 400),
        ({"json": {"payload": "x" * 500}}, 400),
        ({"json": {}}, 400),
        ({"json": {"text": "x" * 20_000}}, 413),
        ({"json": {"text": "hi"}, "headers": {"origin": "https://evil.example"}}, 403),
    ],
)
def test_bad_requests_get_a_json_4xx_and_change_nothing(
    client: TestClient,
    concierge: Concierge,
    kwargs: dict,
    status: int,  # type: ignore[type-arg]
) -> None:
    response = client.post("/api/chat", **kwargs)
    assert response.status_code == status
    assert "error" in response.json()
    with concierge.db.transaction() as session:
        assert session.scalars(select(User)).all() == []


@pytest.mark.parametrize("text", ["", "   ", "🙏🙏🙏", "a\x00b\x1b[31m", "あ" * 5000, "<b>x</b>"])
def test_odd_text_gets_a_polite_reply(client: TestClient, text: str) -> None:
    data = chat(client, {"text": text})
    assert data["messages"][0]["text"]
    assert data["choices"]


def test_a_long_paste_is_declined_politely(client: TestClient) -> None:
    data = chat(client, {"text": "北見" * 800})
    assert "長すぎる" in data["messages"][0]["text"]


def test_same_origin_post_is_accepted(client: TestClient) -> None:
    response = client.post("/api/chat", json={"text": "こんにちは"}, headers={"origin": "http://testserver"})
    assert response.status_code == 200
