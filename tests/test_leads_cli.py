"""Staff operations on leads from the command line: export, delete, sources, the outbox."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from bot.app import create_app
from bot.cli import app
from bot.services import Concierge
from bot.settings import Settings
from bot.storage.models import Lead, OutboxMessage, User
from knowledge import KnowledgeBase
from tests.conftest import Talker
from tests.test_lead import WEB_ANSWERS, register


@pytest.fixture
def cli_concierge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase) -> Concierge:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    concierge = Concierge.build(Settings(_env_file=None, database_url=url), kb=kb)  # type: ignore[call-arg]
    concierge.migrate_if_embedded()
    return concierge


def test_export_is_csv_with_a_bom_and_delete_removes_the_person(
    cli_concierge: Concierge, tmp_path: Path
) -> None:
    register(Talker(cli_concierge))
    result = CliRunner().invoke(app, ["leads", "export", "--csv"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert rows[0]["name"] == "北見 花子" and rows[0]["interests"] == "住まい、子育て"

    assert (
        CliRunner().invoke(app, ["leads", "export", "--csv", "-o", str(tmp_path / "leads.csv")]).exit_code
        == 0
    )
    assert (tmp_path / "leads.csv").read_bytes().startswith("\ufeff".encode())

    lead_id = rows[0]["id"]
    assert CliRunner().invoke(app, ["leads", "delete", lead_id]).exit_code == 0
    assert CliRunner().invoke(app, ["leads", "delete", lead_id]).exit_code == 1
    with cli_concierge.db.transaction() as session:
        assert session.scalars(select(Lead)).all() == [] and session.scalars(select(User)).all() == []
        alerts = [(r.kind, r.status) for r in session.scalars(select(OutboxMessage))]
    assert alerts == [("lead_new", "cancelled"), ("deletion", "pending")]  # the person's alert never goes

    pending = CliRunner().invoke(app, ["outbox"])
    assert "lead_new" not in pending.output and "deletion" in pending.output


def test_a_new_source_gets_links_and_a_qr_code_and_is_counted(
    cli_concierge: Concierge, tmp_path: Path
) -> None:
    added = CliRunner().invoke(app, ["sources", "add", "北見赤十字病院", "--qr-dir", str(tmp_path)])
    assert added.exit_code == 0, added.output
    code = added.output.split("source ")[1].split()[0]
    assert f"?src={code}" in added.output
    assert (tmp_path / f"source-{code}.png").read_bytes().startswith(b"\x89PNG")

    with TestClient(create_app(cli_concierge.settings, concierge=cli_concierge)) as client:
        client.get(f"/?src={code}")
        for kind, value in [("text", "移住に興味がある"), *WEB_ANSWERS, ("payload", "form:confirm")]:
            key = "text" if kind == "text" else "payload"
            assert client.post("/api/chat", json={key: value}).status_code == 200
    listed = CliRunner().invoke(app, ["sources"])
    assert code in listed.output and "北見赤十字病院" in listed.output
    with cli_concierge.db.transaction() as session:
        assert session.scalars(select(Lead.source)).one() == code  # registered through the web chat API
