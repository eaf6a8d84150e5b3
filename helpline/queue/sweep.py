"""The periodic sweep: re-find in the database everything that is due and hand it to the workers.

The database says what is due (each open callback's ``next_action_at``, each outbound SMS's
``next_attempt_at``); Redis carries the work that is due now and, in RQ's scheduler, a job for
each moment something falls due (:meth:`helpline.dispatch.JobDispatcher.schedule_at`), which is
what makes a reminder or a delayed SMS punctual. So the sweep is the safety net: whatever Redis
loses (it was down when a webhook committed, it was flushed, a worker died holding a job, no
worker runs the scheduler) the next sweep finds again. Run it every N seconds: ``helpline sweep
--every 30`` (the Procfile's ``sweeper``).

Jobs have fixed ids (``callback-<id>-process``, ``sms-<id>``). A job already waiting or running
under its id is left alone, so two sweeps in a row queue it once; one that finished, failed a
while ago, or whose worker went silent is queued again. And since every job is idempotent, the
rare double (two sweepers at the same instant) costs a run that finds nothing to do.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from rq import Queue
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.callbacks.assignment import custom_plans, due_callback_ids
from helpline.callbacks.call_back import lost_requests
from helpline.dispatch import (
    CHECK_BUSY_JOB, CHECK_BUSY_JOB_ID, CONNECT_WAITING_JOB, CONNECT_WAITING_JOB_ID, PLACE_CALL_JOB, PROCESS_CALLBACK_JOB, METRICS_JOB, METRICS_JOB_ID, PULSE_JOB, PULSE_JOB_ID, RETENTION_JOB, RETENTION_JOB_ID, SEND_SMS_JOB,
    place_call_job_id, process_job_id, send_job_id,
)
from helpline.inbound.busy import stale_holders
from helpline.sms.outbox import due_outbound
from helpline.models import Call
from helpline.dispatch import DEFAULT_RETRY
from helpline.services import Services

log = logging.getLogger(__name__)

# A job "started" whose worker has not shown a heartbeat for this long is presumed dead (rq's
# workers beat every job_monitoring_interval, 30 s; our jobs take well under a minute).
STARTED_STALE_AFTER = timedelta(minutes=5)
# A job that failed for good (all of RQ's retries) is tried again by the sweep, but not in a
# tight loop: a bug in one callback should not fill the logs every few seconds.
FAILED_RETRY_AFTER = timedelta(minutes=5)
# A retry scheduled this long ago and still not moved to the queue means no worker runs
# RQ's scheduler (`rq worker --with-scheduler`): queue it anyway.
SCHEDULED_LATE_AFTER = timedelta(minutes=10)
BATCH = 500
# A caller queued longer ago than this is not waiting any more, whatever our rows say.
QUEUE_LOOKBACK = timedelta(hours=1)
# How often the sweep also asks Twilio for recordings no webhook stored (one list request;
# helpline.queue.reconcile). Several sweepers share the turn through a Redis key.
RECONCILE_EVERY = timedelta(minutes=5)
RECONCILE_TURN_KEY = "helpline:sweep:reconcile-turn"
# Once a day a sweep queues the retention job (recordings deleted at Twilio, numbers masked after
# RETENTION_DAYS); several sweepers share the turn the same way.
RETENTION_EVERY = timedelta(days=1)
RETENTION_TURN_KEY = "helpline:sweep:retention-turn"
# Every quarter of an hour a sweep queues the wellbeing-pulse job, which asks whoever is due this
# month's question (nobody, nearly always); it waits for the line to be open itself.
PULSE_EVERY = timedelta(minutes=15)
PULSE_TURN_KEY = "helpline:sweep:pulse-turn"
# Every few minutes a sweep queues the job that folds the figures' stale and missing days again
# (helpline.queue.metrics_jobs); until it has, the Figures page computes those days from rows.
METRICS_EVERY = timedelta(minutes=10)
METRICS_TURN_KEY = "helpline:sweep:metrics-turn"


@dataclass(frozen=True)
class Wanted:
    func: str
    args: tuple[Any, ...]
    job_id: str


@dataclass(frozen=True)
class SweepReport:
    callbacks_due: int = 0
    sms_due: int = 0
    enqueued: int = 0
    already_waiting: int = 0
    recordings_adopted: int = 0
    calls_due: int = 0  # CALL <ref> requests whose place-call job Redis may have lost

    def __bool__(self) -> bool:
        return bool(self.callbacks_due or self.sms_due or self.recordings_adopted or self.calls_due)

    def __str__(self) -> str:
        adopted = f"; {self.recordings_adopted} recordings adopted from Twilio" if self.recordings_adopted else ""
        return (f"{self.callbacks_due} callbacks, {self.sms_due} SMS and {self.calls_due} call-backs due: "
                f"{self.enqueued} jobs queued, "
                f"{self.already_waiting} already waiting or running{adopted}")


def run_sweep(services: Services, *, now: datetime | None = None,
              started_stale_after: timedelta = STARTED_STALE_AFTER,
              reconcile_every: timedelta | None = RECONCILE_EVERY,
              retention_every: timedelta | None = None, pulse_every: timedelta | None = None,
              metrics_every: timedelta | None = None) -> SweepReport:
    """One sweep. Raises when the database or Redis cannot be reached (the caller retries).

    Every ``reconcile_every`` (None: never) it also adopts Twilio recordings that no webhook
    stored; their callbacks' jobs are queued as the intake commits them. Every
    ``retention_every``, ``pulse_every`` and ``metrics_every`` (None: never; `helpline sweep`
    passes RETENTION_EVERY, PULSE_EVERY and METRICS_EVERY) it queues the retention job, the
    wellbeing-pulse job and the job that folds the figures' days.
    """
    now = now or services.clock.now()
    with services.db.session() as session:
        callbacks, outbound = due_work(session, now)
        calls = lost_requests(session, now)  # also ends the requests too stale to ring now
        queue_work = _queue_work(session, now)
    wanted = [Wanted(PROCESS_CALLBACK_JOB, (callback_id,), process_job_id(callback_id)) for callback_id in callbacks]
    wanted += [Wanted(SEND_SMS_JOB, (outbound_id,), send_job_id(outbound_id)) for outbound_id in outbound]
    wanted += [Wanted(PLACE_CALL_JOB, (attempt_id,), place_call_job_id(callback_id, number))
               for attempt_id, callback_id, number in calls]
    wanted += queue_work
    enqueued = enqueue_missing(services.jobs.queue, wanted, started_stale_after=started_stale_after)
    adopted = _reconcile(services, reconcile_every) if reconcile_every is not None else 0
    if retention_every is not None and _take_turn(services, RETENTION_TURN_KEY, retention_every):
        enqueue_missing(services.jobs.queue, [Wanted(RETENTION_JOB, (), RETENTION_JOB_ID)])
    if pulse_every is not None and _take_turn(services, PULSE_TURN_KEY, pulse_every):
        enqueue_missing(services.jobs.queue, [Wanted(PULSE_JOB, (), PULSE_JOB_ID)])
    if metrics_every is not None and _take_turn(services, METRICS_TURN_KEY, metrics_every):
        enqueue_missing(services.jobs.queue, [Wanted(METRICS_JOB, (), METRICS_JOB_ID)])
    report = SweepReport(len(callbacks), len(outbound), enqueued, len(wanted) - enqueued, adopted,
                         calls_due=len(calls))
    if report:
        log.info("sweep: %s", report)
    return report


def _queue_work(session: Session, now: datetime) -> list[Wanted]:
    """The wait queue's jobs: ring free staff while callers wait (a shift that starts frees nobody,
    and a lost job must not leave them waiting); check busy states nothing closed for a while."""
    wanted = []
    waiting = session.scalar(select(Call.id).where(Call.queued_at.is_not(None), Call.queue_left_at.is_(None),
                                                   Call.ended_at.is_(None), Call.queued_at > now - QUEUE_LOOKBACK)
                             .limit(1))
    if waiting is not None:
        wanted.append(Wanted(CONNECT_WAITING_JOB, (), CONNECT_WAITING_JOB_ID))
    if stale_holders(session, now):
        wanted.append(Wanted(CHECK_BUSY_JOB, (), CHECK_BUSY_JOB_ID))
    return wanted


def due_work(session: Session, now: datetime) -> tuple[list[int], list[int]]:
    """The sweep's reads: ids of the callbacks and of the outbound SMS that are due at ``now``."""
    custom_plans(session)
    return due_callback_ids(session, now), due_outbound(session, now)


