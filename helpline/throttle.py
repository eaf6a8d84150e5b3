"""The limit on failed sign-ins to the web pages, per (username, address) and per address, kept in Redis.

Redis, not the process, so every web process (gunicorn runs several) counts the same attempts.

**Counted first, then checked.** Each attempt adds one to its counters with an atomic INCR
*before* the password is looked at, and goes ahead only if that brought no counter over its
limit. Testing first and counting after a wrong password would let a burst of parallel guesses
all pass the test before any of them was counted; this way twelve at once still get at most
five password checks. A right password takes its attempt back, so a person who signs in and
out all day is never limited.

**Whom a lock-out hurts.** The limits are

- 5 attempts in 15 minutes for one username *from one address*, and
- 30 in 15 minutes from one address, whatever the usernames.

There is deliberately no limit per username alone. Supervisors' usernames are easy to guess
(first names), and a limit per username would let anyone lock a supervisor out of the line's
pages with five wrong passwords from anywhere. Here a stranger's guesses lock only the stranger's
address; the supervisor signs in from their own as usual. The price: a guesser with many
addresses gets 5 guesses per address per 15 minutes at one account, each costing an argon2id
hash (about 60 ms) against a password of at least 10 characters, and every lock is logged. A
username is counted whether or not such an account exists, so a lock says nothing about which
accounts do. Windows are fixed: they start at an address's first attempt and last 15 minutes.

Behind a proxy the address must be the client's (configure ProxyFix), or every sign-in shares
the proxy's address and its limits.

When Redis cannot be reached the sign-in goes ahead unlimited (and the error is logged): the
argon2 hash still makes every guess slow, and locking every supervisor out because Redis
restarted would be worse.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

_NAMESPACE = "helpline-signin"


@dataclass(frozen=True)
class Limit:
    attempts: int
    seconds: int


PER_USERNAME_AND_ADDRESS = Limit(5, 15 * 60)
PER_ADDRESS = Limit(30, 15 * 60)


# Atomic in Redis: count each key, start its window at its first attempt, report count and TTL.
_COUNT = """
local answer = {}
for index, key in ipairs(KEYS) do
    local count = redis.call('INCR', key)
    if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ARGV[index]) end
    answer[#answer + 1] = count
    answer[#answer + 1] = redis.call('TTL', key)
end
return answer
"""
# A right password: the pair starts afresh, the address gets its attempt back (never below zero,
# and never a key without its window).
_TAKE_BACK = """
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) and tonumber(redis.call('GET', KEYS[2])) > 0 then
    redis.call('DECR', KEYS[2])
end
return 1
"""


class SignInThrottle:
    def __init__(self, redis_url: str, *, per_username_and_address: Limit = PER_USERNAME_AND_ADDRESS,
                 per_address: Limit = PER_ADDRESS) -> None:
        self._redis = Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        self._count = self._redis.register_script(_COUNT)
        self._take_back = self._redis.register_script(_TAKE_BACK)
        self.per_username_and_address = per_username_and_address
        self.per_address = per_address

    def _keys(self, username: str, address: str) -> tuple[tuple[str, Limit], tuple[str, Limit]]:
        address = address or "unknown"
        # Hashed: a username is whatever someone typed, and it need not become part of a key as is.
        pair = hashlib.sha256(f"{username}\0{address}".encode("utf-8", "surrogatepass")).hexdigest()
        return ((f"{_NAMESPACE}:pair:{pair}", self.per_username_and_address),
                (f"{_NAMESPACE}:address:{address}", self.per_address))

    def attempt(self, username: str, address: str) -> int | None:
        """Count a sign-in attempt. None: check the password; else the seconds to wait (nothing checked)."""
        keys = self._keys(username, address)
        try:
            results = self._count(keys=[key for key, _ in keys], args=[limit.seconds for _, limit in keys])
        except (RedisError, OSError):
            log.exception("sign-in limit unavailable (Redis); letting the attempt through")
            return None
        waits = []
        for index, (key, limit) in enumerate(keys):
            count, ttl = int(results[2 * index]), int(results[2 * index + 1])
            if count > limit.attempts:
                waits.append(max(1, ttl))
                if count == limit.attempts + 1:
                    log.warning("sign-in limit reached (%s) from %s", key.split(":")[1], address or "unknown")
        return max(waits) if waits else None

    def succeeded(self, username: str, address: str) -> None:
        """A right password takes its attempt back."""
        (pair, _), (by_address, _) = self._keys(username, address)
        try:
            self._take_back(keys=[pair, by_address])
        except (RedisError, OSError):
            log.exception("could not take back a sign-in attempt (Redis)")
