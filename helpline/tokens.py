"""API bearer tokens: made once, shown once, stored only as a SHA-256 digest."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.models import ApiToken, Role

TOKEN_PREFIX = "hl_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, name: str, role: str, now: datetime, *, staff_id: int | None = None) -> str:
    """Store a new token for ``name`` (the person ``staff_id``, when given) and return it in clear
    text (the only time it exists)."""
    if role not in (Role.STAFF.value, Role.SUPERVISOR.value):
        raise ValueError(f"role must be 'staff' or 'supervisor', not {role!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, role=role, staff_id=staff_id, token_sha256=digest(token), created_at=now))
    return token


def find_token(session: Session, token: str) -> ApiToken | None:
    """The live token row for a presented bearer token, or None."""
    if not token:
        return None
    row = session.execute(select(ApiToken).where(ApiToken.token_sha256 == digest(token))).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return row
