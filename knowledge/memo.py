"""What one turn has already worked out about a text, forgotten when the turn ends.

A turn reads the same sentence several times (the recognizer, the search by words, the search
with the vector, its places and clauses); :func:`per_turn` keeps each result for the rest of the
turn. A process-wide cache would also keep the last thousands of texts people typed — names,
addresses, what went into a form — in memory long after they were answered and after the person
asked for their data to be deleted; none is kept past :func:`one_turn`. Outside a turn (building
the index from the entries) the functions simply compute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

Result = TypeVar("Result")

_memo: ContextVar[dict[tuple[Callable[..., Any], str], Any] | None] = ContextVar("turn_memo", default=None)


@contextmanager
def one_turn() -> Iterator[None]:
    """Results of :func:`per_turn` functions are shared inside, and dropped on leaving. Nested
    turns share the outer one's memo."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def per_turn(function: Callable[[str], Result]) -> Callable[[str], Result]:
    """``function`` of one text, remembered until the current turn ends."""

    @wraps(function)
    def remembered(text: str) -> Result:
        memo = _memo.get()
        if memo is None:
            return function(text)
        key = (function, text)
        if key not in memo:
            memo[key] = function(text)
        return memo[key]

    return remembered
