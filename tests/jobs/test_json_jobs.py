"""Jobs take ids, so Redis holds them as JSON, never as pickles: whatever writes into Redis can
never make a worker unpickle it. Every way the line queues a job, and every worker command it
starts, uses RQ's JSONSerializer."""
from __future__ import annotations

import json
import shlex
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rq.exceptions import DeserializationError
from rq.job import Job, JobStatus

from helpline.demo.processes import worker_argv
from helpline.dispatch import PROCESS_CALLBACK_JOB, QUEUE_NAME, SERIALIZER, SERIALIZER_PATH, process_job_id
from helpline.queue.sweep import Wanted, enqueue_missing

REPO = Path(__file__).resolve().parents[2]


def stored(redis, job_id: str) -> list:
    """The job's function and arguments as they sit in Redis, read as JSON (fails on a pickle)."""
    data = zlib.decompress(redis.hget(Job.key_for(job_id), "data"))  # rq compresses it
    assert not data.startswith(b"\x80"), "a pickle"
    return json.loads(data)


def test_a_job_queued_after_commit_is_json_in_redis(line, redis):
    line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, 42, job_id=process_job_id(42))
    assert stored(redis, "callback-42-process") == [PROCESS_CALLBACK_JOB, None, [42], {}]


def test_a_job_scheduled_for_later_is_json_in_redis(line, redis):
    at = datetime.now(timezone.utc) + timedelta(minutes=1)
    line.jobs.schedule_at(PROCESS_CALLBACK_JOB, 42, job_id=process_job_id(42), at=at)
    [timer_id] = [key.decode().removeprefix("rq:job:") for key in redis.keys("rq:job:*")]
    assert timer_id.startswith("callback-42-process-at-")
    assert stored(redis, timer_id) == [PROCESS_CALLBACK_JOB, None, [42], {}]


def test_a_job_the_sweep_queues_is_json_in_redis(line, redis):
    assert enqueue_missing(line.jobs.queue, [Wanted(PROCESS_CALLBACK_JOB, (42,), process_job_id(42))]) == 1
    assert stored(redis, "callback-42-process") == [PROCESS_CALLBACK_JOB, None, [42], {}]


def test_a_workers_result_is_json_too(line, redis, run_worker):
    line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, 42, job_id=process_job_id(42))
    run_worker()
    job = Job.fetch("callback-42-process", connection=redis, serializer=SERIALIZER)
    assert (job.get_status(), job.return_value()) == (JobStatus.FINISHED, "no such callback")


def test_rqs_default_pickle_cannot_read_the_lines_jobs(line, redis):
    line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, 42, job_id=process_job_id(42))
    with pytest.raises(DeserializationError):
        Job.fetch("callback-42-process", connection=redis).func_name  # noqa: B018 (rq's default serializer)


@pytest.mark.parametrize("argv", [
    pytest.param(shlex.split(next(line for line in (REPO / "Procfile").read_text().splitlines()
                                  if line.startswith("worker:")).split(":", 1)[1]), id="Procfile"),
    pytest.param(worker_argv("redis://127.0.0.1:6379/0", QUEUE_NAME), id="./scripts/run"),
])
def test_every_worker_the_line_starts_reads_json_and_runs_rqs_scheduler(argv):
    assert argv[argv.index("--serializer") + 1] == SERIALIZER_PATH == "rq.serializers.JSONSerializer"
    assert "--with-scheduler" in argv  # delayed jobs and retries need it
