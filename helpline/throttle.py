"""A limit on failed sign-ins to the web pages, per account and per address, kept in Redis.

Redis, not the process, so every web process (gunicorn runs several) counts the same failures.
Only failures count: a person who signs in and out all day is never limited. The windows are
moving (the `limits` library): five failures for one username in 15 minutes lock that username
for the rest of the window, thirty from one address lock the address. The username is counted
whether or not such an account exists, so the lock says nothing about which accounts do.

When Redis cannot be reached the sign-in goes ahead unlimited (and the error is logged): the
argon2 hash still makes every guess slow, and locking every supervisor out because Redis
restarted would be worse.
"""
from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

PER_ACCOUNT = parse("5 per 15 minutes")
PER_ADDRESS = parse("30 per 15 minutes")
_NAMESPACE = "helpline-signin"


class SignInThrottle:
    def __init__(self, redis_url: str, *, per_account: RateLimitItem = PER_ACCOUNT,
                 per_address: RateLimitItem = PER_ADDRESS) -> None:
        self._storage = RedisStorage(redis_url, key_prefix=_NAMESPACE, socket_timeout=2, socket_connect_timeout=2)
        self._limiter = MovingWindowRateLimiter(self._storage)
        self.per_account = per_account
        self.per_address = per_address

    def _checks(self, username: str, address: str) -> tuple[tuple[RateLimitItem, str, str], ...]:
        return ((self.per_account, "account", username), (self.per_address, "address", address or "unknown"))

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds until a sign-in may be tried again, or None when it may be tried now."""
        try:
            waits = []
            for item, kind, key in self._checks(username, address):
                if not self._limiter.test(item, kind, key):
                    reset_at, _remaining = self._limiter.get_window_stats(item, kind, key)
                    waits.append(max(1, math.ceil(reset_at - time.time())))
            return max(waits) if waits else None
        except (RedisError, OSError, ConnectionError):
            log.exception("sign-in limit unavailable (Redis); letting the attempt through")
            return None

    def failed(self, username: str, address: str) -> None:
        try:
            for item, kind, key in self._checks(username, address):
                self._limiter.hit(item, kind, key)
        except (RedisError, OSError, ConnectionError):
            log.exception("could not count a failed sign-in (Redis)")

    def succeeded(self, username: str) -> None:
        """A right password clears that account's failures (not the address's)."""
        try:
            self._limiter.clear(self.per_account, "account", username)
        except (RedisError, OSError, ConnectionError):
            log.exception("could not clear failed sign-ins (Redis)")
