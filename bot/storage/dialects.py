"""Statements built once for each database the concierge runs on (SQLite and PostgreSQL).

An upsert (``INSERT … ON CONFLICT``) is written with the dialect's own ``insert``. Built per call,
a statement cost about as much as running it (coercing every value, computing its cache key), so
the hot ones are built at import with bind parameters and picked by the connection's dialect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any, cast

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


class PerDialect:
    """One statement, built for every supported dialect by ``build(dialect_module)``."""

    def __init__(self, build: Callable[[ModuleType], Any]) -> None:
        self._built = {"postgresql": build(postgresql), "sqlite": build(sqlite)}

    def on(self, where: Connection | Session) -> Any:
        """The statement for the database behind a connection or a session."""
        bind = where.get_bind() if isinstance(where, Session) else where
        return self._built[bind.dialect.name]


def upsert(
    model: type[Any],
    values: Mapping[str, Any],
    keys: Sequence[str],
    on_conflict: Mapping[str, Any],
    *,
    returning: bool = False,
) -> PerDialect:
    """INSERT ``values``, or where the unique ``keys`` already exist SET ``on_conflict``: one
    statement, so two writers never lose an update or fail on each other's insert. With
    ``returning``, the row as it stands afterwards comes back."""
    table = cast(Table, model.__table__)

    def build(dialect: ModuleType) -> Any:
        statement = (
            dialect.insert(table).values(values).on_conflict_do_update(index_elements=keys, set_=on_conflict)
        )
        return statement.returning(*table.c) if returning else statement

    return PerDialect(build)
