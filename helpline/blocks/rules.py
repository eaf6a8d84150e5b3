"""Blocked numbers, as pure rules: how a number is matched without being kept, and how long a
block lasts.

A block stores no phone number. It stores ``HMAC-SHA256(key, E.164 number)``, the key derived
from SECRET_KEY for this purpose only, so that retention's masking of caller numbers (which
blanks them everywhere they were written) cannot undo a block, and the table cannot be read
back into numbers without the key. For the page it keeps a hint: the number's last digits.
Changing SECRET_KEY makes every block stop matching (they are listed still, and can be made again).

A block of ``days`` days lasts from the moment it is made to the same local wall-clock time
``days`` days later (a week made on Monday 10:00 ends on the next Monday 10:00, across a DST
change too), and is in force while ``now`` is before that end.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MIN_DAYS = 1
MAX_DAYS = 365
REASON_MAX = 200
HINT_DIGITS = 3
# Development runs without SECRET_KEY; a fixed key there keeps hashes stable across processes.
_DEVELOPMENT_KEY = "helpline-development-only"


def block_key(secret_key: str) -> bytes:
    """The key of blocked-number hashes, derived from SECRET_KEY (never SECRET_KEY itself, and not
    the key of the figures' caller hashes either)."""
    return hmac.new((secret_key or _DEVELOPMENT_KEY).encode(), b"helpline blocked number v1", hashlib.sha256).digest()


def number_hash(secret_key: str, e164: str) -> str:
    """What a block stores and matches a caller by: 64 hex digits."""
    return hmac.new(block_key(secret_key), e164.encode(), hashlib.sha256).hexdigest()


def number_hint(e164: str) -> str:
    """What the page shows of a blocked number: '+358401234567' -> '…567'."""
    return "…" + e164[-HINT_DIGITS:]


def ends_at(made_at: datetime, days: int, tz: ZoneInfo) -> datetime:
    """The end of a block of ``days`` days made at ``made_at``: the same local time, in UTC."""
    if made_at.tzinfo is None:
        raise ValueError("a block's start must be time-zone aware")
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise ValueError(f"a block lasts {MIN_DAYS}-{MAX_DAYS} days, not {days}")
    local = made_at.astimezone(tz)
    # Wall-clock arithmetic in the zone, then back to an instant: a day across DST is 23 or 25 hours.
    end = (local.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=tz, fold=0)
    return end.astimezone(timezone.utc)


def notice_languages(caller_languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages a blocked caller hears the notice in. They have chosen none (the notice comes
    before the menu), so: the line's default language, then the other of Finland's two national
    languages (Finnish, Swedish) when the line offers it. English only on a line whose default it is."""
    default = caller_languages[0]
    national = [code for code in ("fi", "sv") if code in caller_languages and code != default]
    return (default, *national[:1]) if default in ("fi", "sv") else (default,)


def in_force(block_ends_at: datetime, now: datetime) -> bool:
    """A block applies before its end, and never again once it has passed."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    return now < block_ends_at


def removable_after(block_ends_at: datetime, retention_days: int) -> datetime:
    """When retention deletes an expired block: RETENTION_DAYS after its end."""
    return block_ends_at + timedelta(days=retention_days)
