"""Sign-in accounts for the supervisors' web pages.

An account belongs to one staff member: its role and whether it may sign in at all come from
the Staff row (``role``, ``active``), so deactivating someone also ends their web access and
there is one place that says who is a supervisor. The password is stored only as an argon2id
hash (OWASP's recommended minimum parameters: 19 MiB, 2 passes, 1 lane, about 60 ms here).

``session_generation`` ends sessions on the server side: a session cookie carries the generation
it was made in, and every request compares it with this column. Signing out, a new password and
"sign out everywhere" add one to it, so every cookie made before, copies included, is refused
from then on (the cookie itself is only signed, and a copy would otherwise live out its 12 hours).
"""
from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpline.models.base import Base
from helpline.models.staff import Staff

PASSWORD_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 200
USERNAME_MAX_LENGTH = 80


class WeakPassword(ValueError):
    """A password too short or too long to accept; the message says which."""


def check_password_strength(password: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise WeakPassword(f"a password may have at most {PASSWORD_MAX_LENGTH} characters")


def normalise_username(username: str) -> str:
    """Usernames are compared without case or surrounding spaces."""
    return (username or "").strip().lower()


class WebLogin(Base):
    __tablename__ = "web_login"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), unique=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # The interface language the person chose (fi, sv, en); None: the line's default.
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]
    last_signed_in_at: Mapped[datetime | None] = mapped_column(default=None)
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    staff: Mapped[Staff] = relationship(lazy="joined")

    def set_password(self, password: str, now: datetime, *, end_sessions: bool = True) -> None:
        """A new password ends every session made with the old one (see end_sessions); only a
        rehash of the same password at sign-in (stronger parameters) leaves them be."""
        check_password_strength(password)
        self.password_hash = PASSWORD_HASHER.hash(password)
        self.password_changed_at = now
        if end_sessions:
            self.end_sessions()

    def end_sessions(self) -> int:
        """Refuse every session cookie made so far, on every device; the new generation to sign
        a session that should carry on (the one that changed the password) with."""
        self.session_generation = (self.session_generation or 0) + 1
        return self.session_generation

    def check_password(self, password: str) -> bool:
        try:
            return PASSWORD_HASHER.verify(self.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def password_needs_rehash(self) -> bool:
        return PASSWORD_HASHER.check_needs_rehash(self.password_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # A hash of a random string nobody knows, made with the same parameters.
    return PASSWORD_HASHER.hash(secrets.token_hex(16))


def dummy_password_check(password: str) -> None:
    """Spend the time a real check would, so an unknown username is not told apart by timing."""
    try:
        PASSWORD_HASHER.verify(_dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        pass
