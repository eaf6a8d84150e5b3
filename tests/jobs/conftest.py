"""Callback-queue fixtures: the fake Twilio REST API, real RQ workers on a real Redis, the sweep,
a Twilio-like caller, and a rota with a staff member and a supervisor."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterator

import pytest
from rq import Queue, SimpleWorker
from sqlalchemy import select
from twiml_schema import assert_valid_twiml

from helpline.devtools.call_client import FlaskTransport, TwilioCallSimulator
from helpline.devtools.fake_twilio import FakeTwilio
from helpline.models import CallbackEvent, CallbackRequest, Staff
from helpline.queue.dispatch import QUEUE_NAME
from helpline.queue.runtime import use_services
from helpline.queue.sweep import SweepReport, run_sweep

MOBILE_CALLER = "+358501234567"


@pytest.fixture
def fake_twilio(settings, clock) -> Iterator[FakeTwilio]:
    with FakeTwilio(settings.twilio_account_sid, settings.twilio_auth_token, clock=clock.now,
                    phone_numbers=[settings.twilio_phone_number]) as fake:
        yield fake


@pytest.fixture
def line(line, fake_twilio):
    """The test's Services, sending every Twilio REST request to the fake (TWILIO_API_BASE_URL)."""
    line.settings = line.settings.with_overrides(twilio_api_base_url=fake_twilio.base_url)
    return line


@pytest.fixture
def worker_line(line):
    """The test's Services as this process's jobs see them (so they share the frozen clock)."""
    with use_services(line):
        yield line


class BurstWorker(SimpleWorker):
    """rq's SimpleWorker without its pub/sub command listener (a burst needs no remote commands,
    and stopping that thread costs a second per burst)."""

    def subscribe(self) -> None:
        pass


@pytest.fixture
def run_worker(worker_line) -> Callable[[], None]:
    """Drain the helpline queue with a real RQ worker, in this process (it sees the frozen clock)."""

    def run() -> None:
        connection = worker_line.jobs.redis
        BurstWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(burst=True)

    return run


@pytest.fixture
def sweep(worker_line) -> Callable[[], SweepReport]:
    return lambda: run_sweep(worker_line)


@pytest.fixture
def tick(worker_line, clock, sweep, run_worker) -> Callable[..., SweepReport]:
    """Move the clock to ``moment`` (if given), sweep as the sweeper would, and let a worker run."""

    def at(moment: datetime | None = None) -> SweepReport:
        if moment is not None:
            clock.set(moment)
        report = sweep()
        run_worker()
        return report

    return at


@pytest.fixture
def simulator(client, settings) -> TwilioCallSimulator:
    return TwilioCallSimulator(FlaskTransport(client), auth_token=settings.twilio_auth_token,
                               public_base_url=settings.public_base_url, account_sid=settings.twilio_account_sid,
                               line_number=settings.twilio_phone_number, validate_twiml=assert_valid_twiml)


@dataclass(frozen=True)
class Rota:
    aino: Staff  # staff, Finnish, rung first
    sirpa: Staff  # supervisor, Finnish and Swedish


@pytest.fixture
def week_rota(office_hours, make_staff, make_shift, clock) -> Rota:
    """Mon-Fri 09-15 (the clock's week and the next); Aino and the supervisor Sirpa on duty
    09-15 every weekday. The frozen clock starts on Monday 11 January 2027 at 10:00."""
    office_hours()
    aino = make_staff("Aino", "+358401110001", languages=("fi",))
    sirpa = make_staff("Sirpa", "+358401110009", role="supervisor", languages=("fi", "sv"))
    monday = clock.now().replace(hour=9, minute=0)
    for day in range(14):
        start = monday + timedelta(days=day)
        if start.weekday() < 5:
            make_shift(aino, start, start.replace(hour=15), priority=1)
            make_shift(sirpa, start, start.replace(hour=15), priority=5)
    return Rota(aino, sirpa)


@pytest.fixture
def history(line) -> Callable[[int], list[tuple[str, int | None]]]:
    """A callback's events as (kind, staff_id), oldest first."""

    def kinds(callback_id: int) -> list[tuple[str, int | None]]:
        with line.db.sessionmaker() as session:
            return [(e.kind, e.staff_id) for e in session.scalars(
                select(CallbackEvent).where(CallbackEvent.callback_id == callback_id).order_by(CallbackEvent.id))]

    return kinds


@pytest.fixture
def callback_row(line) -> Callable[[int], CallbackRequest]:
    def load(callback_id: int) -> CallbackRequest:
        with line.db.sessionmaker() as session:
            return session.get(CallbackRequest, callback_id)

    return load


@pytest.fixture
def bodies(fake_twilio) -> Callable[[str], list[str]]:
    """The texts the fake Twilio holds for one number, oldest first."""
    return lambda number: [message["body"] for message in fake_twilio.messages_to(number)]


@pytest.fixture
def staff_texts(client, line) -> Callable[[Staff, str], None]:
    """A staff phone texts the line, as Twilio would deliver it to /sms/incoming (signed)."""
    from itertools import count

    from helpline.telephony.signatures import sign

    sids = count(1)

    def send(staff: Staff, body: str) -> None:
        params = {"MessageSid": f"SM{next(sids):032x}", "AccountSid": line.settings.twilio_account_sid,
                  "From": staff.phone, "To": line.settings.twilio_phone_number, "Body": body}
        signature = sign(line.settings.twilio_auth_token, line.settings.public_base_url + "/sms/incoming", params)
        response = client.post("/sms/incoming", data=params, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 200, response.get_data(as_text=True)

    return send
