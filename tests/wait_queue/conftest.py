"""The wait queue: callers through signed webhooks (the Twilio-like call client, every TwiML
document checked against Twilio's schema), the fake Twilio REST API the line rings staff
through, and real RQ workers on a real Redis."""
from __future__ import annotations

from typing import Callable

import pytest
from sqlalchemy import select
from twiml_schema import assert_valid_twiml

from helpline.devtools.call_client import FlaskTransport, StaffPhone, TwilioCallSimulator
from helpline.models import Call, CallbackRequest, StaffBusy
from twilio_line import BurstWorker, fake_twilio, fake_twilio_hang_seconds, line, run_worker, worker_line  # noqa: F401


@pytest.fixture
def simulator(client, settings) -> TwilioCallSimulator:
    return TwilioCallSimulator(FlaskTransport(client), auth_token=settings.twilio_auth_token,
                               public_base_url=settings.public_base_url, account_sid=settings.twilio_account_sid,
                               line_number=settings.twilio_phone_number, validate_twiml=assert_valid_twiml)


@pytest.fixture
def accepting(staffed_line) -> dict[str, StaffPhone]:
    """Both staff phones pick up and press 1."""
    return {staff.phone: StaffPhone(staff.phone, "accept") for staff in staffed_line}


@pytest.fixture
def while_everyone_talks(simulator, staffed_line, accepting) -> Callable[[Callable[[], object]], None]:
    """Run ``then`` while Aino and Bertil each talk with a caller of their own."""

    def run(then: Callable[[], object]) -> None:
        simulator.call("+358501000001", staff=accepting, during_conversation=lambda: simulator.call(
            "+358501000002", staff=accepting, during_conversation=then))

    return run


@pytest.fixture
def rows(line):
    class Rows:
        def call(self, call_sid: str) -> Call:
            with line.db.sessionmaker() as session:
                return session.scalar(select(Call).where(Call.call_sid == call_sid))

        def callbacks(self) -> list[CallbackRequest]:
            with line.db.sessionmaker() as session:
                callbacks = list(session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)))
                for callback in callbacks:
                    _ = callback.messages  # loaded while the session is open
                return callbacks

        def busy(self) -> list[StaffBusy]:
            with line.db.sessionmaker() as session:
                return list(session.scalars(select(StaffBusy).order_by(StaffBusy.staff_id)))

    return Rows()


@pytest.fixture
def ring_only(simulator, settings) -> Callable[[str, str], str]:
    """A call that gets as far as ringing someone (the menu passed), and no further: no webhook
    comes after it. Returns the TwiML of the step."""

    def call(call_sid: str, caller: str) -> str:
        form = {"CallSid": call_sid, "From": caller, "To": settings.twilio_phone_number, "CallStatus": "ringing"}
        simulator.deliver("/voice/incoming", form)
        return simulator.deliver("/voice/language", {**form, "CallStatus": "in-progress"}).text

    return call


@pytest.fixture
def counts_rows(line):
    """How many calls, busy states and callback requests are stored."""
    from sqlalchemy import func

    def count() -> tuple[int, int, int]:
        with line.db.sessionmaker() as session:
            return tuple(session.scalar(select(func.count()).select_from(model))
                         for model in (Call, StaffBusy, CallbackRequest))

    return count
