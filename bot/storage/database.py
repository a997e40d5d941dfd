"""Engine and transactions for SQLite (the laptop default) and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def _prepare_sqlite(engine: Engine) -> None:
    """Make SQLite behave under several threads and processes.

    WAL lets readers run beside a writer; ``BEGIN IMMEDIATE`` takes the write lock at the start
    of every transaction, so two workers that both read a conversation and then write it are
    serialized instead of one failing with "database is locked" halfway through.

    ``synchronous=NORMAL`` is SQLite's advice for WAL: a commit survives the process being killed
    (every restart test relies on that) but not a power cut, which may lose the last commits
    before a checkpoint. It spares an fsync per commit, and a webhook event commits three times
    (docs/benchmarks.md has the cost). Deployments that must
    survive a power cut run PostgreSQL, whose commits stay fully durable.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let us issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """Owns the engine; hands out one session per unit of work.

    ``hide_parameters``: a failed statement's error (logged with its traceback) would otherwise
    carry its values, and those are people's words, names and contacts.
    """

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        if self.url.get_backend_name() == "sqlite":
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(self.url, connect_args={"timeout": 30}, hide_parameters=True)
            _prepare_sqlite(self.engine)
        else:
            # pre_ping replaces connections the server closed (restart, pg_terminate_backend).
            self.engine = create_engine(
                self.url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True
            )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time, and a writer that finds the lock taken sleeps in steps of
        # up to 100 ms before retrying. Queueing this process's transactions on a lock instead
        # hands the database over at once (other processes still wait on SQLite's own lock).
        self._local_writer: AbstractContextManager[object] = (
            threading.RLock() if self.is_sqlite else nullcontext()
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits together at the end, or not at all."""
        with self._local_writer, self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def statements(self) -> Iterator[Connection]:
        """A Core connection in one transaction, for writes that need no ORM (the inbox's): no
        session to set up and flush, which cost a third of a one-statement transaction."""
        with self._local_writer, self.engine.begin() as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()
