"""Console accounts: one-time setup links, argon2 passwords, lock-out, sessions, roles.

Secrets are never stored as given: passwords as argon2 hashes (argon2-cffi), setup and session
tokens as SHA-256 hashes of random tokens, so a copy of the database signs no one in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage.models import StaffAccount, StaffSession

SETUP_LIFETIME = timedelta(hours=24)
SESSION_LIFETIME = timedelta(hours=8)  # a working day; sign in again the next
MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCK_TIME = timedelta(minutes=15)
MIN_PASSWORD = 12
NAME_LIMIT = 64
_hasher = PasswordHasher()
# Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class Role(StrEnum):
    VIEWER = "viewer"  # reads leads, content and numbers
    EDITOR = "editor"  # also changes statuses, writes notes, answers handoffs, edits content
    ADMIN = "admin"  # also reads the audit log

    def allows(self, needed: Role) -> bool:
        order = [Role.VIEWER, Role.EDITOR, Role.ADMIN]
        return order.index(self) >= order.index(needed)


@dataclass(frozen=True)
class Staff:
    """A signed-in console user."""

    account_id: int
    name: str
    role: Role
    csrf_token: str


class AccountError(ValueError):
    pass


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add(session: Session, name: str, role: Role, now: datetime) -> str:
    """Create an account without a password; the setup token to put in its one-time link."""
    name = name.strip()
    if not name or len(name) > NAME_LIMIT:
        raise AccountError(f"name must be 1–{NAME_LIMIT} characters")
    if session.scalars(select(StaffAccount).where(StaffAccount.name == name)).first() is not None:
        raise AccountError(f"account {name!r} exists")
    token = secrets.token_urlsafe(32)
    session.add(
        StaffAccount(
            name=name,
            role=role,
            setup_token_hash=_digest(token),
            setup_expires_at=now + SETUP_LIFETIME,
            failed_attempts=0,
            created_at=now,
        )
    )
    return token


def setup_account(session: Session, token: str) -> StaffAccount | None:
    account = session.scalars(
        select(StaffAccount).where(StaffAccount.setup_token_hash == _digest(token))
    ).one_or_none()
    return account


def set_password(session: Session, token: str, password: str, now: datetime) -> str | None:
    """Use a setup link once; the account's name, or None if the link is unknown or expired."""
    account = setup_account(session, token)
    if account is None or account.setup_expires_at is None or account.setup_expires_at <= now:
        return None
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password must be at least {MIN_PASSWORD} characters")
    account.password_hash = _hasher.hash(password)
    account.setup_token_hash, account.setup_expires_at = None, None
    account.failed_attempts, account.locked_until = 0, None
    session.execute(delete(StaffSession).where(StaffSession.account_id == account.id))
    return account.name


class SignIn(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # unknown name or wrong password: the page says the same for both
    LOCKED = "locked"


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    token: str | None = None  # the session cookie's value


def sign_in(session: Session, name: str, password: str, now: datetime) -> SignInResult:
    account = session.scalars(
        select(StaffAccount).where(StaffAccount.name == name.strip()).with_for_update()
    ).one_or_none()
    if account is None or account.password_hash is None:
        _verify(_DUMMY_HASH, password)
        return SignInResult(SignIn.WRONG)
    if account.locked_until is not None and account.locked_until > now:
        return SignInResult(SignIn.LOCKED)
    if not _verify(account.password_hash, password):
        account.failed_attempts += 1
        if account.failed_attempts >= MAX_FAILURES:
            account.failed_attempts, account.locked_until = 0, now + LOCK_TIME
            return SignInResult(SignIn.LOCKED)
        return SignInResult(SignIn.WRONG)
    account.failed_attempts, account.locked_until = 0, None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_digest(token),
            account_id=account.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return SignInResult(SignIn.OK, token)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def signed_in(session: Session, token: str | None, now: datetime) -> Staff | None:
    if not token:
        return None
    row = session.get(StaffSession, _digest(token))
    if row is None or row.expires_at <= now:
        return None
    account = session.get(StaffAccount, row.account_id)
    if account is None:
        return None
    return Staff(account.id, account.name, Role(account.role), row.csrf_token)


def sign_out(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))
