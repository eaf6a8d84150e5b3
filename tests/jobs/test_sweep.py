"""The sweep and RQ's view of a job: a job that failed for good or whose retry nobody schedules is
queued again, but not in a tight loop; one waiting or running is left alone."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from rq import Retry
from rq.job import Job, JobStatus

from helpline.dispatch import PROCESS_CALLBACK_JOB, SERIALIZER, job_queue, process_job_id
from helpline.queue.sweep import FAILED_RETRY_AFTER, SCHEDULED_LATE_AFTER, Wanted, enqueue_missing
from twilio_line import BurstWorker

WANTED = Wanted(PROCESS_CALLBACK_JOB, (1,), process_job_id(1))


def _fail_once(redis, *, retry: Retry | None) -> Job:
    """A job under the callback's id that raises (an unknown function), run by a real worker."""
    queue = job_queue(redis)
    queue.enqueue("helpline.queue.jobs.no_such_job", 1, job_id=WANTED.job_id, retry=retry)
    BurstWorker([queue], connection=redis).work(burst=True)
    return Job.fetch(WANTED.job_id, connection=redis, serializer=SERIALIZER)


def test_a_job_that_failed_for_good_is_queued_again_by_a_later_sweep_not_by_the_next_one(redis, worker_line):
    queue = job_queue(redis)
    failed = _fail_once(redis, retry=None)
    assert failed.get_status() == JobStatus.FAILED
    now = datetime.now(timezone.utc)

    assert enqueue_missing(queue, [WANTED], real_now=now) == 0
    assert enqueue_missing(queue, [WANTED], real_now=now + FAILED_RETRY_AFTER + timedelta(seconds=1)) == 1

    job = Job.fetch(WANTED.job_id, connection=redis, serializer=SERIALIZER)
    assert job.get_status() == JobStatus.QUEUED and job.func_name == PROCESS_CALLBACK_JOB
    assert queue.job_ids == [WANTED.job_id]


def test_a_retry_that_no_scheduler_moves_is_queued_by_the_sweep_once_it_is_late(redis, worker_line):
    queue = job_queue(redis)
    waiting = _fail_once(redis, retry=Retry(max=3, interval=60))
    assert waiting.get_status() == JobStatus.SCHEDULED  # RQ's scheduler would queue it in a minute
    now = datetime.now(timezone.utc)

    assert enqueue_missing(queue, [WANTED], real_now=now) == 0
    assert enqueue_missing(queue, [WANTED], real_now=now + SCHEDULED_LATE_AFTER + timedelta(minutes=2)) == 1
    assert Job.fetch(WANTED.job_id, connection=redis, serializer=SERIALIZER).get_status() == JobStatus.QUEUED


def test_a_finished_job_is_replaced_and_a_queued_one_is_left_alone(redis, worker_line, line):
    queue = job_queue(redis)
    line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, 1, job_id=WANTED.job_id)  # callback 1 does not exist: "no such"
    assert enqueue_missing(queue, [WANTED]) == 0
    BurstWorker([queue], connection=redis).work(burst=True)
    assert Job.fetch(WANTED.job_id, connection=redis, serializer=SERIALIZER).get_status() == JobStatus.FINISHED

    assert enqueue_missing(queue, [WANTED]) == 1
    assert queue.job_ids == [WANTED.job_id]


def test_the_sweepers_queue_the_retention_job_once_a_day_between_them(worker_line, redis):
    from helpline.queue.sweep import RETENTION_EVERY, run_sweep

    run_sweep(worker_line, reconcile_every=None, retention_every=RETENTION_EVERY)
    run_sweep(worker_line, reconcile_every=None, retention_every=RETENTION_EVERY)  # a second sweeper

    queue = job_queue(redis)
    assert queue.job_ids.count("retention-daily") == 1
    assert 0 < redis.pttl("helpline:sweep:retention-turn") <= RETENTION_EVERY.total_seconds() * 1000
