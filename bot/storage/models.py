"""The database schema (SQLAlchemy 2.x declarative). Every change here needs an Alembic migration."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from bot.lead_fields import LeadStatus


def _values(enum: type[LeadStatus]) -> list[str]:
    return [member.value for member in enum]


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (SQLite has none) and always hands back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use bot.clock.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON}


class User(Base):
    """A person on one channel. The same person on LINE and on the web is two users."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id", name="uq_users_channel_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    # For the web this is a hash of the session cookie, never the cookie itself.
    channel_user_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    referral_code: Mapped[str | None] = mapped_column(String(32))  # the code they arrived with
    source: Mapped[str | None] = mapped_column(String(32))  # pamphlet location, seminar ...
    answers_given: Mapped[int] = mapped_column(Integer, default=0)  # FAQ answers, to offer registration once
    lead_offered: Mapped[bool] = mapped_column(Boolean, default=False)
    # A fixed one-minute window for the per-person rate limit (a row, so all workers share it).
    rate_window_start: Mapped[datetime | None]
    rate_window_count: Mapped[int] = mapped_column(Integer, default=0)


class Conversation(Base):
    """Where a person is in a multi-turn form. A row, so it survives restarts and is shared by workers."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    form: Mapped[str | None] = mapped_column(String(64))
    step: Mapped[str | None] = mapped_column(String(64))
    slots: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class MessageLog(Base):
    """What was said, kept for ``MESSAGE_LOG_RETENTION_DAYS`` to answer follow-ups and improve content."""

    __tablename__ = "message_log"
    __table_args__ = (
        Index("ix_message_log_user_created", "user_id", "created_at"),
        Index("ix_message_log_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))  # "in" or "out"
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[str | None] = mapped_column(String(200))
    intent: Mapped[str | None] = mapped_column(String(64))
    entry_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]


class QuestionStat(Base):
    """Questions the concierge could not answer (or was unsure of), normalized and counted per person.

    A question is free text and may hold a name, so it is kept like the message log it comes
    from: digits and e-mail addresses masked, tied to the person who asked (deleting them
    deletes it) and purged after ``MESSAGE_LOG_RETENTION_DAYS``. `concierge kb gaps` adds the
    rows up across people and never shows who asked.
    """

    __tablename__ = "question_stats"
    __table_args__ = (
        UniqueConstraint("question", "outcome", "user_id", name="uq_question_stats_question_outcome_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(16))  # "unanswered" or "unsure"
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]


class AnswerFeedback(Base):
    """「役に立ちましたか？」 counted per knowledge entry."""

    __tablename__ = "answer_feedback"

    entry_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    helpful: Mapped[int] = mapped_column(Integer, default=0)
    unhelpful: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime]


class InboundEvent(Base):
    """Every webhook event we accepted, keyed by the channel's own event id.

    The unique key is the dedupe: a LINE redelivery, a Slack retry or the same event reaching two
    workers inserts nothing the second time, so it is acknowledged and skipped. The stored body
    makes it an inbox too: an event acknowledged just before a crash is processed after restart.
    """

    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("source", "event_id", name="uq_inbound_events_source_event"),
        Index("ix_inbound_events_status", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # "line", "slack"
    event_id: Mapped[str] = mapped_column(String(128))
    body: Mapped[str | None] = mapped_column(Text)  # the event's JSON, dropped once processed
    # pending → answered (reply decided and stored, not yet delivered) → done / failed
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reply: Mapped[str | None] = mapped_column(Text)  # the decided response's JSON, until delivered
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]


class Lead(Base):
    """A person who asked to be contacted about moving to Kitami: one per person per channel.

    Personal data (name, contact) lives only here and in the staff alert; it is deleted with
    the lead when the person asks (`データを削除`) or staff run `concierge leads delete`.
    """

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    registrant: Mapped[str] = mapped_column(String(16))  # "self" or "family"
    name: Mapped[str] = mapped_column(String(100))
    area: Mapped[str] = mapped_column(String(100))
    relation: Mapped[str] = mapped_column(String(32))
    age_band: Mapped[str] = mapped_column(String(16))
    timing: Mapped[str] = mapped_column(String(16))
    work_plan: Mapped[str] = mapped_column(String(32))
    household: Mapped[str] = mapped_column(String(16))
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_method: Mapped[str] = mapped_column(String(16))  # "line", "email", "phone"
    contact_value: Mapped[str | None] = mapped_column(String(254))
    referral_code: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(String(32))
    consent_version: Mapped[str] = mapped_column(String(16))
    consent_at: Mapped[datetime]
    # Stored as the enum's value in a VARCHAR(16), as before the enum existed: no data migration.
    status: Mapped[LeadStatus] = mapped_column(
        Enum(LeadStatus, native_enum=False, length=16, values_callable=_values, create_constraint=False),
        default=LeadStatus.NEW,
    )
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ReferralCode(Base):
    """A parent's personal code: children who arrive with it are credited to it."""

    __tablename__ = "referral_codes"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime]


