"""Asking for work after commit: every RQ job the line runs is named here, with its one id.

Domain code (callbacks/, sms/, inbound/, feedback/) asks for a job through the ``after_commit_*``
functions below and never imports ``helpline.queue``; the jobs themselves live there and are named
here by their dotted path (a test checks that each one resolves). A fixed id per job makes asking
twice the same as asking once.

Jobs are enqueued only after the database transaction that they depend on has committed.

A job can also be asked for at a moment (``at=``): RQ's scheduler (``rq worker --with-scheduler``)
queues it then, so a reminder, an escalation, the announcement at the opening or a delayed SMS
is acted on within about two seconds of falling due, whatever the sweep's period (see
:meth:`JobDispatcher.schedule_at`). The sweep stays the safety net for whatever Redis loses.

Jobs take ids only, so Redis holds their arguments and results as JSON (:data:`SERIALIZER`),
never as pickles: every Queue and every worker of the line uses it (``rq worker --serializer
rq.serializers.JSONSerializer``).

A job that runs before its row is committed finds nothing (or stale data); a job enqueued for
a transaction that rolled back does work that never happened. So jobs are queued on the
session and sent to Redis from its ``after_commit`` hook. When Redis is unreachable the job is
simply not queued: the row already records what is due, and the periodic sweep re-finds it.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

QUEUE_NAME = "helpline"
_PENDING_KEY = "helpline.pending_jobs"
# Backoff for a job that raised: RQ retries it (needs the worker's --with-scheduler).
DEFAULT_RETRY = Retry(max=5, interval=[10, 30, 60, 300, 900])
# Job arguments and results in Redis: JSON, never pickle. Workers: `--serializer SERIALIZER_PATH`.
SERIALIZER = JSONSerializer
SERIALIZER_PATH = f"{SERIALIZER.__module__}.{SERIALIZER.__qualname__}"  # rq.serializers.JSONSerializer
# A scheduled job still in one of these will run; in any other (running, finished, failed) it
# will not run again for the moment it was scheduled at.
_WAITING = {JobStatus.SCHEDULED.value, JobStatus.QUEUED.value, JobStatus.DEFERRED.value}


def job_queue(connection: Redis, name: str = QUEUE_NAME) -> Queue:
    """The line's RQ queue on ``connection``, with the line's serializer (use it for every Queue)."""
    return Queue(name, connection=connection, serializer=SERIALIZER)


@dataclass(frozen=True)
class PendingJob:
    func: str  # dotted path, e.g. "helpline.queue.jobs.process_callback"
    args: tuple[Any, ...]
    job_id: str
    at: datetime | None = None  # real time to run it at (RQ's scheduler); None: now


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
        return job_queue(self.redis, self.queue_name)

    def enqueue_after_commit(self, session: Session, func: str, *args: Any, job_id: str,
                             at: datetime | None = None) -> None:
        """Queue the job once ``session`` commits; with ``at`` (real time), schedule it for then."""
        pending: list[PendingJob] = session.info.setdefault(_PENDING_KEY, [])
        if not pending:
            event.listen(session, "after_commit", self._flush, once=True)
            event.listen(session, "after_rollback", _discard, once=True)
        pending.append(PendingJob(func, args, job_id, at))

    def _flush(self, session: Session) -> None:
        for job in session.info.pop(_PENDING_KEY, []):
            if job.at is None:
                self.enqueue_now(job.func, *job.args, job_id=job.job_id)
            else:
                self.schedule_at(job.func, *job.args, job_id=job.job_id, at=job.at)

    def enqueue_now(self, func: str, *args: Any, job_id: str) -> bool:
        """Queue a job; False (and a warning) when Redis is unreachable. Never raises."""
        try:
            self.queue.enqueue(func, *args, job_id=job_id, retry=DEFAULT_RETRY)
        except RedisError as error:
            log.warning("Redis unreachable, %s(%s) left for the sweep: %s", func, args, error)
            return False
        return True

    def schedule_at(self, func: str, *args: Any, job_id: str, at: datetime) -> bool:
        """Have RQ's scheduler queue the job at real time ``at``; False (and a warning) when Redis
        is unreachable. Never raises.

        The scheduled job's id is ``job_id`` and the second it is due (:func:`timer_job_id`).
        Asking twice for one moment schedules one job (``schedule_job(..., unique=True)``: rq
        2.x's ``enqueue_in(job_id=..., unique=True)`` would not check). A job for another moment
        is another job, so an earlier and a later request both stand: the earlier runs first,
        and since every run does only what is due by then, a request made stale by a later plan
        costs one run that finds nothing to do, and none is ever lost to being overwritten.
        A job running or run already for that second (clocks a hair apart) cannot serve the
        request again; the next second is asked for instead.

        RQ's scheduler counts whole seconds and looks every second (``RQScheduler.interval``),
        so the moment is rounded up: never early, at most about two seconds late.
        """
        second = math.ceil(at.timestamp())
        queue = self.queue
        try:
            for moment in (second, second + 1):
                timer_id = timer_job_id(job_id, moment)
                job = queue.create_job(func, args=args, job_id=timer_id, retry=DEFAULT_RETRY)
                try:
                    queue.schedule_job(job, datetime.fromtimestamp(moment, timezone.utc), unique=True)
                    return True
                except DuplicateJobError:
                    status = self.redis.hget(Job.key_for(timer_id), "status")
                    if status is not None and status.decode() in _WAITING:
                        return True  # asked for already: it will run then
        except RedisError as error:
            log.warning("Redis unreachable, %s(%s) at %s left for the sweep: %s", func, args, at.isoformat(), error)
            return False
        log.warning("%s(%s) at %s: its jobs for that second ran already; left for the sweep", func, args,
                    at.isoformat())
        return False


def _discard(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


# --- the jobs: dotted paths and ids -----------------------------------------------------------

PROCESS_CALLBACK_JOB = "helpline.queue.jobs.process_callback"
SEND_SMS_JOB = "helpline.queue.sms_jobs.send_sms"
PLACE_CALL_JOB = "helpline.queue.call_jobs.place_call"
RETENTION_JOB = "helpline.queue.retention.run_retention"
PULSE_JOB = "helpline.queue.pulse_jobs.send_pulse_round"
METRICS_JOB = "helpline.queue.metrics_jobs.refresh_metrics_days"
CONNECT_WAITING_JOB = "helpline.queue.waiting_jobs.connect_waiting"
CHECK_BUSY_JOB = "helpline.queue.waiting_jobs.check_stale_busy"
# One job rings free staff for the callers waiting in the queue, whoever asks for it.
CONNECT_WAITING_JOB_ID = "queue-connect-waiting"
CHECK_BUSY_JOB_ID = "queue-check-stale-busy"
# Periodic jobs have one id each: the sweeps of several processes queue them once.
RETENTION_JOB_ID = "retention-daily"
PULSE_JOB_ID = "wellbeing-pulse"
METRICS_JOB_ID = "metrics-refresh"


def process_job_id(callback_id: int) -> str:
    """The one RQ job id of a callback's worker job: queueing it twice queues it once."""
    return f"callback-{callback_id}-process"


def send_job_id(outbound_id: int) -> str:
    return f"sms-{outbound_id}"


def place_call_job_id(callback_id: int, attempt_number: int) -> str:
    return f"callback-{callback_id}-call-{attempt_number}"


def timer_job_id(job_id: str, second: int) -> str:
    """The id of ``job_id``'s job scheduled for Unix time ``second``: ``callback-7-process-at-1799654400``."""
    return f"{job_id}-at-{second}"


def after_commit_process_callback(jobs: JobDispatcher, session: Session, callback_id: int, *,
                                  at: datetime | None = None) -> None:
    """The worker looks at this callback (assign, remind, escalate) once ``session`` commits, or
    at real time ``at`` (:func:`helpline.clock.wall_time` of its next due moment)."""
    jobs.enqueue_after_commit(session, PROCESS_CALLBACK_JOB, callback_id, job_id=process_job_id(callback_id), at=at)


def after_commit_send_sms(jobs: JobDispatcher, session: Session, outbound_id: int, *,
                          at: datetime | None = None) -> None:
    """Send this SMS once ``session`` commits, or at real time ``at`` (a delayed SMS)."""
    jobs.enqueue_after_commit(session, SEND_SMS_JOB, outbound_id, job_id=send_job_id(outbound_id), at=at)


def after_commit_place_call(jobs: JobDispatcher, session: Session, attempt_id: int, callback_id: int,
                            attempt_number: int) -> None:
    jobs.enqueue_after_commit(session, PLACE_CALL_JOB, attempt_id,
                              job_id=place_call_job_id(callback_id, attempt_number))


def after_commit_connect_waiting(jobs: JobDispatcher, session: Session) -> None:
    """Ring free staff on duty for the callers waiting in the queue, once ``session`` commits."""
    jobs.enqueue_after_commit(session, CONNECT_WAITING_JOB, job_id=CONNECT_WAITING_JOB_ID)
