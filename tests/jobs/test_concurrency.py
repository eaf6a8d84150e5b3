"""Real worker processes side by side: two workers never assign a callback twice nor send an SMS
twice, and a worker killed in the middle of a job leaves nothing half-done for the sweep to fix."""
from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
from rq.job import Job, JobStatus
from sqlalchemy import create_engine, func, select, text

from conftest import helsinki
from helpline.dispatch import PROCESS_CALLBACK_JOB, SERIALIZER_PATH, process_job_id
from helpline.clock import SimulatedClock
from helpline.models import CallbackEvent, CallbackRequest, OutboundSms
from helpline.queue.sms_jobs import _suppression, claim
from helpline.queue.sweep import run_sweep
from helpline.sms.outbox import queue_sms
from jobs.conftest import MOBILE_CALLER

RQ = str(Path(sys.executable).with_name("rq"))


@pytest.fixture
def worker_env(line, fake_twilio, clock, tmp_path) -> dict[str, str]:
    """The environment of a `worker` Procfile line, its clock at the test's frozen time (a
    simulated clock running at real speed from there)."""
    clock_file = tmp_path / "clock.json"
    SimulatedClock.write(clock_file, clock.now(), speed=1.0)
    settings = line.settings
    return {
        **os.environ, "HELPLINE_ENV": "testing", "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url, "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": settings.twilio_auth_token, "TWILIO_PHONE_NUMBER": settings.twilio_phone_number,
        "TWILIO_API_BASE_URL": fake_twilio.base_url, "PUBLIC_BASE_URL": settings.public_base_url,
        "SECRET_KEY": "test", "HELPLINE_SIMULATED_CLOCK_FILE": str(clock_file),
    }


def start_worker(env: dict[str, str], redis_url: str) -> subprocess.Popen:
    return subprocess.Popen([RQ, "worker", "--burst", "--worker-class", "rq.worker.SimpleWorker",
                             "--serializer", SERIALIZER_PATH, "--url", redis_url,
                             "helpline"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture
def rota_of_four(office_hours, make_staff, make_shift):
    office_hours()
    staff = [make_staff(f"Staff {n}", f"+35840111000{n}") for n in range(4)]
    for member in staff:
        make_shift(member, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"))
    return staff


def test_two_workers_on_duplicated_jobs_assign_each_callback_once_and_send_each_sms_once(
        line, rota_of_four, worker_env, fake_twilio, clock, redis):
    fake_twilio.latency = 0.02  # both workers are busy at once
    callers = [f"+35840555{n:04d}" for n in range(12)]
    with line.db.session() as session:
        callbacks = [CallbackRequest(caller=caller, language="fi", created_at=clock.now(), last_call_at=clock.now(),
                                     next_action="assign", next_action_at=clock.now()) for caller in callers]
        session.add_all(callbacks)
    for _ in range(3):  # as if the webhook, a repeat call and the sweep had each queued it
        for callback in callbacks:
            line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, callback.id, job_id=process_job_id(callback.id))

    workers = [start_worker(worker_env, line.settings.redis_url) for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert all("callback-" in output for output in outputs), "both workers must have run callback jobs"
    with line.db.sessionmaker() as session:
        assigned = Counter(session.scalars(select(CallbackEvent.callback_id).where(CallbackEvent.kind == "assigned")))
        holders = Counter(session.scalars(select(CallbackRequest.assignee_id)))
        rows = session.scalar(select(func.count()).select_from(OutboundSms))
    assert assigned == Counter({callback.id: 1 for callback in callbacks})
    assert sorted(holders.values()) == [3, 3, 3, 3]  # fewest open first spreads them evenly
    for caller in callers:
        assert len(fake_twilio.messages_to(caller)) == 1, caller
    for member in rota_of_four:
        assert len(fake_twilio.messages_to(member.phone)) == 3, member.name
    assert rows == len(fake_twilio.messages) == 2 * len(callers)


@contextmanager
def holding_the_callback(line, callback_id: int) -> Iterator[None]:
    """Hold the lock a worker needs for this callback (PostgreSQL: its row; SQLite: the write lock)."""
    url = line.settings.database_url
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    engine = create_engine(url)
    with engine.connect() as connection:
        connection.execute(text("SELECT id FROM callback_request WHERE id = :id FOR UPDATE"), {"id": callback_id})
        yield
        connection.rollback()
    engine.dispose()


def test_a_worker_killed_in_the_middle_of_assigning_leaves_nothing_half_done_and_the_sweep_finishes_it(
        simulator, line, week_rota, worker_env, worker_line, run_worker, redis, fake_twilio, history):
    simulator.call(MOBILE_CALLER)
    job_id = process_job_id(1)

    with holding_the_callback(line, 1):
        worker = start_worker(worker_env, line.settings.redis_url)
        deadline = time.monotonic() + 30
        while Job.fetch(job_id, connection=redis).get_status() != JobStatus.STARTED:
            assert time.monotonic() < deadline and worker.poll() is None, worker.communicate()[0]
            time.sleep(0.05)
        time.sleep(0.3)  # inside process_callback, waiting for the lock
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=10)

    with line.db.sessionmaker() as session:
        callback = session.get(CallbackRequest, 1)
        assert (callback.status, callback.assignee_id, callback.caller_notified_at) == ("new", None, None)
        assert session.scalar(select(func.count()).select_from(OutboundSms)) == 0
    assert Job.fetch(job_id, connection=redis).get_status() == JobStatus.STARTED  # what RQ believes

    # RQ still thinks the dead worker has it; a sweep that presumes it dead queues it again.
    assert run_sweep(worker_line).enqueued == 0
    assert run_sweep(worker_line, started_stale_after=timedelta(0)).enqueued == 1
    run_worker()

    assert history(1).count(("assigned", week_rota.aino.id)) == 1
    assert len(fake_twilio.messages_to(week_rota.aino.phone)) == 1
    assert len(fake_twilio.messages_to(MOBILE_CALLER)) == 1


def test_a_second_worker_texting_the_same_number_counts_the_first_workers_claim_before_it_decides(line, clock):
    """The hourly ceiling under two workers: the first has claimed its SMS and not yet committed;
    the second, claiming another SMS to the same number, must wait and then see the first one."""
    settings = dataclasses.replace(line.settings, sms_max_per_recipient_per_hour=1)
    number, now = "+358405550123", clock.now()
    with line.db.session() as session:
        first, second = (queue_sms(session, to=number, body=f"Reminder {index}", purpose="reminder",
                                   dedupe_key=f"ceiling-{index}", now=now).id for index in range(2))
    decided: dict[str, str | None] = {}

    def second_worker() -> None:
        with line.db.session() as session:
            claimed = claim(session, second, now)
            decided["second"] = claimed and _suppression(session, second, claimed.to_number, settings, now)

    with line.db.session() as session:
        claimed = claim(session, first, now)
        assert _suppression(session, first, claimed.to_number, settings, now) is None
        other = threading.Thread(target=second_worker)
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive(), "the second worker decided while the first one's claim was not yet visible"
    other.join(timeout=30)
    assert "rate limit" in decided["second"]
