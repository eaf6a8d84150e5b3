"""Fixtures shared by the folders whose tests talk to Twilio's REST API and run real RQ workers
(tests/sms, tests/staff, tests/jobs, tests/recovery): import them into a folder's conftest.

- ``fake_twilio``: the local fake of api.twilio.com on the test's clock;
- ``line``: the test's Services with TWILIO_API_BASE_URL pointed at the fake;
- ``worker_line``: those Services as this process's jobs see them (sharing the frozen clock);
- ``run_worker``: drain the queue with a real RQ worker in this process.

A folder sets ``fake_twilio_hang_seconds`` when its tests inject timeouts: how long the fake
holds an answer back.
"""
from __future__ import annotations

from typing import Callable, Iterator

import pytest
from rq import SimpleWorker

from helpline.devtools.fake_twilio import FakeTwilio
from helpline.dispatch import SERIALIZER, job_queue
from helpline.services import use_services


@pytest.fixture
def fake_twilio_hang_seconds() -> float:
    return 5.0


@pytest.fixture
def fake_twilio(settings, clock, fake_twilio_hang_seconds) -> Iterator[FakeTwilio]:
    # Twilio's clock is the test's, so creation times compare with the line's.
    with FakeTwilio(settings.twilio_account_sid, settings.twilio_auth_token, clock=clock.now,
                    phone_numbers=[settings.twilio_phone_number], hang_seconds=fake_twilio_hang_seconds) as fake:
        yield fake


@pytest.fixture
def line(line, fake_twilio):
    """The test's Services, with every Twilio REST request going to the fake (TWILIO_API_BASE_URL)."""
    line.settings = line.settings.with_overrides(twilio_api_base_url=fake_twilio.base_url)
    return line


@pytest.fixture
def worker_line(line):
    with use_services(line):
        yield line


class BurstWorker(SimpleWorker):
    """rq's SimpleWorker without its pub/sub command listener: a burst needs no remote commands,
    and stopping that thread costs a fixed second per burst. It reads jobs as JSON, as the
    Procfile's worker does (``--serializer rq.serializers.JSONSerializer``)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("serializer", SERIALIZER)
        super().__init__(*args, **kwargs)

    def subscribe(self) -> None:
        pass


@pytest.fixture
def run_worker(worker_line) -> Callable[[], None]:
    def run() -> None:
        connection = worker_line.jobs.redis
        BurstWorker([job_queue(connection)], connection=connection).work(burst=True)

    return run
