"""SMS fixtures: the fake Twilio REST API, the app pointed at it, and real RQ workers on Redis."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

import pytest

from helpline.dispatch import SEND_SMS_JOB, send_job_id
from helpline.sms.outbox import due_outbound, queue_sms
from helpline.telephony.signatures import sign
from twilio_line import BurstWorker, fake_twilio, fake_twilio_hang_seconds, line, run_worker, worker_line  # noqa: F401 (shared fixtures)

CALLER = "+358401234567"


@pytest.fixture
def fake_twilio_hang_seconds() -> float:
    return 3.0


@pytest.fixture
def sweep(worker_line, clock) -> Callable[[], list[int]]:
    """What the periodic sweep does for SMS: hand every due row to a send job again."""

    def run() -> list[int]:
        with worker_line.db.session() as session:
            ids = due_outbound(session, clock.now())
        for outbound_id in ids:
            worker_line.jobs.enqueue_now(SEND_SMS_JOB, outbound_id, job_id=send_job_id(outbound_id))
        return ids

    return run


@pytest.fixture
def text(worker_line, clock):
    """Queue one SMS the way the rest of Helpline does, and commit."""

    def queue(to: str = CALLER, body: str = "Your callback request was received.", *,
              key: str | None = None, purpose: str = "caller_confirmation", now: datetime | None = None):
        with worker_line.db.session() as session:
            return queue_sms(session, to=to, body=body, purpose=purpose, dedupe_key=key or f"test-{body}-{to}",
                             now=now or clock.now())

    return queue


@pytest.fixture
def twilio_post(client, line):
    """POST as Twilio would: form-encoded, signed with our auth token for PUBLIC_BASE_URL + path."""

    def post(path: str, params: dict[str, str], *, token: str | None = None):
        signature = sign(token or line.settings.twilio_auth_token, line.settings.public_base_url + path, params)
        return client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    return post