class Source(Base):
    """A place a pamphlet or link was handed out (a hospital, a funeral hall, a seminar)."""

    __tablename__ = "sources"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class OutboxMessage(Base):
    """A staff alert written in the same transaction as the lead or handoff it announces.

    The delivery loop claims a row (``locked_until``), sends it, and marks it sent; a failure
    schedules a retry with backoff. A Slack outage only delays alerts. Once sent, the payload
    keeps only ids; the person's alerts are cancelled (pending) or their posts redacted (sent)
    when the person is forgotten, which is why each row knows whose it is (``user_id``).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # lead_new, lead_updated, handoff, handoff_message, deletion, redact, summary
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # pending / sent / cancelled (its person was forgotten) / summarised (posted in a summary)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_ref: Mapped[str | None] = mapped_column(String(128))  # e.g. Slack "channel:ts"
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Handoff(Base):
    """A person asked for a human: staff answer in the alert's Slack thread until closed or 24 hours pass."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open / claimed / closed
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    thread_ref: Mapped[str | None] = mapped_column(
        String(128), unique=True
    )  # Slack "channel:ts" of the alert
    opened_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class StaffReply(Base):
    """A staff answer for a web-chat person, held until their page fetches it (the web can't push)."""

    __tablename__ = "staff_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


class RateCounter(Base):
    """How many of something happened in one hour, per key (an address hash, or a whole kind).

    A row, so every worker shares the count; limits that must hold without a cookie (new web
    sessions, handoffs, alerts) are checked against it. Old windows are purged by retention.
    """

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CityEvent(Base):
    """A seminar, tour, fair, internship or consultation day the city holds (staff-maintained).

    ``version`` rises with every change staff make, so each change is told to applicants once.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_starts_at", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)  # staff's own key (CSV re-imports)
    title: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # seminar / tour / fair / internship / consultation
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    place: Mapped[str | None] = mapped_column(String(200))
    online_url: Mapped[str | None] = mapped_column(String(500))
    audience: Mapped[str] = mapped_column(String(16))  # parents / natives / students / anyone
    capacity: Mapped[int | None] = mapped_column(Integer)  # people; None: no limit
    apply_by: Mapped[datetime | None]
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open / cancelled
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EventApplication(Base):
    """A person's application to an event: personal data, deleted with the person (foreign key)."""

    __tablename__ = "event_applications"
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_event_applications_event_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    contact: Mapped[str] = mapped_column(String(254))  # e-mail, phone, or "LINE"
    party_size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # confirmed / waiting / withdrawn
    consent_version: Mapped[str] = mapped_column(String(16))
    consent_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EventNotice(Base):
    """A message to one applicant (a reminder, a change, a cancellation, a seat freed), sent once.

    ``key`` is unique: planning the same notice twice inserts nothing, and it doubles as LINE's
    retry key, so a push retried after a crash is not shown twice.
    """

    __tablename__ = "event_notices"
    __table_args__ = (Index("ix_event_notices_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("event_applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # reminder / changed / cancelled / promoted
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending / sent
    due_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class NoticeSubscription(Base):
    """A person asked for notices on one topic; deleting the person deletes it (foreign key)."""

    __tablename__ = "notice_subscriptions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32), primary_key=True)  # see desk.notices.TOPICS
    created_at: Mapped[datetime]


class Notice(Base):
    """A message staff send to the people subscribed to a topic, narrowed by a segment.

    draft (composed, previewed) → confirmed (recipients fixed as delivery rows, batched) → done.
    """

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(String(64))
    segment: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # LINE's customAggregationUnits name: staff read unique opens and clicks per notice under it.
    aggregation_unit: Mapped[str] = mapped_column(String(30), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft / confirmed / done
    created_by: Mapped[str | None] = mapped_column(String(64))  # a Slack user id, or "cli"
    thread_ref: Mapped[str | None] = mapped_column(String(128))  # Slack "channel:ts" for the result
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class NoticeBatch(Base):
    """One LINE multicast call (at most 500 people): pending → sending (retry key stored) → sent / failed.

    The retry key is written before the call and reused when the call is retried, after a crash
    too, so LINE accepts the batch at most once (a repeat is answered 409).
    """

    __tablename__ = "notice_batches"
    __table_args__ = (Index("ix_notice_batches_notice_status", "notice_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    retry_key: Mapped[str | None] = mapped_column(String(36), unique=True)
    locked_until: Mapped[datetime | None]  # a worker is sending it; after this, another may resume
    first_sent_at: Mapped[datetime | None]  # its first call: LINE honours a retry key for 24 hours
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class NoticeDelivery(Base):
    """One person's copy of one notice: the unique key is what makes it at most once.

    pending → sent / failed / blocked (unfollowed on LINE) / skipped (opted out before sending).
    Deleting the person deletes the row (foreign key).
    """

    __tablename__ = "notice_deliveries"
    __table_args__ = (
        UniqueConstraint("notice_id", "user_id", name="uq_notice_deliveries_notice_user"),
        Index("ix_notice_deliveries_batch", "batch_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("notice_batches.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    delivered_at: Mapped[datetime | None]


class LeadNote(Base):
    """A staff note on a lead (from Slack or the console); it goes when the lead goes."""

    __tablename__ = "lead_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(64))  # a Slack user id, or "web:" + a console account
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class StaffAccount(Base):
    """A console account. The password is stored only as an argon2 hash; the one-time setup link's
    token only as a SHA-256 hash. Repeated failed sign-ins lock the account for a while."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # viewer / editor / admin
    password_hash: Mapped[str | None] = mapped_column(String(200))
    setup_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    setup_expires_at: Mapped[datetime | None]
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class StaffSession(Base):
    """A signed-in browser: the cookie holds a random token, this row only its SHA-256 hash."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class AuditEntry(Base):
    """Who looked at or exported personal data, and when (APPI: the city knows who saw what).

    ``target`` names things by id only ("lead:12", "leads.csv"), never by a person's data, so the
    row can stay after the person is forgotten.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_created", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))  # view_lead, list_leads, export_csv, change_status …
    target: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class KbEdit(Base):
    """An answer edited in the console, kept with who and when; the newest row per entry is what the
    concierge answers from (bundled YAML underneath). Its id is the knowledge version: every
    worker compares the highest id with the one it built its index from, on every turn."""

    __tablename__ = "kb_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(128), index=True)
    questions: Mapped[list[str]] = mapped_column(JSON)
    answer: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reviewed: Mapped[str] = mapped_column(String(10))  # ISO date
    author: Mapped[str] = mapped_column(String(64))  # the console account
    created_at: Mapped[datetime]
