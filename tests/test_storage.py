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
        gaps.record_question(session, "ＵＦＯは来ますか", "unanswered", NOW)
        gaps.record_question(session, "UFOは来ますか", "unanswered", NOW)
        gaps.record_question(session, "電話は090-1234-5678、mail a.b@example.jp です", "unanswered", NOW)
        gaps.record_feedback(session, "access-airport", False, NOW)
        gaps.record_feedback(session, "access-airport", True, NOW)
        gaps.record_feedback(session, "access-airport", False, NOW)
    with db.transaction() as session:
        top = gaps.top_gaps(session)
        assert (top[0].question, top[0].count) == ("ufoは来ますか", 2)
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
