"""Fixtures for the voice webhooks: a Twilio-like caller that checks every TwiML document
against Twilio's schema, and small readers of what the database and the job queue hold."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from twiml_schema import assert_valid_twiml

from helpline.devtools.call_client import FlaskTransport, TwilioCallSimulator
from helpline.models import Call, CallbackEvent, CallbackRequest, DialAttempt, VoiceMessage
from helpline.dispatch import job_queue


@pytest.fixture
def simulator(client, settings) -> TwilioCallSimulator:
    return TwilioCallSimulator(
        FlaskTransport(client),
        auth_token=settings.twilio_auth_token,
        public_base_url=settings.public_base_url,
        account_sid=settings.twilio_account_sid,
        line_number=settings.twilio_phone_number,
        validate_twiml=assert_valid_twiml,
    )


@dataclass(frozen=True)
class RowCounts:
    calls: int
    attempts: int
    callbacks: int
    messages: int
    events: int


@pytest.fixture
def counts(line):
    """How many rows each voice table holds now."""

    def count() -> RowCounts:
        with line.db.sessionmaker() as session:
            def n(model) -> int:
                return session.scalar(select(func.count()).select_from(model))

            return RowCounts(n(Call), n(DialAttempt), n(CallbackRequest), n(VoiceMessage), n(CallbackEvent))

    return count


@pytest.fixture
def stored(line):
    """Fresh reads of the stored rows: stored.call(sid), stored.callbacks(), stored.attempts(sid)."""

    class Stored:
        def _session(self):
            return line.db.sessionmaker()

        def call(self, call_sid: str) -> Call:
            with self._session() as session:
                call = session.scalar(select(Call).where(Call.call_sid == call_sid))
                assert call is not None, f"no call {call_sid} stored"
                return call

        def attempts(self, call_sid: str) -> list[DialAttempt]:
            with self._session() as session:
                return list(session.scalars(
                    select(DialAttempt).join(Call).where(Call.call_sid == call_sid)
                    .order_by(DialAttempt.attempt_number)))

        def callbacks(self) -> list[CallbackRequest]:
            with self._session() as session:
                callbacks = list(session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)))
                for callback in callbacks:  # load them while the session is open
                    _ = callback.messages, callback.events
                return callbacks

        def messages(self) -> list[VoiceMessage]:
            with self._session() as session:
                return list(session.scalars(select(VoiceMessage).order_by(VoiceMessage.id)))

    return Stored()


@pytest.fixture
def queued_jobs(redis):
    """Ids of the jobs waiting in the helpline queue (real Redis)."""

    def job_ids() -> list[str]:
        return job_queue(redis).job_ids

    return job_ids


@pytest.fixture
def at_helsinki():
    def at(text_value: str) -> datetime:
        return datetime.fromisoformat(text_value).replace(tzinfo=ZoneInfo("Europe/Helsinki"))

    return at


@pytest.fixture
def elements():
    """Every element named ``tag`` in a list of TwiML documents, in order."""
    import xml.etree.ElementTree as ElementTree

    def find(documents: list[str], tag: str) -> list[ElementTree.Element]:
        return [element for document in documents for element in ElementTree.fromstring(document).iter(tag)]

    return find


@pytest.fixture
def staff_phones():
    """{phone: StaffPhone} for the staff members given as (staff, behaviour) pairs."""
    from helpline.devtools.call_client import StaffPhone

    def phones(*pairs) -> dict[str, StaffPhone]:
        return {staff.phone: StaffPhone(staff.phone, behaviour) for staff, behaviour in pairs}

    return phones
