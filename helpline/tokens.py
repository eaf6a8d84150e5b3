"""API bearer tokens: made once, shown once, stored only as a SHA-256 digest."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.models import ApiToken, Role, Staff

TOKEN_PREFIX = "hl_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenRefused(ValueError):
    """The token cannot be made as asked; the message says why."""


def create_token(session: Session, name: str, role: str, now: datetime, *, staff_id: int | None = None) -> str:
    """Store a new token for ``name`` and return it in clear text (the only time it exists).

    ``staff_id``: the active staff member it belongs to. A staff token needs one to close the
    callbacks assigned to that person (without, it may only read); a supervisor's token may name
    one only if that person is a supervisor. Raises TokenRefused.
    """
    if role not in (Role.STAFF.value, Role.SUPERVISOR.value):
        raise TokenRefused(f"role must be 'staff' or 'supervisor', not {role!r}")
    if staff_id is not None:
        owner = session.get(Staff, staff_id)
        if owner is None:
            raise TokenRefused(f"there is no staff member with id {staff_id}")
        if not owner.active:
            raise TokenRefused(f"{owner.name} (id {staff_id}) is not active")
        if role == Role.SUPERVISOR.value and not owner.is_supervisor:
            raise TokenRefused(f"{owner.name} (id {staff_id}) is not a supervisor; make a staff token instead")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, role=role, staff_id=staff_id, token_sha256=digest(token), created_at=now))
    return token


def find_token(session: Session, token: str) -> ApiToken | None:
    """The live token row for a presented bearer token, or None (unknown, revoked, or its owner
    deactivated)."""
    if not token:
        return None
    row = session.execute(select(ApiToken).where(ApiToken.token_sha256 == digest(token))).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if row.staff_id is not None:
        owner = session.get(Staff, row.staff_id)
        if owner is None or not owner.active:
            return None
    return row
