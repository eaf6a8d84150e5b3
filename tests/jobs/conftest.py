"""Callback-queue fixtures: the fake Twilio REST API, real RQ workers on a real Redis, the sweep,
a Twilio-like caller, and a rota with a staff member and a supervisor."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

import pytest
from sqlalchemy import select
from twiml_schema import assert_valid_twiml

from helpline.devtools.call_client import FlaskTransport, TwilioCallSimulator
from helpline.models import CallbackEvent, CallbackRequest, Staff
from helpline.queue.sweep import SweepReport, run_sweep
from twilio_line import BurstWorker, fake_twilio, fake_twilio_hang_seconds, line, run_worker, worker_line  # noqa: F401 (shared fixtures)

MOBILE_CALLER = "+358501234567"


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
def staff_texts(client, line) -> Callable[[Staff | str, str], None]:
    """A staff phone (or any number) texts the line, as Twilio would deliver it to /sms/incoming (signed)."""
    from itertools import count

    from helpline.telephony.signatures import sign

    sids = count(1)

    def send(staff: Staff | str, body: str) -> None:
        number = staff if isinstance(staff, str) else staff.phone  # a caller's number too
        params = {"MessageSid": f"SM{next(sids):032x}", "AccountSid": line.settings.twilio_account_sid,
                  "From": number, "To": line.settings.twilio_phone_number, "Body": body}
        signature = sign(line.settings.twilio_auth_token, line.settings.public_base_url + "/sms/incoming", params)
        response = client.post("/sms/incoming", data=params, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 200, response.get_data(as_text=True)

    return send
