"""Enqueue RQ jobs only after the database transaction that they depend on has committed.

A job that runs before its row is committed finds nothing (or stale data); a job enqueued for
a transaction that rolled back does work that never happened. So jobs are queued on the
session and sent to Redis from its ``after_commit`` hook. When Redis is unreachable the job is
simply not queued: the row already records what is due, and the periodic sweep re-finds it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

QUEUE_NAME = "helpline"
_PENDING_KEY = "helpline.pending_jobs"
# Backoff for a job that raised: RQ retries it (needs the worker's --with-scheduler).
DEFAULT_RETRY = Retry(max=5, interval=[10, 30, 60, 300, 900])


@dataclass(frozen=True)
class PendingJob:
    func: str  # dotted path, e.g. "helpline.queue.jobs.process_callback"
    args: tuple[Any, ...]
    job_id: str


class JobDispatcher:
    def __init__(self, redis_url: str, queue_name: str = QUEUE_NAME) -> None:
        self.redis_url = redis_url
        self.queue_name = queue_name
        self._redis: Redis | None = None

    @property
    def redis(self) -> Redis:
        if self._redis is None:
            # Short timeouts: a webhook must never hang on a Redis that is down.
            self._redis = Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)
        return self._redis

    @property
    def queue(self) -> Queue:
        return Queue(self.queue_name, connection=self.redis)

    def enqueue_after_commit(self, session: Session, func: str, *args: Any, job_id: str) -> None:
        pending: list[PendingJob] = session.info.setdefault(_PENDING_KEY, [])
        if not pending:
            event.listen(session, "after_commit", self._flush, once=True)
            event.listen(session, "after_rollback", _discard, once=True)
        pending.append(PendingJob(func, args, job_id))

    def _flush(self, session: Session) -> None:
        for job in session.info.pop(_PENDING_KEY, []):
            self.enqueue_now(job.func, *job.args, job_id=job.job_id)

    def enqueue_now(self, func: str, *args: Any, job_id: str) -> bool:
        """Queue a job; False (and a warning) when Redis is unreachable. Never raises."""
        try:
            self.queue.enqueue(func, *args, job_id=job_id, retry=DEFAULT_RETRY)
        except RedisError as error:
            log.warning("Redis unreachable, %s(%s) left for the sweep: %s", func, args, error)
            return False
        return True


def _discard(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
