"""What falls due is done on time, not at the sweep's next tick: with the Procfile's worker (RQ's
scheduler included) and no sweep running at all, three reminders three seconds apart take about
nine seconds, and a delayed SMS goes within about two seconds of its send_after."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterator

import pytest
from rq import Worker
from sqlalchemy import select

from helpline.clock import SimulatedClock
from helpline.dispatch import PROCESS_CALLBACK_JOB, process_job_id
from helpline.models import CallbackEvent, CallbackRequest
from helpline.sms.outbox import queue_sms
from jobs.conftest import MOBILE_CALLER

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
# RQ's scheduler counts whole seconds (a moment is rounded up) and looks once a second; the
# worker then picks the job at once. A little room for a loaded machine on top.
LATE_AT_MOST = timedelta(seconds=2.5)


def procfile_worker(redis_url: str) -> list[str]:
    """The Procfile's `worker` command, with this test's Redis and this venv's `rq`."""
    [line] = [line for line in (REPO / "Procfile").read_text().splitlines() if line.startswith("worker:")]
    command = line.split(":", 1)[1].replace("${REDIS_URL:-redis://localhost:6379/0}", redis_url)
    argv = shlex.split(command)
    assert argv[0] == "rq" and "--with-scheduler" in argv
    return [str(Path(sys.executable).with_name("rq"))] + argv[1:]


@pytest.fixture
def worker(line, fake_twilio, clock, tmp_path, redis) -> Iterator[subprocess.Popen]:
    """The Procfile's worker, running until the test ends; its clock is a simulated one at real
    speed from the test's frozen time. Reminders every three seconds."""
    clock_file = tmp_path / "clock.json"
    SimulatedClock.write(clock_file, clock.now(), speed=1.0)
    settings = line.settings
    env = {**os.environ, "HELPLINE_ENV": "testing", "DATABASE_URL": settings.database_url,
           "REDIS_URL": settings.redis_url, "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
           "TWILIO_AUTH_TOKEN": settings.twilio_auth_token, "TWILIO_PHONE_NUMBER": settings.twilio_phone_number,
           "TWILIO_API_BASE_URL": fake_twilio.base_url, "PUBLIC_BASE_URL": settings.public_base_url,
           "SECRET_KEY": "test", "HELPLINE_SIMULATED_CLOCK_FILE": str(clock_file),
           "REMINDER_INTERVAL_SECONDS": "3", "ESCALATE_AFTER_REMINDERS": "3"}
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(procfile_worker(settings.redis_url), env=env, cwd=tmp_path, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not any(w.pid == process.pid for w in Worker.all(connection=redis)):
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_for(condition: Callable[[], bool], seconds: float, worker: subprocess.Popen) -> float:
    """Poll until ``condition``; the monotonic time it first held."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker.poll() is None, "the worker died"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return time.monotonic()


def test_three_reminders_three_seconds_apart_reach_the_assignee_in_about_nine_seconds_with_no_sweep(
        worker, week_rota, line, clock, fake_twilio):
    aino = week_rota.aino
    with line.db.session() as session:
        callback = CallbackRequest(caller=MOBILE_CALLER, language="fi", created_at=clock.now(),
                                   last_call_at=clock.now(), next_action="assign", next_action_at=clock.now())
        session.add(callback)
    line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, callback.id, job_id=process_job_id(callback.id))

    texts = lambda: len(fake_twilio.messages_to(aino.phone))  # noqa: E731
    assigned = wait_for(lambda: texts() >= 1, 20, worker)
    third = wait_for(lambda: texts() >= 4, 25, worker)  # the assignment and three reminders

    print(f"three reminders {third - assigned:.2f} s after the assignment")
    assert 9 <= third - assigned <= 9 + 3 * LATE_AT_MOST.total_seconds()
    with line.db.sessionmaker() as session:
        events = list(session.scalars(select(CallbackEvent).where(CallbackEvent.callback_id == callback.id,
                                                                  CallbackEvent.kind.in_(("assigned", "reminded")))
                                      .order_by(CallbackEvent.id)))
    kinds = [event.kind for event in events]
    assert kinds[:4] == ["assigned", "reminded", "reminded", "reminded"]
    for previous, reminder in zip(events[:3], events[1:4]):  # each on time, by the worker's own clock
        due = previous.at + timedelta(seconds=3)
        print(f"reminder {(reminder.at - due).total_seconds():.2f} s after it fell due")
        assert due <= reminder.at <= due + LATE_AT_MOST, (previous.at, reminder.at)
    # And the supervisor is told right after the third reminder, as the rules say.
    wait_for(lambda: len(fake_twilio.messages_to(week_rota.sirpa.phone)) == 1, 10, worker)


def test_a_delayed_sms_goes_within_about_two_seconds_of_its_send_after_with_no_sweep(
        worker, worker_line, clock, fake_twilio):
    # A running worker has sent an SMS before: the first one in a new process imports Twilio's
    # client and opens its connections (about a second), which is not what this test measures.
    with worker_line.db.session() as session:
        queue_sms(session, to="+358401119999", body="Warming up.", purpose="test", dedupe_key="warm-up",
                  now=clock.now())
    wait_for(lambda: len(fake_twilio.messages) == 1, 20, worker)

    with worker_line.db.session() as session:
        queue_sms(session, to=MOBILE_CALLER, body="Kuinka hyvin sait apua? Vastaa numerolla 1-5.",
                  purpose="caller_feedback", dedupe_key="feedback-test", now=clock.now(),
                  send_after=clock.now() + timedelta(seconds=3))
    due = time.monotonic() + 3  # the frozen clock stands still: send_after is three real seconds away

    sent = wait_for(lambda: len(fake_twilio.messages_to(MOBILE_CALLER)) == 1, 20, worker)

    print(f"the delayed SMS reached Twilio {sent - due:.2f} s after its send_after")
    assert due - 0.05 <= sent <= due + LATE_AT_MOST.total_seconds()