def _reconcile(services: Services, every: timedelta) -> int:
    settings = services.settings
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        return 0  # nothing to ask (a development set-up without Twilio)
    if not _take_turn(services, RECONCILE_TURN_KEY, every):
        return 0  # another sweep (or this one, lately) had the turn
    from helpline.queue.reconcile import reconcile_recordings

    return len(reconcile_recordings(services).adopted)


def _take_turn(services: Services, key: str, every: timedelta) -> bool:
    """True for one sweep per ``every``, however many sweepers run (a Redis key that expires)."""
    return bool(services.jobs.redis.set(key, "1", nx=True, px=int(every.total_seconds() * 1000)))


def enqueue_missing(queue: Queue, wanted: Iterable[Wanted], *, real_now: datetime | None = None,
                    started_stale_after: timedelta = STARTED_STALE_AFTER) -> int:
    """Queue each wanted job unless a job with its id is already waiting or running. Returns
    how many were queued. ``real_now`` is wall-clock time (RQ's timestamps are real, not the
    line's possibly simulated clock)."""
    real_now = real_now or datetime.now(timezone.utc)
    wanted = list(wanted)
    if not wanted:
        return 0
    # A job whose hash says "queued" is only waiting if its id is still in the queue's list: an
    # evicted or deleted list would otherwise strand it for good. One LRANGE per sweep.
    waiting = set(queue.get_job_ids())
    enqueued = 0
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start:start + BATCH]
        jobs = Job.fetch_many([item.job_id for item in batch], connection=queue.connection,
                              serializer=queue.serializer)
        fresh = []
        for item, job in zip(batch, jobs):
            if job is not None and _leave_alone(queue, job, real_now, started_stale_after, waiting):
                continue
            if job is not None:
                job.delete()  # finished, failed or abandoned: make room for a new job with its id
            fresh.append(Queue.prepare_data(item.func, item.args, job_id=item.job_id, retry=DEFAULT_RETRY))
        if fresh:
            queue.enqueue_many(fresh)  # one pipeline for the batch
            enqueued += len(fresh)
    return enqueued


