"""Conversations by text, end to end: signed SMS to /sms/incoming from callers and staff, the fake
Twilio REST API over HTTP, real RQ workers on Redis, the sweep, and the supervisor API."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

import pytest
from sqlalchemy import select
from twiml_schema import assert_valid_twiml

from conftest import LINE_NUMBER
from helpline.devtools.call_client import FlaskTransport, TwilioCallSimulator
from helpline.models import CallbackEvent, CallbackRequest, ConversationMessage, OutboundSms, Staff
from helpline.queue.sweep import SweepReport, run_sweep
from helpline.telephony.signatures import sign
from helpline.tokens import create_token
from twilio_line import BurstWorker, fake_twilio, fake_twilio_hang_seconds, line, run_worker, worker_line  # noqa: F401

CALLER = "+358501234567"


@pytest.fixture
def fake_twilio_hang_seconds() -> float:
    return 2.0


_sids = itertools.count(1)


@pytest.fixture
def text_line(client, line) -> Callable[..., str]:
    """A phone (a caller's or a staff member's) texts the line, signed as Twilio would; returns the MessageSid."""

    def send(sender: Staff | str, body: str, *, sid: str | None = None) -> str:
        number = sender if isinstance(sender, str) else sender.phone
        sid = sid or f"SM{next(_sids):032x}"
        params = {"MessageSid": sid, "AccountSid": line.settings.twilio_account_sid, "From": number,
                  "To": line.settings.twilio_phone_number, "Body": body, "NumSegments": "1"}
        signature = sign(line.settings.twilio_auth_token, line.settings.public_base_url + "/sms/incoming", params)
        response = client.post("/sms/incoming", data=params, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 200, response.get_data(as_text=True)
        return sid

    return send


@pytest.fixture
def tick(worker_line, clock, run_worker) -> Callable[..., SweepReport]:
    """Move the clock (to ``at``, or on by ``seconds``), sweep as the sweeper would, run a worker."""

    def at(moment: datetime | None = None, *, seconds: float = 0) -> SweepReport:
        if moment is not None:
            clock.set(moment)
        if seconds:
            clock.advance(seconds=seconds)
        run_worker()  # what the webhooks queued
        report = run_sweep(worker_line)
        run_worker()
        return report

    return at


@pytest.fixture
def sms_to(fake_twilio) -> Callable[[str], list[str]]:
    """Every SMS body the fake Twilio was asked to send to ``number``, oldest first."""
    return lambda number: [message["body"] for message in fake_twilio.messages_to(number)]


@dataclass(frozen=True)
class Rota:
    aino: Staff  # staff, Finnish, rung first
    sirpa: Staff  # supervisor, Finnish and Swedish


@pytest.fixture
def week_rota(office_hours, make_staff, make_shift, clock) -> Rota:
    """Mon-Fri 09-15 this week and next; Aino (priority 1) and the supervisor Sirpa on duty 09-15.
    The frozen clock starts on Monday 11 January 2027 at 10:00."""
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
def stored(line):
    """Fresh reads of what the line stored."""

    class Stored:
        def callbacks(self) -> list[CallbackRequest]:
            with line.db.sessionmaker() as session:
                return list(session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)))

        def callback(self, callback_id: int) -> CallbackRequest:
            with line.db.sessionmaker() as session:
                return session.get(CallbackRequest, callback_id)

        def conversation(self, callback_id: int) -> list[tuple[str, str]]:
            with line.db.sessionmaker() as session:
                return [(message.sender, message.text) for message in session.scalars(
                    select(ConversationMessage).where(ConversationMessage.callback_id == callback_id)
                    .order_by(ConversationMessage.at, ConversationMessage.id))]

        def events(self, callback_id: int) -> list[str]:
            with line.db.sessionmaker() as session:
                return list(session.scalars(select(CallbackEvent.kind).where(CallbackEvent.callback_id == callback_id)
                                            .order_by(CallbackEvent.id)))

        def outbound(self, number: str | None = None) -> list[OutboundSms]:
            with line.db.sessionmaker() as session:
                query = select(OutboundSms).order_by(OutboundSms.id)
                if number:
                    query = query.where(OutboundSms.to_number == number)
                return list(session.scalars(query))

    return Stored()


@pytest.fixture
def api(client, line, clock):
    """The supervisor API with a supervisor's token: api.get(path), api.post(path, json)."""
    with line.db.session() as session:
        token = create_token(session, "supervisor's laptop", "supervisor", clock.now())
    headers = {"Authorization": f"Bearer {token}"}

    class Api:
        def get(self, path: str):
            return client.get(path, headers=headers)

        def post(self, path: str, body: dict):
            return client.post(path, json=body, headers=headers)

    return Api()


@pytest.fixture
def simulator(client, settings) -> TwilioCallSimulator:
    return TwilioCallSimulator(FlaskTransport(client), auth_token=settings.twilio_auth_token,
                               public_base_url=settings.public_base_url, account_sid=settings.twilio_account_sid,
                               line_number=settings.twilio_phone_number, validate_twiml=assert_valid_twiml)


@pytest.fixture
def only_from_the_line(fake_twilio) -> Callable[[], None]:
    """Assert that every SMS Twilio was asked to send came from the line's shared number."""

    def check() -> None:
        senders = {message["from"] for message in fake_twilio.messages}
        assert senders <= {LINE_NUMBER}, senders

    return check
