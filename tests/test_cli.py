"""The `concierge` command through its real entry point, on a temporary SQLite database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray .env, and ./data lands in tmp
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return {**os.environ}


def test_ask_json_answers_from_the_knowledge_base(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["ask", "--json", "サテライトオフィス北見って何？"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["intent"] == "faq"
    assert data["entry_id"]
    assert 0 < data["score"] <= 1
    assert "サテライトオフィス" in data["text"]
    assert isinstance(data["choices"], list)


def test_ask_out_of_scope_has_no_entry(env: dict[str, str]) -> None:
    data = json.loads(CliRunner().invoke(app, ["ask", "--json", "ビットコインの買い方"]).output)
    assert data["intent"] == "fallback" and data["entry_id"] is None


@pytest.mark.slow
def test_ask_reads_one_question_per_stdin_line(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        input="a\nb\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all({"intent", "entry_id", "score", "text", "choices"} <= set(json.loads(line)) for line in lines)


def test_chat_shows_numbered_choices_and_takes_a_number(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["chat"], input="1\n空港から市内まで何分？\nexit\n")
    assert result.exit_code == 0, result.output
    assert " 1 " in result.output
    assert "女満別" in result.output


def test_db_upgrade(env: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli.db").exists()
