"""Callers without their numbers: a keyed hash that still tells repeat callers apart.

``caller_key = HMAC-SHA256(key, E.164 number)``, the key derived from SECRET_KEY. The retention
job stores it in ``Call.caller_hash`` before it masks the number, and the loader hashes the
numbers not masked yet the same way, so a figure is the same before and after masking. Without
the key the hash cannot be turned back into a number by trying all Finnish numbers. Changing
SECRET_KEY starts new keys: calls masked before the change no longer match later calls of the
same person (repeat callers across that change are undercounted, never anything else).
"""
from __future__ import annotations

import hashlib
import hmac

# Development runs without SECRET_KEY; a fixed key there keeps hashes stable across processes.
_DEVELOPMENT_KEY = "helpline-development-only"


def caller_hash_key(secret_key: str) -> bytes:
    """A key for caller hashes only, derived from SECRET_KEY (never SECRET_KEY itself)."""
    return hmac.new((secret_key or _DEVELOPMENT_KEY).encode(), b"helpline caller hash v1", hashlib.sha256).digest()


class CallerKeys:
    """``caller_key(number)``, remembered per number (a busy year has a few thousand callers)."""

    def __init__(self, secret_key: str) -> None:
        self._key = caller_hash_key(secret_key)
        self._known: dict[str, str] = {}

    def __call__(self, number: str) -> str:
        known = self._known.get(number)
        if known is None:
            known = self._known[number] = hmac.new(self._key, number.encode(), hashlib.sha256).hexdigest()
        return known
