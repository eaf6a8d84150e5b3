"""SMS fixtures: the fake Twilio REST API, the app pointed at it, and real RQ workers on Redis."""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterator

import pytest
from rq import Queue, SimpleWorker

from helpline.devtools.fake_twilio import FakeTwilio
from helpline.outbox import SEND_JOB, due_outbound, queue_sms, send_job_id
from helpline.queue.dispatch import QUEUE_NAME
from helpline.queue.runtime import use_services
from helpline.telephony.signatures import sign

CALLER = "+358401234567"


@pytest.fixture
def fake_twilio(settings, clock) -> Iterator[FakeTwilio]:
    # Twilio's clock is the test's clock, so the ambiguous-send check can compare creation times.
    with FakeTwilio(settings.twilio_account_sid, settings.twilio_auth_token, clock=clock.now,
                    phone_numbers=[settings.twilio_phone_number], hang_seconds=3.0) as fake:
        yield fake


@pytest.fixture
def line(line, fake_twilio):
    """The test's Services, with every Twilio REST request going to the fake (TWILIO_API_BASE_URL)."""
    line.settings = line.settings.with_overrides(twilio_api_base_url=fake_twilio.base_url)
    return line


@pytest.fixture
def worker_line(line):
    """The test's Services, as the jobs of this process see them."""
    with use_services(line):
        yield line


class BurstWorker(SimpleWorker):
    """rq's SimpleWorker without its pub/sub command channel: stopping that listener thread
    costs a fixed second per burst, and a burst worker needs no remote commands."""

    def subscribe(self) -> None:
        pass


@pytest.fixture
def run_worker(worker_line, redis) -> Callable[[], None]:
    """Drain the queue with a real RQ worker (in this process, so it sees the frozen clock)."""

    def run() -> None:
        BurstWorker([Queue(QUEUE_NAME, connection=redis)], connection=redis).work(burst=True)

    return run


@pytest.fixture
def sweep(worker_line, clock) -> Callable[[], list[int]]:
    """What the periodic sweep does for SMS: hand every due row to a send job again."""

    def run() -> list[int]:
        with worker_line.db.session() as session:
            ids = due_outbound(session, clock.now())
        for outbound_id in ids:
            worker_line.jobs.enqueue_now(SEND_JOB, outbound_id, job_id=send_job_id(outbound_id))
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