def _leave_alone(queue: Queue, job: Job, real_now: datetime, started_stale_after: timedelta,
                 waiting: set[str]) -> bool:
    """Whether ``job`` will run (or is running) without the sweep's help."""
    status = job.get_status(refresh=False)
    if status == JobStatus.QUEUED:
        return job.id in waiting
    if status == JobStatus.DEFERRED:
        return True
    if status == JobStatus.STARTED:
        beat = job.last_heartbeat or job.started_at
        if beat is None or real_now - beat >= started_stale_after:
            log.warning("job %s started at %s has shown no life since %s; queueing it again", job.id,
                        job.started_at, beat)
            return False
        return True
    if status == JobStatus.SCHEDULED:
        registry = ScheduledJobRegistry(queue=queue)
        score = queue.connection.zscore(registry.key, job.id)
        if score is not None and real_now - datetime.fromtimestamp(score, tz=timezone.utc) > SCHEDULED_LATE_AFTER:
            log.warning("job %s was due from RQ's scheduler at %s; is a worker running --with-scheduler?",
                        job.id, datetime.fromtimestamp(score, tz=timezone.utc).isoformat())
            return False
        return score is not None
    if status == JobStatus.FAILED and job.ended_at is not None:
        return real_now - job.ended_at < FAILED_RETRY_AFTER
    return False  # finished, stopped, canceled, or no status (a half-written hash)
