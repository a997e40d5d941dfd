"""Configuration, read once from the environment (and a ``.env`` file) and passed in explicitly.

No module reads the environment on import: ``create_app(settings)`` and the CLI build a
:class:`Settings` and hand it down, so tests can build apps with their own.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./data/concierge.db"


class Settings(BaseSettings):
    """Every variable here is documented in the README's configuration table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default=DEFAULT_DATABASE_URL, description="SQLAlchemy URL")
    knowledge_path: Path | None = Field(
        default=None, description="Directory of knowledge YAML files; the bundled knowledge base if unset"
    )
    knowledge_semantic: bool = Field(
        default=True,
        description="Match questions by meaning too (a sentence-vector model in the process, ~60 MB)",
    )
    message_log_retention_days: int = Field(
        default=90, ge=0, description="Days a chat message is kept; 0 keeps no message log at all"
    )
    lead_retention_days: int = Field(
        default=730,
        ge=1,
        description="A lead untouched this long is deleted (the consent notice says 2 years)",
    )
    conversation_ttl_hours: int = Field(
        default=14 * 24, ge=1, description="An unfinished form is forgotten after this many hours"
    )
    rate_limit_per_minute: int = Field(
        default=20,
        ge=1,
        description="Messages one person may send per minute before being asked to slow down",
    )
    # Limits that need no cookie: a script that drops its cookie is a new person every time, so
    # the per-person rate limit can't hold it; these count per client address and overall.
    web_sessions_per_hour_per_address: int = Field(
        default=30, ge=1, description="New web-chat sessions one network address may open per hour"
    )
    web_sessions_per_hour: int = Field(
        default=2000, ge=1, description="New web-chat sessions per hour, overall"
    )
    handoffs_per_hour_per_address: int = Field(
        default=3, ge=1, description="Handoffs to staff one web address may open per hour"
    )
    handoffs_per_hour: int = Field(default=20, ge=1, description="Handoffs to staff per hour, overall")
    lead_alerts_per_hour_per_address: int = Field(
        default=3,
        ge=1,
        description="Lead alerts posted one by one per web address per hour; more are summarised",
    )
    lead_alerts_per_hour: int = Field(
        default=20,
        ge=1,
        description="Lead and deletion alerts posted one by one per hour; more are summarised",
    )
    session_cookie_secure: bool = Field(
        default=False, description="Send the web-chat cookie only over HTTPS (set true in production)"
    )
    staff_cookie_secure: bool = Field(
        default=True,
        description="Send the staff console's cookies only over HTTPS; false only for tests on http://127.0.0.1",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Public URL of this server, used in shared links"
    )
    log_level: str = Field(default="INFO", description="Python logging level")

    line_channel_secret: str | None = Field(
        default=None, description="LINE channel secret; LINE is off without it"
    )
    line_channel_access_token: str | None = Field(default=None, description="LINE channel access token")
    line_bot_basic_id: str | None = Field(
        default=None, description="The account's basic ID (@xxxx) for share links"
    )
    line_api_base_url: str = Field(
        default="https://api.line.me", description="LINE API host (tests: a stand-in)"
    )
    line_answer_in_worker: bool = Field(
        default=False,
        description="Web processes only acknowledge LINE events; `concierge worker` answers them",
    )

    slack_bot_token: str | None = Field(
        default=None, description="Slack bot token (xoxb-…); Slack is off without it"
    )
    slack_signing_secret: str | None = Field(default=None, description="Slack signing secret")
    slack_app_token: str | None = Field(
        default=None, description="Slack app-level token (xapp-…) for Socket Mode"
    )
    slack_staff_channel: str | None = Field(default=None, description="Channel id where staff alerts go")
    slack_staff_user_ids: str = Field(
        default="", description="Comma-separated Slack user ids allowed to use staff buttons and commands"
    )
    slack_api_url: str = Field(default="https://slack.com/api/", description="Slack Web API base URL (tests)")

    @property
    def staff_user_ids(self) -> frozenset[str]:
        return frozenset(u.strip() for u in self.slack_staff_user_ids.split(",") if u.strip())

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
