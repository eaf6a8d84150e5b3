"""Two real worker processes on one queue never send the same SMS twice."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from helpline.models import OutboundSms
from helpline.dispatch import SEND_SMS_JOB, SERIALIZER_PATH, send_job_id
from helpline.sms.outbox import queue_sms


def _worker_environment(line, fake_twilio) -> dict[str, str]:
    settings = line.settings
    return {
        **os.environ,
        "HELPLINE_ENV": "testing",
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
        "TWILIO_PHONE_NUMBER": settings.twilio_phone_number,
        "TWILIO_API_BASE_URL": fake_twilio.base_url,
        "PUBLIC_BASE_URL": settings.public_base_url,
        "SECRET_KEY": "test",
        "HELPLINE_SIMULATED_CLOCK_FILE": "",
    }


def test_two_workers_draining_duplicated_jobs_send_each_sms_exactly_once(worker_line, fake_twilio, redis):
    line = worker_line
    fake_twilio.latency = 0.05  # long enough that both workers are busy at once
    # The worker processes run on the real clock; the rows must be due by it.
    now = datetime.now(timezone.utc)
    numbers = [f"+35840555{index:04d}" for index in range(20)]
    with line.db.session() as session:
        ids = [queue_sms(session, to=number, body=f"Callback #{index} is yours.", purpose="assignment",
                         dedupe_key=f"assign-{index}", now=now).id
               for index, number in enumerate(numbers)]
    for _ in range(2):  # as if the sweep had re-queued every one of them, twice
        for outbound_id in ids:
            line.jobs.enqueue_now(SEND_SMS_JOB, outbound_id, job_id=send_job_id(outbound_id))

    rq = str(Path(sys.executable).with_name("rq"))
    command = [rq, "worker", "--burst", "--worker-class", "rq.worker.SimpleWorker", "--serializer", SERIALIZER_PATH,
               "--url", line.settings.redis_url, "helpline"]
    workers = [subprocess.Popen(command, env=_worker_environment(line, fake_twilio), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [worker.communicate(timeout=60)[0] for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    for number in numbers:
        assert len(fake_twilio.messages_to(number)) == 1, number
    assert len(fake_twilio.requests_to("POST", "/Messages.json")) == len(numbers)
    with line.db.sessionmaker() as session:
        rows = session.scalars(select(OutboundSms).where(OutboundSms.id.in_(ids))).all()
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}
    # Both processes really took part (otherwise this would test nothing about concurrency).
    assert all("Job OK" in output for output in outputs), outputs


def test_two_workers_sending_storms_never_pass_a_numbers_hourly_ceiling(worker_line, fake_twilio, redis):
    """Each worker counts the recipient's SMS after claiming its own; without the per-recipient
    lock both could count before either claim is visible, and send one more than the ceiling.
    Each number's texts are queued one after another, so both workers reach its ceiling together."""
    line = worker_line
    ceiling, per_number = 2, 5
    now = datetime.now(timezone.utc)
    storms = [f"+35840555{index:04d}" for index in range(16)]
    with line.db.session() as session:
        ids = [queue_sms(session, to=number, body=f"Reminder {index}", purpose="reminder",
                         dedupe_key=f"storm-{number}-{index}", now=now).id
               for number in storms for index in range(per_number)]
    for outbound_id in ids:
        line.jobs.enqueue_now(SEND_SMS_JOB, outbound_id, job_id=send_job_id(outbound_id))

    rq = str(Path(sys.executable).with_name("rq"))
    command = [rq, "worker", "--burst", "--worker-class", "rq.worker.SimpleWorker", "--serializer", SERIALIZER_PATH,
               "--url", line.settings.redis_url, "helpline"]
    environment = {**_worker_environment(line, fake_twilio), "SMS_MAX_PER_RECIPIENT_PER_HOUR": str(ceiling)}
    workers = [subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for _ in range(2)]
    outputs = [worker.communicate(timeout=60)[0] for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert {number: len(fake_twilio.messages_to(number)) for number in storms} == dict.fromkeys(storms, ceiling)
    with line.db.sessionmaker() as session:
        statuses = list(session.scalars(select(OutboundSms.status).where(OutboundSms.id.in_(ids))))
    assert sorted(statuses) == ["sent"] * (ceiling * len(storms)) + ["suppressed"] * ((per_number - ceiling) * len(storms))
    assert all("Job OK" in output for output in outputs), outputs
