"""Nothing lost, nothing twice: Redis stopped or flushed in the middle of a callback's life, the
sweep run again and again, a closed callback never looked at again."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from conftest import helsinki
from helpline.dispatch import job_queue
from jobs.conftest import MOBILE_CALLER

SECOND_CALLER = "+358401234000"


class RedisServer:
    """A redis-server of this test's own, which the test stops and starts (empty, as after a crash
    without persistence)."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                with Redis.from_url(self.url) as probe:
                    probe.ping()
                return
            except RedisConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(own_redis) -> str:
    """Every Redis user in these tests (webhooks, sweep, worker) talks to the test's own server."""
    return own_redis.url


def test_a_voicemail_taken_while_redis_is_down_is_assigned_and_texted_once_when_it_is_back(
        simulator, week_rota, own_redis, run_worker, sweep, tick, clock, bodies, history, fake_twilio):
    aino = week_rota.aino
    simulator.call(MOBILE_CALLER)
    run_worker()
    assert len(bodies(aino.phone)) == 1

    own_redis.stop()
    clock.set(helsinki("2027-01-11 10:20"))
    result = simulator.call(SECOND_CALLER)  # the webhooks still answer TwiML and store it
    assert result.recorded and result.heard[-1].startswith("Kiitos viestistäsi")
    with pytest.raises(RedisConnectionError):
        sweep()  # nothing can be queued: the sweep says so (the sweeper loop tries again)

    own_redis.start()  # empty: every job Redis held is gone
    clock.set(helsinki("2027-01-11 10:30"))  # and meanwhile callback 1's first reminder fell due
    report = tick()

    assert report.callbacks_due == 2
    assert history(2).count(("assigned", week_rota.sirpa.id)) == 1  # Sirpa had fewer open
    assert len(bodies(SECOND_CALLER)) == 1 and len(bodies(week_rota.sirpa.phone)) == 1
    assert len(bodies(aino.phone)) == 2 and "Muistutus" in bodies(aino.phone)[-1]
    before = len(fake_twilio.messages)
    tick()
    tick(helsinki("2027-01-11 10:45"))
    assert len(fake_twilio.messages) == before


def test_after_a_redis_flush_the_sweep_finds_the_new_callback_and_its_unsent_sms(
        simulator, week_rota, redis, run_worker, sweep, tick, bodies, history, worker_line):
    aino = week_rota.aino
    simulator.call(MOBILE_CALLER)
    redis.flushall()  # the callback's job is gone before any worker saw it
    run_worker()
    assert bodies(aino.phone) == []

    report = sweep()
    assert (report.callbacks_due, report.enqueued) == (1, 1)
    # The worker assigns (its SMS rows are written), then Redis loses the send jobs too.
    connection = worker_line.jobs.redis
    from twilio_line import BurstWorker

    BurstWorker([job_queue(connection)], connection=connection).work(burst=True, max_jobs=1)
    assert history(1).count(("assigned", aino.id)) == 1
    redis.flushall()
    run_worker()
    assert bodies(aino.phone) == [] and bodies(MOBILE_CALLER) == []

    report = tick()
    assert report.sms_due == 2
    assert len(bodies(aino.phone)) == 1 and len(bodies(MOBILE_CALLER)) == 1
    tick()
    assert len(bodies(aino.phone)) == 1 and len(bodies(MOBILE_CALLER)) == 1


def test_sweeping_twice_queues_each_due_job_once(simulator, week_rota, redis, sweep, run_worker):
    simulator.call(MOBILE_CALLER)
    simulator.call(SECOND_CALLER)
    redis.flushall()

    first, second = sweep(), sweep()

    assert (first.callbacks_due, first.enqueued) == (2, 2)
    assert (second.callbacks_due, second.enqueued, second.already_waiting) == (2, 0, 2)
    assert sorted(job_queue(redis).job_ids) == ["callback-1-process", "callback-2-process"]


def test_a_closed_callback_is_never_swept_again_however_far_the_clock_moves(
        simulator, week_rota, run_worker, tick, clock, line, fake_twilio):
    from helpline.callbacks.actions import close_callback

    simulator.call(MOBILE_CALLER)
    run_worker()
    with line.db.session() as session:
        close_callback(session, 1, "resolved", None, None, week_rota.aino.id, clock.now())
    before = len(fake_twilio.messages)

    # Half an hour after closing, the caller's one feedback question is due; then nothing, ever.
    expected_sms_due = {"2027-01-11 10:30": 1}
    for moment in ["2027-01-11 10:30", "2027-01-11 14:00", "2027-01-12 09:00", "2027-02-01 10:00"]:
        report = tick(helsinki(moment))
        assert (report.callbacks_due, report.sms_due) == (0, expected_sms_due.get(moment, 0)), moment
    new_messages = fake_twilio.messages[before:]
    assert [(message["to"], "1-5" in message["body"]) for message in new_messages] == [(MOBILE_CALLER, True)]
