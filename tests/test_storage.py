"""Storage on SQLite and on a real PostgreSQL: migrations, users, conversation state, retention, gaps."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select

from bot.clock import utcnow
from bot.conversation import IDLE
from bot.storage import Database, gaps, records, upgrade
from bot.storage.migrate import downgrade
from bot.storage.models import MessageLog, QuestionStat, User

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def migrated(url: str) -> Database:
    db = Database(url)
    upgrade(db)
    return db


def test_migrations_apply_twice_and_roll_back(database_url: str) -> None:
    db = migrated(database_url)
    upgrade(db)  # idempotent
    tables = set(inspect(db.engine).get_table_names())
    assert {"users", "conversations", "message_log", "question_stats", "answer_feedback"} <= tables
    downgrade(db, "base")
    assert "users" not in set(inspect(db.engine).get_table_names())
    db.dispose()


def test_the_same_person_is_one_user_even_when_two_workers_race(database_url: str) -> None:
    db = migrated(database_url)

    def arrive(_: int) -> int:
        with db.transaction() as session:
            return records.get_or_create_user(session, "line", "U123", utcnow()).id

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(arrive, range(16)))
    assert len(ids) == 1
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
    db.dispose()


def test_conversation_state_round_trips_and_expires(database_url: str) -> None:
    db = migrated(database_url)
    with db.transaction() as session:
        user = records.get_or_create_user(session, "web", "abc", NOW)
        state = IDLE.at(
            "lead", "area", {"name": "北見 太郎", "interests": ["住まい", "仕事"]}, NOW, timedelta(days=14)
        )
        records.save_conversation(session, user, state, NOW)
    with db.transaction() as session:
        user = records.get_or_create_user(session, "web", "abc", NOW)
        loaded = records.load_conversation(session, user, NOW + timedelta(days=3))
        assert loaded == state
        assert records.load_conversation(session, user, NOW + timedelta(days=15)) == IDLE
    db.dispose()


def test_a_person_met_twice_in_one_transaction_keeps_what_the_first_turn_changed(database_url: str) -> None:
    # Turns are decided several to a transaction: the same person's second message must see the first.
    db = migrated(database_url)
    with db.transaction() as session:
        first = records.get_or_create_user(session, "line", "U1", NOW)
        first.answers_given += 1
        records.save_conversation(session, first, IDLE.at("lead", "name", {}, NOW, timedelta(days=1)), NOW)
        later = NOW + timedelta(seconds=5)
        second = records.get_or_create_user(session, "line", "U1", later)
        assert second is first and second.answers_given == 1 and second.last_seen_at == later
        assert records.load_conversation(session, second, later).step == "name"
        second.answers_given += 1
        records.save_conversation(session, second, IDLE, later)
    with db.transaction() as session:
        user = records.get_or_create_user(session, "line", "U1", later)
        assert user.answers_given == 2
        assert records.load_conversation(session, user, later) == IDLE
    db.dispose()


def test_a_person_who_asked_to_be_forgotten_starts_afresh_even_in_the_same_batch(database_url: str) -> None:
    from bot.storage import leads

    db = migrated(database_url)
    with db.transaction() as session:
        before = records.get_or_create_user(session, "line", "U1", NOW)
        before.answers_given, before.referral_code = 5, "PARENT1"
        leads.forget_person(session, before, NOW)
        after = records.get_or_create_user(session, "line", "U1", NOW)  # SQLite may even reuse the id
        assert after is not before
        assert (after.answers_given, after.referral_code) == (0, None)
    db.dispose()


def test_referral_and_source_stick_to_the_first_arrival(database_url: str) -> None:
    db = migrated(database_url)
    with db.transaction() as session:
        user = records.get_or_create_user(session, "web", "abc", NOW)
        records.note_arrival(user, ref="PARENT1", src=None)
        records.note_arrival(user, ref="OTHER", src="hospital")
        assert (user.referral_code, user.source) == ("PARENT1", "hospital")
    db.dispose()


def test_old_messages_are_purged(database_url: str) -> None:
    db = migrated(database_url)
    with db.transaction() as session:
        user = records.get_or_create_user(session, "web", "abc", NOW)
        records.log_messages(session, user, [records.LogLine("in", "古い")], NOW - timedelta(days=100))
        records.log_messages(session, user, [records.LogLine("in", "新しい")], NOW - timedelta(days=1))
    with db.transaction() as session:
        assert records.purge_messages(session, NOW, timedelta(days=90)) == 1
        assert session.scalars(select(MessageLog.text)).all() == ["新しい"]
    db.dispose()


def test_gaps_are_counted_without_personal_data(database_url: str) -> None:
    db = migrated(database_url)
    with db.transaction() as session:
        one, other = (records.get_or_create_user(session, "web", who, NOW).id for who in ("a", "b"))
        gaps.record_question(session, one, "ＵＦＯは来ますか", "unanswered", NOW)
        gaps.record_question(session, other, "UFOは来ますか", "unanswered", NOW)
        gaps.record_question(session, one, "電話は090-1234-5678、mail a.b@example.jp です", "unanswered", NOW)
        gaps.record_feedback(session, "access-airport", False, NOW)
        gaps.record_feedback(session, "access-airport", True, NOW)
        gaps.record_feedback(session, "access-airport", False, NOW)
    with db.transaction() as session:
        top = gaps.top_gaps(session)
        assert (top[0].question, top[0].count, top[0].people) == ("ufoは来ますか", 2, 2)
        stored = " ".join(session.scalars(select(QuestionStat.question)).all())
        assert "5678" not in stored and "example.jp" not in stored
        [feedback] = gaps.unhelpful_entries(session)
        assert (feedback.entry_id, feedback.unhelpful, feedback.helpful) == ("access-airport", 2, 1)
    db.dispose()


def test_retention_deletes_old_messages_and_expired_leads(database_url: str) -> None:
    from bot.retention import apply_retention
    from bot.settings import Settings
    from bot.storage import leads
    from bot.storage.models import Lead

    db = migrated(database_url)
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    old, recent = NOW - timedelta(days=800), NOW - timedelta(days=10)
    with db.transaction() as session:
        for who, when in (("old", old), ("recent", recent)):
            user = records.get_or_create_user(session, "web", who, when)
            answers = {"name": who, "interests": [], "registrant": "本人", "contact_method": "email"}
            answers |= dict.fromkeys(
                ("area", "relation", "age_band", "timing", "work_plan", "household"), "x"
            )
            leads.save_lead(session, user, answers, "v1", when, when)
            records.log_messages(session, user, [records.LogLine("in", "質問")], when)
    purged = apply_retention(db, settings, NOW)
    assert (purged.messages, purged.leads) == (1, 1)
    with db.transaction() as session:
        assert session.scalars(select(Lead.name)).all() == ["recent"]
    db.dispose()


def test_a_failed_statement_carries_no_personal_data_into_the_logs(database_url: str) -> None:
    # Errors are logged with their tracebacks; the statement's values are what people wrote.
    db = migrated(database_url)
    name = "北見 花子 090-1234-5678"
    with pytest.raises(Exception) as failure, db.transaction() as session:
        records.log_messages(session, User(id=999_999), [records.LogLine("in", name)], NOW)  # no such person
    assert "花子" not in str(failure.value) and "5678" not in str(failure.value)
    db.dispose()


def test_retention_covers_questions_alerts_and_people_with_nothing_left(database_url: str) -> None:
    from bot.retention import apply_retention
    from bot.settings import Settings
    from bot.storage import leads, outbox
    from bot.storage.models import OutboxMessage, ReferralCode

    db = migrated(database_url)
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    long_ago, lately = NOW - timedelta(days=100), NOW - timedelta(days=1)
    with db.transaction() as session:
        idle = records.get_or_create_user(session, "web", "idle", long_ago)
        parent = records.get_or_create_user(session, "line", "parent", long_ago)
        leads.referral_code_of(session, parent, long_ago)
        fresh = records.get_or_create_user(session, "web", "fresh", lately)
        gaps.record_question(session, idle.id, "山田です。犬と住めますか", "unanswered", long_ago)
        gaps.record_question(session, fresh.id, "猫と住めますか", "unanswered", lately)
        outbox.enqueue(
            session, "handoff", {"handoff_id": 1, "recent": ["山田です"]}, long_ago, user_id=idle.id
        )
        outbox.enqueue(session, "deletion", {"lead_id": 7}, long_ago)
    with db.transaction() as session:
        for row in session.scalars(select(OutboxMessage)):
            outbox.mark_sent(session, row.id, f"CSTAFF:{row.id}.0", long_ago)
    purged = apply_retention(db, settings, NOW)
    assert (purged.people, purged.questions) == (1, 1)
    with db.transaction() as session:
        assert sorted(session.scalars(select(User.channel_user_id))) == ["fresh", "parent"]
        assert session.scalars(select(QuestionStat.question)).all() == ["猫と住めますか"]
        assert session.scalars(select(ReferralCode.user_id)).one() == parent.id
        # The idle person's handoff post is redacted; the old alerts themselves are gone.
        [redaction] = session.scalars(select(OutboxMessage)).all()
        assert (redaction.kind, redaction.status) == ("redact", "pending")
        assert redaction.payload == {"ref": "CSTAFF:1.0", "reason": "retention"}
    db.dispose()


def test_upgrading_scrubs_alerts_of_people_already_deleted(database_url: str) -> None:
    from sqlalchemy import text

    db = Database(database_url)
    upgrade(db, "0006")
    when = NOW.replace(tzinfo=None)
    lead_columns = "registrant, name, area, relation, age_band, timing, work_plan, household, interests"
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, channel, channel_user_id, created_at, last_seen_at, reachable,"
                " answers_given, lead_offered, rate_window_count) VALUES (1, 'web', 'kept', :t, :t,"
                " true, 0, false, 0)"
            ),
            {"t": when},
        )
        connection.execute(
            text(
                f"INSERT INTO leads (id, user_id, {lead_columns}, contact_method, consent_version,"
                " consent_at, status, created_at, updated_at) VALUES (1, 1, 'self', '残る 人', 'x', 'x',"
                " 'x', 'x', 'x', 'x', '[]', 'line', 'v1', :t, 'new', :t, :t)"
            ),
            {"t": when},
        )
        alert = (
            "INSERT INTO outbox (kind, payload, lead_id, status, attempts, next_attempt_at, delivered_ref,"
            " created_at) VALUES ('lead_new', :payload, :lead, :status, 0, :t, :ref, :t)"
        )
        for payload, lead, status, ref in (
            ('{"lead_id": 1, "name": "残る 人"}', 1, "pending", None),
            ('{"lead_id": 2, "name": "消えた 人"}', None, "pending", None),
            ('{"lead_id": 3, "name": "消えた 人"}', None, "sent", "CSTAFF:3.0"),
        ):
            connection.execute(
                text(alert), {"payload": payload, "lead": lead, "status": status, "ref": ref, "t": when}
            )
        connection.execute(
            text(
                "INSERT INTO question_stats (question, outcome, count, first_seen, last_seen)"
                " VALUES ('消えた 人です', 'unanswered', 1, :t, :t)"
            ),
            {"t": when},
        )
    upgrade(db)
    from bot.storage.models import OutboxMessage

    with db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(r.status, r.user_id, r.payload) for r in rows] == [
            ("pending", 1, {"lead_id": 1, "name": "残る 人"}),
            ("cancelled", None, {"lead_id": 2}),
            ("sent", None, {"lead_id": 3}),
            ("pending", None, {"ref": "CSTAFF:3.0", "reason": "request"}),
        ]
        assert session.scalars(select(QuestionStat)).all() == []
    db.dispose()
