"""The staff console at /staff through the real ASGI app (httpx): sign-in, roles, CSRF, lock-out,
the audit log, leads, events and their applicants, notices' delivery results, CSV, charts, and a
forgotten person vanishing from all of it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from bot.app import create_app
from bot.cli import app as cli
from bot.clock import utcnow
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import events, leads, notices, records, upgrade
from bot.storage.models import (
    AuditEntry,
    CityEvent,
    EventApplication,
    Lead,
    LeadNote,
    OutboxMessage,
    StaffAccount,
    User,
)
from desk import accounts
from desk import events as desk_events
from desk import leads as desk_leads
from desk import notices as desk_notices
from knowledge import KnowledgeBase
from tests.conftest import Talker
from tests.test_forgetting import personal_data_in_tables
from tests.test_lead import register

PASSWORD = "correct horse battery"
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')
PAGES = [
    "/staff/leads",
    "/staff/leads/1",
    "/staff/leads.csv",
    "/staff/handoffs",
    "/staff/handoffs/1",
    "/staff/content",
    "/staff/numbers",
    "/staff/charts/leads.svg",
    "/staff/audit",
    "/staff/events",
    "/staff/events/1",
    "/staff/events/1/applicants.csv",
    "/staff/notices",
]
FORMS = ["/staff/leads/1/status", "/staff/leads/1/notes", "/staff/handoffs/1/answer", "/staff/signout"]


@pytest.fixture
def client(concierge: Concierge) -> Iterator[TestClient]:
    # https: the console's cookies are Secure, and a client sends them back only over HTTPS.
    with TestClient(create_app(concierge.settings, concierge=concierge), base_url="https://testserver") as c:
        yield c


def account(concierge: Concierge, name: str, role: accounts.Role, password: str = PASSWORD) -> None:
    with concierge.db.transaction() as session:
        token = accounts.add(session, name, role, utcnow())
    with concierge.db.transaction() as session:
        assert accounts.set_password(session, token, password, utcnow()) == name


def csrf_of(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, html[:500]
    return match.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    form = client.get("/staff/signin")
    response = client.post(
        "/staff/signin",
        data={"csrf": csrf_of(form.text), "name": name, "password": password},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/staff/leads", response.text
    return client


def seed_lead(concierge: Concierge, name: str, **answers: object) -> int:
    values = {
        "registrant": "本人として",
        "name": name,
        "area": "東京23区",
        "relation": "北見出身",
        "age_band": "30代",
        "timing": "1年以内",
        "work_plan": "北見で転職",
        "household": "単身",
        "interests": ["住まい"],
        "contact_method": "email",
        "contact_value": "someone@example.jp",
        **answers,
    }
    now = utcnow()
    with concierge.db.transaction() as session:
        user = records.get_or_create_user(session, "web", name + "-id", now)
        lead, _created = leads.save_lead(session, user, values, "2026-11-24", now, now)
        return lead.id


def audit_rows(concierge: Concierge) -> list[tuple[str, str, str]]:
    with concierge.db.transaction() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(r.account_name, r.action, r.target) for r in rows]


def test_no_page_and_no_form_without_signing_in(client: TestClient, concierge: Concierge) -> None:
    lead_id = seed_lead(concierge, "北見 一郎")
    assert lead_id == 1
    event_id = seed_event(concierge, "親向けセミナー")
    assert event_id == 1
    seed_application(concierge, event_id, "北見 一郎")
    for path in PAGES:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/staff/signin", path
        assert "北見 一郎" not in response.text
    for path in FORMS:
        response = client.post(path, data={"action": "done", "text": "x"}, follow_redirects=False)
        assert response.status_code == 401, path
    with concierge.db.transaction() as session:
        assert session.scalars(select(Lead.status)).one() == "new"
    assert audit_rows(concierge) == []


def test_a_forged_session_cookie_is_not_a_session(client: TestClient, concierge: Concierge) -> None:
    client.cookies.set("staff_session", "made-up", domain="testserver.local", path="/staff")
    assert client.get("/staff/leads", follow_redirects=False).status_code == 303


def test_the_setup_link_from_the_cli_works_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://concierge.example.jp")
    result = CliRunner().invoke(cli, ["staff", "add", "sato", "--role", "editor"])
    assert result.exit_code == 0, result.output
    link = re.search(r"https://concierge\.example\.jp(/staff/setup/\S+)", result.output)
    assert link, result.output
    concierge = Concierge.build(Settings(_env_file=None, database_url=url), kb=kb)  # type: ignore[call-arg]
    with concierge.db.transaction() as session:
        stored = session.scalars(select(StaffAccount)).one()
        assert (stored.name, stored.role, stored.password_hash) == ("sato", "editor", None)
        assert link.group(1).rsplit("/", 1)[1] not in (stored.setup_token_hash or "")  # only its hash
    with TestClient(create_app(concierge.settings, concierge=concierge), base_url="https://testserver") as c:
        page = c.get(link.group(1))
        assert "パスワードの設定" in page.text
        short = c.post(
            link.group(1), data={"csrf": csrf_of(page.text), "password": "short", "password2": "short"}
        )
        assert short.status_code == 400 and "12文字以上" in short.text
        page = c.get(link.group(1))
        done = c.post(
            link.group(1),
            data={"csrf": csrf_of(page.text), "password": PASSWORD, "password2": PASSWORD},
            follow_redirects=False,
        )
        assert done.status_code == 303
        sign_in(c, "sato")
        again = c.get(link.group(1))
        used = c.post(
            link.group(1), data={"csrf": csrf_of(again.text), "password": "x" * 20, "password2": "x" * 20}
        )
        assert used.status_code == 404 and "使えません" in used.text
    with concierge.db.transaction() as session:
        hashed = session.scalars(select(StaffAccount.password_hash)).one()
        assert hashed is not None and hashed.startswith("$argon2") and PASSWORD not in hashed
    result = CliRunner().invoke(cli, ["staff", "add", "sato"])
    assert result.exit_code == 1 and "exists" in result.output
    concierge.close()


def test_session_cookie_is_httponly_secure_and_strict(client: TestClient, concierge: Concierge) -> None:
    account(concierge, "sato", accounts.Role.VIEWER)
    form = client.get("/staff/signin")
    response = client.post(
        "/staff/signin",
        data={"csrf": csrf_of(form.text), "name": "sato", "password": PASSWORD},
        follow_redirects=False,
    )
    cookie = next(v for v in response.headers.get_list("set-cookie") if v.startswith("staff_session="))
    lowered = cookie.lower()
    assert (
        "httponly" in lowered
        and "secure" in lowered
        and "samesite=strict" in lowered
        and "path=/staff" in lowered
    )
    assert "no-store" in client.get("/staff/leads").headers["cache-control"]


def test_sign_in_without_the_form_token_is_refused(client: TestClient, concierge: Concierge) -> None:
    account(concierge, "sato", accounts.Role.VIEWER)
    client.get("/staff/signin")
    response = client.post(
        "/staff/signin", data={"name": "sato", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert client.get("/staff/leads", follow_redirects=False).status_code == 303


def test_a_form_without_its_csrf_token_changes_nothing(client: TestClient, concierge: Concierge) -> None:
    lead_id = seed_lead(concierge, "北見 一郎")
    account(concierge, "sato", accounts.Role.EDITOR)
    sign_in(client, "sato")
    for data in ({"action": "done"}, {"action": "done", "csrf": "wrong"}):
        response = client.post(f"/staff/leads/{lead_id}/status", data=data)
        assert response.status_code == 403 and "有効期限" in response.text
    response = client.post(f"/staff/leads/{lead_id}/notes", data={"text": "メモ"})
    assert response.status_code == 403
    with concierge.db.transaction() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and lead.status == "new" and lead.claimed_by is None
        assert session.scalars(select(OutboxMessage.kind)).all() == ["lead_new"]


def test_repeated_failures_lock_the_account(client: TestClient, concierge: Concierge) -> None:
    account(concierge, "sato", accounts.Role.VIEWER)
    statuses = []
    for _ in range(accounts.MAX_FAILURES):
        form = client.get("/staff/signin")
        wrong = client.post(
            "/staff/signin", data={"csrf": csrf_of(form.text), "name": "sato", "password": "guess"}
        )
        statuses.append(wrong.status_code)
    assert statuses == [401] * (accounts.MAX_FAILURES - 1) + [429]
    form = client.get("/staff/signin")
    right = client.post(
        "/staff/signin", data={"csrf": csrf_of(form.text), "name": "sato", "password": PASSWORD}
    )
    assert right.status_code == 429 and "しばらくサインインできません" in right.text
    assert client.get("/staff/leads", follow_redirects=False).status_code == 303


def test_an_unknown_name_reads_like_a_wrong_password(client: TestClient, concierge: Concierge) -> None:
    form = client.get("/staff/signin")
    response = client.post(
        "/staff/signin", data={"csrf": csrf_of(form.text), "name": "nobody", "password": "x"}
    )
    assert response.status_code == 401 and "名前かパスワードが違います" in response.text


def test_a_viewer_reads_but_cannot_edit(client: TestClient, concierge: Concierge) -> None:
    lead_id = seed_lead(concierge, "北見 一郎")
    account(concierge, "yamada", accounts.Role.VIEWER)
    sign_in(client, "yamada")
    page = client.get(f"/staff/leads/{lead_id}")
    assert page.status_code == 200 and "北見 一郎" in page.text
    assert "状態を変える" not in page.text and "メモを追加" not in page.text
    csrf = csrf_of(page.text)
    assert (
        client.post(f"/staff/leads/{lead_id}/status", data={"csrf": csrf, "action": "done"}).status_code
        == 403
    )
    assert client.post(f"/staff/leads/{lead_id}/notes", data={"csrf": csrf, "text": "x"}).status_code == 403
    assert client.get("/staff/audit").status_code == 403  # admins only
    with concierge.db.transaction() as session:
        assert session.scalars(select(Lead.status)).one() == "new"


def test_an_editor_changes_status_and_the_slack_alert_is_queued_for_update(
    client: TestClient, concierge: Concierge
) -> None:
    lead_id = seed_lead(concierge, "北見 一郎")
    account(concierge, "sato", accounts.Role.EDITOR)
    sign_in(client, "sato")
    page = client.get(f"/staff/leads/{lead_id}")
    response = client.post(
        f"/staff/leads/{lead_id}/status", data={"csrf": csrf_of(page.text), "action": "contacted"}
    )
    assert response.status_code == 200 and "状態を変更しました" in response.text
    assert 'id="lead-status">連絡済み' in response.text and "sato(管理画面)" in response.text
    note = client.post(
        f"/staff/leads/{lead_id}/notes", data={"csrf": csrf_of(response.text), "text": "電話で説明<b>済</b>"}
    )
    assert "電話で説明&lt;b&gt;済&lt;/b&gt;" in note.text
    with concierge.db.transaction() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and (lead.status, lead.claimed_by) == ("contacted", "web:sato")
        kinds = session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
        assert kinds == ["lead_new", "lead_status"]
    bad = client.post(
        f"/staff/leads/{lead_id}/status", data={"csrf": csrf_of(note.text), "action": "drop table"}
    )
    assert bad.status_code == 400


def test_views_and_exports_are_audited_and_admins_read_the_log(
    client: TestClient, concierge: Concierge
) -> None:
    lead_id = seed_lead(concierge, "北見 一郎")
    account(concierge, "sato", accounts.Role.VIEWER)
    account(concierge, "boss", accounts.Role.ADMIN)
    sign_in(client, "sato")
    client.get("/staff/leads")
    client.get(f"/staff/leads/{lead_id}")
    client.get("/staff/leads.csv")
    assert audit_rows(concierge) == [
        ("sato", "list_leads", "leads (1)"),
        ("sato", "view_lead", f"lead:{lead_id}"),
        ("sato", "export_csv", "leads.csv (1)"),
    ]
    client.cookies.clear()
    sign_in(client, "boss")
    log = client.get("/staff/audit")
    assert log.status_code == 200 and "view_lead" in log.text and f"lead:{lead_id}" in log.text


def test_leads_filter_and_export_csv(client: TestClient, concierge: Concierge) -> None:
    seed_lead(concierge, "北見 一郎", timing="すぐ", interests=["仕事"])
    seed_lead(concierge, "=HYPERLINK(1)", timing="未定", area="北海道内")
    account(concierge, "sato", accounts.Role.VIEWER)
    sign_in(client, "sato")
    soon = client.get("/staff/leads", params={"timing": "すぐ"})
    assert "北見 一郎" in soon.text and "HYPERLINK" not in soon.text and "1件" in soon.text
    by_interest = client.get("/staff/leads", params={"interest": "仕事"})
    assert "北見 一郎" in by_interest.text and "HYPERLINK" not in by_interest.text
    nonsense = client.get("/staff/leads", params={"status": "<x>", "since": "yesterday", "area": "x" * 500})
    assert nonsense.status_code == 200
    exported = client.get("/staff/leads.csv", params={"area": "北海道内"})
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "created_at", "updated_at", "status", "claimed_by"]
    assert len(rows) == 2 and rows[1][rows[0].index("name")] == "'=HYPERLINK(1)"  # never a formula


def test_the_numbers_beside_a_chart_match_the_data(client: TestClient, concierge: Concierge) -> None:
    with concierge.db.transaction() as session:
        code = leads.add_source(session, "北見赤十字病院", utcnow())
    Talker(concierge).say("こんにちは", src=code)
    register(Talker(concierge))
    account(concierge, "sato", accounts.Role.VIEWER)
    sign_in(client, "sato")
    page = client.get("/staff/numbers")
    assert page.status_code == 200
    sources = re.search(r'data-chart="sources">(.*?)</table>', page.text, re.S)
    assert sources is not None
    assert re.search(r"<th scope=\"row\">北見赤十字病院</th><td>1</td><td>0</td>", sources.group(1))
    leads_table = re.search(r'data-chart="leads">(.*?)</table>', page.text, re.S)
    assert leads_table is not None and leads_table.group(1).count("<td>1</td>") == 1
    svg = client.get("/staff/charts/sources.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "北見赤十字病院" in svg.text and "<script" not in svg.text
    assert client.get("/staff/charts/nothing.svg").status_code == 404


def test_a_forgotten_person_vanishes_from_the_console(client: TestClient, concierge: Concierge) -> None:
    talker = Talker(concierge)
    register(talker)
    with concierge.db.transaction() as session:
        lead_id = session.scalars(select(Lead.id)).one()
    account(concierge, "sato", accounts.Role.EDITOR)
    sign_in(client, "sato")
    page = client.get(f"/staff/leads/{lead_id}")
    assert "北見 花子" in page.text and "hanako@example.jp" in page.text
    client.post(f"/staff/leads/{lead_id}/notes", data={"csrf": csrf_of(page.text), "text": "花子さんに電話"})
    talker.say("データを削除")
    talker.press("form:yes")
    with concierge.db.transaction() as session:
        assert session.scalars(select(Lead)).all() == []
        assert session.scalars(select(LeadNote)).all() == []  # the note went with the lead
    assert client.get(f"/staff/leads/{lead_id}").status_code == 404
    assert "北見 花子" not in client.get("/staff/leads").text
    assert "北見 花子" not in client.get("/staff/leads.csv").text
    for row in audit_rows(concierge):
        assert not any(word in " ".join(row) for word in ("花子", "hanako", "電話"))
    assert personal_data_in_tables(concierge.db) == {}  # notes, audit rows and every other table


def entry_id_for(concierge: Concierge, question: str) -> str:
    turn = Talker(concierge).say(question)
    assert turn.entry_id is not None
    return turn.entry_id


def test_an_edited_answer_is_answered_at_once_and_every_edit_is_kept(
    client: TestClient, concierge: Concierge
) -> None:
    entry_id = entry_id_for(concierge, "空港から市内まで何分？")
    account(concierge, "sato", accounts.Role.EDITOR)
    sign_in(client, "sato")
    editor = client.get(f"/staff/content/{entry_id}")
    assert editor.status_code == 200 and "女満別" in editor.text
    form = {
        "csrf": csrf_of(editor.text),
        "questions": re.search(r'name="questions"[^>]*>([^<]*)<', editor.text).group(1),  # type: ignore[union-attr]
        "answer": "【2026年冬の確認】空港からはバスかタクシーをご利用ください。",
        "sources": re.search(r'name="sources"[^>]*>([^<]*)<', editor.text, re.S).group(1),  # type: ignore[union-attr]
        "reviewed": "2026-11-20",
    }
    import html

    form = {key: html.unescape(value) for key, value in form.items()}
    unsupported = client.post(f"/staff/content/{entry_id}", data=form, follow_redirects=False)
    assert unsupported.status_code == 400 and "figure" in unsupported.text  # 2026 is in no source
    assert "女満別" in Talker(concierge).say("空港から市内まで何分？").response.text

    form["answer"] = "女満別空港から市の中心部へは車で約30〜45分(市の紹介では約40分)。更新済み。"
    saved = client.post(f"/staff/content/{entry_id}", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    answered = Talker(concierge).say("空港から市内まで何分？")
    assert answered.entry_id == entry_id and "更新済み" in answered.response.text

    form["answer"] = "女満別空港から市の中心部へは車で約30〜45分(市の紹介では約40分)。二度目の更新。"
    client.post(f"/staff/content/{entry_id}", data=form)
    assert "二度目の更新" in Talker(concierge).say("空港から市内まで何分？").response.text
    history = client.get(f"/staff/content/{entry_id}")
    assert history.text.count("sato(版") == 2


def test_a_viewer_cannot_edit_content(client: TestClient, concierge: Concierge) -> None:
    entry_id = entry_id_for(concierge, "空港から市内まで何分？")
    account(concierge, "yamada", accounts.Role.VIEWER)
    sign_in(client, "yamada")
    page = client.get(f"/staff/content/{entry_id}")
    assert page.status_code == 200 and "確認して保存" not in page.text
    data = {
        "csrf": csrf_of(page.text),
        "questions": "x",
        "answer": "y",
        "sources": "",
        "reviewed": "2026-11-20",
    }
    assert client.post(f"/staff/content/{entry_id}", data=data).status_code == 403
    assert "女満別" in Talker(concierge).say("空港から市内まで何分？").response.text


def test_bad_input_is_refused_without_an_error(client: TestClient, concierge: Concierge) -> None:
    lead_id = seed_lead(concierge, "北見 一郎")
    account(concierge, "sato", accounts.Role.EDITOR)
    sign_in(client, "sato")
    csrf = csrf_of(client.get(f"/staff/leads/{lead_id}").text)
    uploaded = client.post(
        f"/staff/leads/{lead_id}/notes", data={"csrf": csrf}, files={"text": ("a.txt", b"x")}
    )
    assert 400 <= uploaded.status_code < 500
    garbage = client.post(
        f"/staff/leads/{lead_id}/notes",
        content=b"csrf=" + csrf.encode() + b"&text=%ff%fe\xff",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert garbage.status_code < 500
    for path in (
        "/staff/leads/abc",
        "/staff/leads/99999999999999",
        "/staff/handoffs/x",
        "/staff/content/nope",
    ):
        assert client.get(path).status_code == 404, path
    empty = client.post(f"/staff/leads/{lead_id}/notes", data={"csrf": csrf, "text": "   "})
    assert empty.status_code == 400
    huge = client.post("/staff/content/x", data={"csrf": csrf, "answer": "あ" * 100_000})
    assert huge.status_code == 413
    with concierge.db.transaction() as session:
        notes = session.scalars(select(LeadNote.text)).all()
    assert all(text != "x" for text in notes)


def test_the_console_on_both_databases(database_url: str, kb: KnowledgeBase) -> None:
    """Sign-in, lock-out, a status change, the export and the audit log on SQLite and PostgreSQL."""
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    built = Concierge.build(settings, kb=kb)
    upgrade(built.db)
    try:
        lead_id = seed_lead(built, "北見 一郎")
        account(built, "sato", accounts.Role.EDITOR)
        with TestClient(create_app(settings, concierge=built), base_url="https://testserver") as c:
            for _ in range(accounts.MAX_FAILURES):
                form = c.get("/staff/signin")
                c.post("/staff/signin", data={"csrf": csrf_of(form.text), "name": "sato", "password": "x"})
            form = c.get("/staff/signin")
            locked = c.post(
                "/staff/signin", data={"csrf": csrf_of(form.text), "name": "sato", "password": PASSWORD}
            )
            assert locked.status_code == 429
            with built.db.transaction() as session:
                stored = session.scalars(select(StaffAccount)).one()
                stored.locked_until = None  # as if the lock had run out
            sign_in(c, "sato")
            page = c.get(f"/staff/leads/{lead_id}")
            changed = c.post(
                f"/staff/leads/{lead_id}/status", data={"csrf": csrf_of(page.text), "action": "claim"}
            )
            assert 'id="lead-status">担当あり' in changed.text
            assert "北見 一郎" in c.get("/staff/leads.csv").content.decode("utf-8-sig")
        assert [action for _who, action, _what in audit_rows(built)] == [
            "view_lead",
            "change_status",
            "view_lead",
            "export_csv",
        ]
    finally:
        built.close()


def test_the_cli_lists_open_leads_like_slack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    built = Concierge.build(Settings(_env_file=None, database_url=url), kb=kb)  # type: ignore[call-arg]
    built.migrate_if_embedded()
    first, second = seed_lead(built, "北見 一郎", timing="すぐ"), seed_lead(built, "端野 次郎")
    with built.db.transaction() as session:
        desk_leads.act(session, second, desk_leads.Action.DONE, "USTAFF1", utcnow())
    built.close()
    result = CliRunner().invoke(cli, ["leads", "list"])
    assert result.exit_code == 0, result.output
    assert f"{first}" in result.output and "未対応" in result.output and "すぐ" in result.output
    assert "対応完了" not in result.output and "北見 一郎" not in result.output  # no names on a terminal


# -- events and notices ------------------------------------------------------------------------


def seed_event(
    concierge: Concierge,
    title: str,
    *,
    days: int = 30,
    capacity: int | None = None,
    place: str = "北見市民会館",
) -> int:
    """An event ``days`` from now (negative: one already held), as staff create it."""
    starts = utcnow().replace(microsecond=0) + timedelta(days=days)
    values = desk_events.EventFields(
        title=title,
        kind="seminar",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=place,
        online_url=None,
        audience="parents",
        capacity=capacity,
        apply_by=None,
        description="北見へ戻る道をご紹介します。",
        source=None,
    )
    with concierge.db.transaction() as session:
        return desk_events.create(session, values, utcnow()).id


def seed_application(
    concierge: Concierge,
    event_id: int,
    name: str,
    *,
    party: int = 1,
    contact: str = "someone@example.jp",
    person: str | None = None,
) -> str:
    """``name`` applies for ``party`` people, as the chat's form saves it; returns the person's web id."""
    person = person or name + "-id"
    now = utcnow()
    with concierge.db.transaction() as session:
        user = records.get_or_create_user(session, "web", person, now)
        event = session.get(CityEvent, event_id)
        assert event is not None
        events.apply(
            session,
            event,
            user,
            name=name,
            contact=contact,
            party_size=party,
            consent=("2026-11-24", now),
            now=now,
        )
    return person


def row_of(html: str, attribute: str, value: int) -> str:
    match = re.search(rf'<tr {attribute}="{value}">(.*?)</tr>', html, re.S)
    assert match, html[:2000]
    return match.group(1)


def test_the_events_list_shows_each_event_with_its_seats(client: TestClient, concierge: Concierge) -> None:
    upcoming = seed_event(concierge, "親向けセミナー", capacity=3)
    held = seed_event(concierge, "夏の相談会", days=-10)
    seed_application(concierge, upcoming, "北見 一郎", party=2)
    seed_application(concierge, upcoming, "端野 次郎", party=2)  # 2 + 2 > 3: the wait list
    account(concierge, "yamada", accounts.Role.VIEWER)
    sign_in(client, "yamada")
    page = client.get("/staff/events")
    assert page.status_code == 200
    ahead, past = page.text.split('id="past-h"')
    row = row_of(ahead, "data-event", upcoming)
    assert "親向けセミナー" in row and "北見市民会館" in row and "親" in row and "3人" in row
    assert '<td class="confirmed">2人</td>' in row and '<td class="waiting">2人</td>' in row
    assert "受付中" in row
    assert "開催済み" in row_of(past, "data-event", held) and f'data-event="{held}"' not in ahead
    when = events.japan(utcnow().replace(microsecond=0) + timedelta(days=30))
    assert f"{when.month}月{when.day}日" in row and f"{when:%H:%M}〜" in row  # Japan time
    assert "北見 一郎" not in page.text  # no applicants on the list
    assert '<th scope="col">確定</th>' in page.text
    with concierge.db.transaction() as session:
        event = session.get(CityEvent, upcoming)
        assert event is not None
        event.apply_by = utcnow() - timedelta(minutes=1)
    assert "締切済み" in row_of(client.get("/staff/events").text, "data-event", upcoming)
    with concierge.db.transaction() as session:
        desk_events.cancel(session, upcoming, utcnow())
    assert "中止" in row_of(client.get("/staff/events").text, "data-event", upcoming)


def test_an_event_page_shows_its_applicants_and_is_audited(client: TestClient, concierge: Concierge) -> None:
    event_id = seed_event(concierge, "親向けセミナー")
    seed_application(concierge, event_id, "北見 <b>花子</b>", party=3, contact="hanako@example.jp")
    account(concierge, "yamada", accounts.Role.VIEWER)
    sign_in(client, "yamada")
    page = client.get(f"/staff/events/{event_id}")
    assert page.status_code == 200 and "親向けセミナー" in page.text
    assert "北見 &lt;b&gt;花子&lt;/b&gt;" in page.text and "<b>花子" not in page.text
    assert "hanako@example.jp" in page.text and "<td>3人</td>" in page.text and "確定" in page.text
    assert '<dd id="confirmed">3人</dd>' in page.text
    assert audit_rows(concierge) == [("yamada", "view_applicants", f"event:{event_id} (1)")]
    for missing in ("/staff/events/999", "/staff/events/abc", "/staff/events/99999999999999"):
        assert client.get(missing).status_code == 404, missing
    assert client.get("/staff/events/999/applicants.csv").status_code == 404
    assert len(audit_rows(concierge)) == 1  # nothing seen, nothing recorded


def test_the_applicants_csv_defuses_formulas_and_is_audited(client: TestClient, concierge: Concierge) -> None:
    event_id = seed_event(concierge, "親向けセミナー")
    seed_application(concierge, event_id, "=HYPERLINK(1)", contact="+81 90 0000 0000")
    seed_application(concierge, event_id, "北見 一郎")
    account(concierge, "yamada", accounts.Role.VIEWER)
    sign_in(client, "yamada")
    exported = client.get(f"/staff/events/{event_id}/applicants.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    assert "no-store" in exported.headers["cache-control"]
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == list(desk_events.APPLICANT_COLUMNS)
    assert [r[2] for r in rows[1:]] == ["'=HYPERLINK(1)", "北見 一郎"]  # never a formula
    assert rows[1][3] == "'+81 90 0000 0000"
    assert audit_rows(concierge) == [("yamada", "export_applicants", f"event:{event_id}.csv (2)")]


def test_a_forgotten_applicant_vanishes_from_the_event(client: TestClient, concierge: Concierge) -> None:
    event_id = seed_event(concierge, "親向けセミナー")
    person = seed_application(concierge, event_id, "北見 花子", party=2, contact="hanako@example.jp")
    seed_application(concierge, event_id, "端野 次郎")
    account(concierge, "yamada", accounts.Role.VIEWER)
    sign_in(client, "yamada")
    assert "北見 花子" in client.get(f"/staff/events/{event_id}").text
    with concierge.db.transaction() as session:
        user = session.scalars(select(User).where(User.channel_user_id == person)).one()
        leads.forget_person(session, user, utcnow())
    page = client.get(f"/staff/events/{event_id}")
    assert "北見 花子" not in page.text and "hanako@example.jp" not in page.text
    assert "端野 次郎" in page.text and '<dd id="confirmed">1人</dd>' in page.text
    exported = client.get(f"/staff/events/{event_id}/applicants.csv").content.decode("utf-8-sig")
    assert "北見 花子" not in exported and "hanako" not in exported and "端野 次郎" in exported
    assert '<td class="confirmed">1人</td>' in row_of(
        client.get("/staff/events").text, "data-event", event_id
    )
    with concierge.db.transaction() as session:
        assert session.scalars(select(EventApplication.name)).all() == ["端野 次郎"]
    for row in audit_rows(concierge):
        assert not any(word in " ".join(row) for word in ("花子", "hanako"))


def seed_delivered_notice(concierge: Concierge) -> int:
    """A notice to six subscribers: two sent on the web, one opted out before it came, one not yet
    fetched, one who blocked the LINE account, and one whose LINE batch the platform refused."""
    now = utcnow()
    people = {"w1": "web", "w2": "web", "w3": "web", "w4": "web", "l1": "line", "l2": "line"}
    with concierge.db.transaction() as session:
        ids = {}
        for key, channel in people.items():
            user = records.get_or_create_user(session, channel, f"notice-{key}", now)
            notices.subscribe(session, user, ["seminars_events"], now)
            user.reachable = key != "l1"
            ids[key] = user.id
        segment = notices.Segment("seminars_events")
        preview = desk_notices.compose(session, segment, "相談会のお知らせ", now, created_by="U0STAFF")
        assert desk_notices.confirm(session, preview.notice_id, now) == 5
    with concierge.db.transaction() as session:
        claimed = notices.claim_batch(session, now, timedelta(minutes=2))
        assert claimed is not None
        notices.finish_batch(session, claimed.batch_id, now, error="refused")
        opted_out = session.get(User, ids["w3"])
        assert opted_out is not None
        notices.unsubscribe(session, opted_out, "seminars_events")
        web = {user_id: delivery for delivery, _n, user_id, _t, _x in notices.web_recipients(session)}
        for key in ("w1", "w2", "w3"):
            subscribed = notices.is_subscribed(session, ids[key], "seminars_events")
            notices.settle_web(session, web[ids[key]], subscribed, now)
    return preview.notice_id


def test_the_notices_page_counts_what_became_of_each_copy(client: TestClient, concierge: Concierge) -> None:
    notice_id = seed_delivered_notice(concierge)
    account(concierge, "yamada", accounts.Role.VIEWER)
    sign_in(client, "yamada")
    page = client.get("/staff/notices")
    assert page.status_code == 200
    row = row_of(page.text, "data-notice", notice_id)
    assert "セミナー・イベント" in row and "U0STAFF" in row and "<td>5</td>" in row
    counts = dict(re.findall(r'<td class="(\w+)">(\d+)</td>', row))
    assert counts == {"sent": "2", "failed": "1", "blocked": "1", "skipped": "1", "pending": "1"}
    assert "notice-w1" not in page.text and "相談会のお知らせ" not in page.text  # no one's id, no text
    assert audit_rows(concierge) == []  # counts only: nothing personal was seen


def test_a_viewer_sees_events_and_notices_but_reaches_no_form(
    client: TestClient, concierge: Concierge
) -> None:
    event_id = seed_event(concierge, "親向けセミナー")
    seed_application(concierge, event_id, "北見 一郎")
    seed_delivered_notice(concierge)
    account(concierge, "yamada", accounts.Role.VIEWER)
    sign_in(client, "yamada")
    paths = ["/staff/events", f"/staff/events/{event_id}", "/staff/notices"]
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        assert re.findall(r'<form method="post" action="([^"]+)"', page.text) == ["/staff/signout"], path
    csrf = csrf_of(client.get("/staff/events").text)
    for path in [*paths, f"/staff/events/{event_id}/applicants.csv"]:
        assert client.post(path, data={"csrf": csrf, "status": "cancelled"}).status_code == 405, path
    with concierge.db.transaction() as session:
        assert session.scalars(select(CityEvent.status)).all() == ["open"]
        assert session.scalars(select(EventApplication.status)).all() == ["confirmed"]


def test_the_path_by_source_counts_event_applications(client: TestClient, concierge: Concierge) -> None:
    with concierge.db.transaction() as session:
        code = leads.add_source(session, "北見赤十字病院", utcnow())
    applicant, visitor = Talker(concierge), Talker(concierge)
    applicant.say("こんにちは", src=code)
    visitor.say("こんにちは", src=code)
    register(applicant)
    event_id = seed_event(concierge, "親向けセミナー")
    seed_application(concierge, event_id, "北見 花子", party=2, person=applicant.user)
    account(concierge, "yamada", accounts.Role.VIEWER)
    sign_in(client, "yamada")
    page = client.get("/staff/numbers")
    sources = re.search(r'data-chart="sources">(.*?)</table>', page.text, re.S)
    assert sources is not None and "イベント申込" in sources.group(1)
    assert re.search(r"<th scope=\"row\">北見赤十字病院</th><td>2</td><td>1</td><td>1</td>", sources.group(1))
    assert "イベント申込" in client.get("/staff/charts/sources.svg").text


def test_events_notices_and_numbers_on_both_databases(database_url: str, kb: KnowledgeBase) -> None:
    """The seat, delivery and per-source counts are grouped queries: the same on SQLite and PostgreSQL."""
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    built = Concierge.build(settings, kb=kb)
    upgrade(built.db)
    try:
        event_id = seed_event(built, "親向けセミナー", capacity=2)
        seed_application(built, event_id, "北見 一郎", party=2)
        seed_application(built, event_id, "端野 次郎", party=3)
        notice_id = seed_delivered_notice(built)
        account(built, "yamada", accounts.Role.VIEWER)
        with TestClient(create_app(settings, concierge=built), base_url="https://testserver") as c:
            sign_in(c, "yamada")
            row = row_of(c.get("/staff/events").text, "data-event", event_id)
            assert '<td class="confirmed">2人</td>' in row and '<td class="waiting">3人</td>' in row
            assert "端野 次郎" in c.get(f"/staff/events/{event_id}").text
            counts = re.findall(
                r'<td class="(\w+)">(\d+)</td>',
                row_of(c.get("/staff/notices").text, "data-notice", notice_id),
            )
            assert dict(counts) == {
                "sent": "2",
                "failed": "1",
                "blocked": "1",
                "skipped": "1",
                "pending": "1",
            }
            assert c.get("/staff/numbers").status_code == 200
        assert [action for _who, action, _what in audit_rows(built)] == ["view_applicants"]
    finally:
        built.close()
