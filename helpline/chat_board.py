"""The web chat's notice board in Redis: what a visitor's poll reads instead of the database.

Each chat conversation has one Redis hash, ``helpline-chat:<callback id>``, holding

- ``h``: the SHA-256 of the visitor's secret (the same as the chat_visitor row's), and
- ``v``: the conversation's version, raised after every commit that changed what the visitor
  sees (a message from either side, the chat ended or closed).

A poll is one HMGET: the cookie's secret is checked against ``h`` and the version the page has
against ``v``; an unchanged conversation is answered without reading a table row. When the hash
is missing (Redis flushed or restarted, an old conversation) the poll reads the database once
and puts it back (:meth:`ChatBoard.seed`) under a fresh version, so no page can keep a stale one.

Raising the version is asked for on the session and done after commit, like the jobs of
helpline.dispatch: a poll that sees the new version always finds the committed rows. When Redis
is down the poll falls back to the database: slower, never wrong.

The per-minute limits on chat messages (per conversation and per address) are here too.
"""
from __future__ import annotations

import logging
import secrets

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_NAMESPACE = "helpline-chat"
_PENDING_KEY = "helpline.chat_bumps"
# A conversation's entry outlives any open chat page; a poll after that re-seeds it.
KEEP_SECONDS = 7 * 24 * 3600

# INCR each key, start its window at the first count; answer the counts.
_COUNT = """
local answer = {}
for index, key in ipairs(KEYS) do
    local count = redis.call('INCR', key)
    if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ARGV[1]) end
    answer[#answer + 1] = count
end
return answer
"""
# Raise the version only of a conversation whose entry exists (a missing one is seeded by a poll).
_BUMP = """
if redis.call('HEXISTS', KEYS[1], 'h') == 1 then
    return redis.call('HINCRBY', KEYS[1], 'v', 1)
end
return 0
"""


class ChatBoard:
    def __init__(self, redis_url: str) -> None:
        self._redis = Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        self._count = self._redis.register_script(_COUNT)
        self._bump = self._redis.register_script(_BUMP)

    @staticmethod
    def key(callback_id: int) -> str:
        return f"{_NAMESPACE}:{callback_id}"

    def read(self, callback_id: int) -> tuple[str | None, str | None]:
        """(secret hash, version) of a conversation; (None, None) when unknown or Redis is down."""
        try:
            secret_hash, version = self._redis.hmget(self.key(callback_id), "h", "v")
        except (RedisError, OSError):
            log.exception("chat board unavailable (Redis); reading the database")
            return None, None
        return (secret_hash.decode() if secret_hash else None, version.decode() if version else None)

    def seed(self, callback_id: int, secret_hash: str) -> str:
        """Put a conversation back on the board under a fresh version; returns the version."""
        version = str(secrets.randbelow(2**40) + 1_000_000)
        try:
            pipe = self._redis.pipeline()
            pipe.hset(self.key(callback_id), mapping={"h": secret_hash, "v": version})
            pipe.expire(self.key(callback_id), KEEP_SECONDS)
            pipe.execute()
        except (RedisError, OSError):
            log.exception("could not seed chat #%s on the board (Redis)", callback_id)
        return version

    def bump(self, callback_id: int) -> None:
        try:
            self._bump(keys=[self.key(callback_id)])
        except (RedisError, OSError):
            log.exception("could not raise chat #%s's version (Redis); its poll reads the database", callback_id)

    def forget(self, callback_id: int) -> None:
        try:
            self._redis.delete(self.key(callback_id))
        except (RedisError, OSError):
            log.exception("could not take chat #%s off the board (Redis)", callback_id)

    def within_limits(self, counted: list[tuple[str, int]], window_seconds: int = 60) -> bool:
        """Count one message against each (name, limit); False when any is over its limit.

        Counted first, then checked (as helpline.throttle does), so a burst cannot slip past.
        When Redis is down the message goes through (the length limit still holds)."""
        keys = [f"{_NAMESPACE}-limit:{name}" for name, _ in counted]
        try:
            counts = self._count(keys=keys, args=[window_seconds])
        except (RedisError, OSError):
            log.exception("chat limits unavailable (Redis); letting the message through")
            return True
        return all(int(count) <= limit for count, (_, limit) in zip(counts, counted))


def bump_after_commit(session: Session, callback_id: int) -> None:
    """After this session commits, raise the chat's version (its visitor's page then reads it)."""
    pending: set[int] = session.info.setdefault(_PENDING_KEY, set())
    if not pending:
        event.listen(session, "after_commit", _flush, once=True)
        event.listen(session, "after_rollback", _discard, once=True)
    pending.add(callback_id)


def _flush(session: Session) -> None:
    from helpline.services import current_services

    board = current_services().chat_board
    for callback_id in sorted(session.info.pop(_PENDING_KEY, set())):
        board.bump(callback_id)


def _discard(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
