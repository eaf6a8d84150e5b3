"""Staff-side fixtures: the fake Twilio REST API, real RQ workers on Redis, signed SMS from staff
phones, callbacks in the database, and a staff phone that answers the line's call-back."""
from __future__ import annotations

import itertools
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from twiml_schema import assert_valid_twiml

from helpline.models import CallbackEvent, CallbackRequest, InboundSms, OutboundSms, Staff, VoiceMessage
from helpline.telephony.signatures import sign
from twilio_line import BurstWorker, fake_twilio, fake_twilio_hang_seconds, line, run_worker, worker_line  # noqa: F401 (shared fixtures)

CALLER = "+358401234567"


@pytest.fixture
def fake_twilio_hang_seconds() -> float:
    return 2.0


@pytest.fixture
def twilio_post(client, line):
    """POST as Twilio would: form-encoded and signed for PUBLIC_BASE_URL + path."""

    def post(path: str, params: dict[str, str], *, token: str | None = None):
        signature = sign(token or line.settings.twilio_auth_token, line.settings.public_base_url + path, params)
        return client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    return post


_sids = itertools.count(1)


@pytest.fixture
def text_line(twilio_post, line):
    """A staff phone texts the line: text_line(staff_or_number, "OK 12") -> the webhook's response."""

    def send(sender: Staff | str, body: str, *, sid: str | None = None):
        number = sender if isinstance(sender, str) else sender.phone
        params = {"MessageSid": sid or f"SM{next(_sids):032x}", "AccountSid": line.settings.twilio_account_sid,
                  "From": number, "To": line.settings.twilio_phone_number, "Body": body, "NumSegments": "1"}
        response = twilio_post("/sms/incoming", params)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response

    return send


@pytest.fixture
def texts_to(fake_twilio, run_worker):
    """Every SMS body Twilio was asked to send to ``number``, after the worker has run."""

    def bodies(number: str) -> list[str]:
        run_worker()
        return [message["body"] for message in fake_twilio.messages_to(number)]

    return bodies


@pytest.fixture
def team(make_staff):
    """Aino (fi), Bertil (sv), Carol (en), Sanna the supervisor, and Olli who has left."""

    @dataclass
    class Team:
        aino: Staff = field(default_factory=lambda: make_staff("Aino", "+358401110001", languages=("fi",)))
        bertil: Staff = field(default_factory=lambda: make_staff("Bertil", "+358401110002", languages=("sv", "fi")))
        carol: Staff = field(default_factory=lambda: make_staff("Carol", "+358401110003", languages=("en",)))
        sanna: Staff = field(default_factory=lambda: make_staff("Sanna", "+358401110004", role="supervisor",
                                                                languages=("fi",)))
        olli: Staff = field(default_factory=lambda: make_staff("Olli", "+358401110005", active=False))

    return Team()


@pytest.fixture
def make_callback(line, clock):
    """A callback in the database: make_callback(assignee=aino, message=True) -> its id."""

    def make(caller: str = CALLER, *, assignee: Staff | None = None, status: str | None = None,
             message: bool = False, recording_sid: str | None = None, language: str = "fi",
             created_at: datetime | None = None) -> int:
        now = clock.now()
        created = created_at or now - timedelta(hours=1)
        with line.db.session() as session:
            callback = CallbackRequest(
                caller=caller, language=language, created_at=created, last_call_at=created,
                status=status or ("assigned" if assignee else "new"),
                assignee_id=assignee.id if assignee else None, assigned_at=now - timedelta(minutes=30) if assignee else None,
                next_action="remind" if assignee else "assign", next_action_at=now + timedelta(minutes=30))
            session.add(callback)
            session.flush()
            if message or recording_sid:
                session.add(VoiceMessage(callback_id=callback.id, recording_sid=recording_sid or f"RE{callback.id:032x}",
                                         recording_url=f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/"
                                                       f"{recording_sid or callback.id}",
                                         recording_status="completed", duration_seconds=12, created_at=created))
            return callback.id

    return make


@pytest.fixture
def stored(line):
    """Fresh reads: stored.callback(id), stored.events(id), stored.inbound(), stored.outbound(number)."""

    class Stored:
        def callback(self, callback_id: int) -> CallbackRequest:
            with line.db.sessionmaker() as session:
                return session.get(CallbackRequest, callback_id)

        def events(self, callback_id: int, kind: str | None = None) -> list[CallbackEvent]:
            with line.db.sessionmaker() as session:
                query = select(CallbackEvent).where(CallbackEvent.callback_id == callback_id)
                if kind:
                    query = query.where(CallbackEvent.kind == kind)
                return list(session.scalars(query.order_by(CallbackEvent.id)))

        def inbound(self) -> list[InboundSms]:
            with line.db.sessionmaker() as session:
                return list(session.scalars(select(InboundSms).order_by(InboundSms.id)))

        def outbound(self, number: str | None = None) -> list[OutboundSms]:
            with line.db.sessionmaker() as session:
                query = select(OutboundSms).order_by(OutboundSms.id)
                if number:
                    query = query.where(OutboundSms.to_number == number)
                return list(session.scalars(query))

    return Stored()


# --- the line calling a staff member back (CALL <ref>) --------------------------------------------

@dataclass
class StaffLeg:
    """One outbound call the fake Twilio was asked to place, played the way Twilio would."""

    twilio_post: Callable
    call: dict
    heard: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    @property
    def request(self) -> dict[str, str]:
        return self.call["request"]

    def _params(self, **extra: str) -> dict[str, str]:
        return {"CallSid": self.call["sid"], "AccountSid": self.call["account_sid"], "From": self.call["from"],
                "To": self.call["to"], "Direction": "outbound-api", "CallStatus": "in-progress", **extra}

    def post(self, url: str, **params: str) -> ElementTree.Element:
        parts = urlsplit(url)
        response = self.twilio_post(parts.path + (f"?{parts.query}" if parts.query else ""), self._params(**params))
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "text/xml"
        text = response.get_data(as_text=True)
        assert_valid_twiml(text)
        self.documents.append(text)
        root = ElementTree.fromstring(text)
        self.heard.extend(" ".join((say.text or "").split()) for say in root.iter("Say"))
        return root

    def answer(self) -> ElementTree.Element:
        """The staff phone picks up: Twilio fetches the call's Url."""
        return self.post(self.request["Url"])

    def press(self, document: ElementTree.Element, digits: str) -> ElementTree.Element:
        gather = document.find("Gather")
        assert gather is not None, "no <Gather> to press a key in"
        return self.post(gather.get("action"), Digits=digits)

    def dial_ends(self, document: ElementTree.Element, status: str, seconds: int = 0) -> ElementTree.Element:
        """The <Dial> to the caller ends with DialCallStatus ``status`` after ``seconds`` of talk."""
        dial = document.find("Dial")
        assert dial is not None, "no <Dial> in the document"
        return self.post(dial.get("action"), DialCallStatus=status, DialCallSid="CA" + "d" * 32,
                         DialCallDuration=str(seconds))

    def hang_up(self, status: str = "completed", seconds: int = 30) -> None:
        """Twilio's status callback for the staff leg."""
        url = self.request["StatusCallback"]
        parts = urlsplit(url)
        response = self.twilio_post(parts.path + f"?{parts.query}",
                                    self._params(CallStatus=status, CallDuration=str(seconds)))
        assert response.status_code == 200


@pytest.fixture
def staff_legs(fake_twilio, twilio_post):
    """The calls the line has placed so far, as StaffLegs."""

    def legs() -> list[StaffLeg]:
        return [StaffLeg(twilio_post, call) for call in fake_twilio.calls]

    return legs
