"""A Twilio-like phone call against the voice webhooks, for tests and the demo.

``TwilioCallSimulator.call()`` plays one inbound call the way Twilio would: it signs every request
with the auth token (X-Twilio-Signature over the public URL and the form parameters), POSTs the
webhook, parses the TwiML that comes back and follows it verb by verb: it hears <Say>, presses a
digit at a <Gather>, follows <Redirect>, rings the <Dial><Number> (running the number's screening
document as the staff leg), leaves a message at <Record> (posting the action and the recording
status callback), stops at <Hangup/>, and finally sends the status callback of the call.

Staff phones behave as told (``StaffPhone.behaviour``):

- ``accept``: picks up and presses 1 at the screening prompt;
- ``voicemail``: a voicemail box picks up and listens, never pressing anything;
- ``decline``: picks up and presses 9;
- ``no-answer`` / ``busy``: never picks up.

A number not in ``staff`` rings out (``no-answer``).

The wait queue: at <Enqueue> the caller joins the simulator's queue of that name and hears the
wait URL's rounds (requested with Twilio's QueuePosition, QueueTime, QueueSid, AvgQueueTime,
CurrentQueueSize and MaxQueueSize; each round adds the time its words and its Gather take).
``in_queue`` says what they do there: ``wait`` (until the line says <Leave>), ``press-1`` (after
``queue_rounds`` rounds) or ``hang-up`` (after ``queue_rounds`` rounds). With ``park=True`` the
call stays waiting after ``queue_rounds`` rounds and ``call()`` returns it unfinished:
:meth:`TwilioCallSimulator.wait_more` plays further rounds, and :meth:`TwilioCallSimulator.answer`
answers a call the line placed through the REST API (a free staff member), following its TwiML
to <Dial><Queue>, which bridges the caller at the front of the queue (the longest waiting):
the <Queue url> is requested on that caller's leg with DequeingCallSid, then the staff leg's
<Dial> action, the caller's <Enqueue> action (QueueResult=bridged) and both status callbacks.
``during_conversation`` runs while a caller is bridged to someone (another caller may call then). Transports: ``FlaskTransport`` (a Flask test
client) and ``HttpTransport`` (a running server). Twilio is never imported here beyond
helpline.telephony.signatures.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Mapping, Protocol
from urllib.parse import urljoin, urlsplit

from helpline.telephony.signatures import sign

MAX_DOCUMENTS = 60  # a call that needs more than this is looping


class SimulatorError(RuntimeError):
    """The server answered something Twilio could not follow (an error status, bad TwiML, a loop)."""


@dataclass(frozen=True)
class TransportResponse:
    status_code: int
    text: str
    content_type: str

    @property
    def is_xml(self) -> bool:
        return self.content_type.split(";")[0].strip() in ("text/xml", "application/xml")


class Transport(Protocol):
    def post(self, path: str, data: Mapping[str, str], headers: Mapping[str, str]) -> TransportResponse: ...


class FlaskTransport:
    """Requests through a Flask test client (``app.test_client()``)."""

    def __init__(self, flask_client, *, environ_overrides: Mapping[str, str] | None = None) -> None:
        self.client = flask_client
        self.environ_overrides = dict(environ_overrides or {})

    def post(self, path: str, data: Mapping[str, str], headers: Mapping[str, str]) -> TransportResponse:
        response = self.client.post(path, data=dict(data), headers=dict(headers),
                                    environ_overrides=self.environ_overrides)
        return TransportResponse(response.status_code, response.get_data(as_text=True), response.content_type or "")


class HttpTransport:
    """Real HTTP to a running server (the demo)."""

    def __init__(self, base_url: str, *, timeout: float = 15.0) -> None:
        import requests

        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()

    def post(self, path: str, data: Mapping[str, str], headers: Mapping[str, str]) -> TransportResponse:
        response = self._session.post(self.base_url + path, data=dict(data), headers=dict(headers),
                                      timeout=self.timeout, allow_redirects=False)
        return TransportResponse(response.status_code, response.text, response.headers.get("Content-Type", ""))


@dataclass
class StaffPhone:
    phone: str
    behaviour: str = "accept"

    BEHAVIOURS: ClassVar[tuple[str, ...]] = ("accept", "voicemail", "decline", "no-answer", "busy")

    def __post_init__(self) -> None:
        if self.behaviour not in self.BEHAVIOURS:
            raise ValueError(f"unknown staff phone behaviour {self.behaviour!r}; use one of {self.BEHAVIOURS}")


@dataclass
class CallResult:
    call_sid: str
    heard: list[str] = field(default_factory=list)  # every <Say> the caller heard, in order
    rang: list[str] = field(default_factory=list)  # staff numbers dialled, in order
    answered_by: str | None = None  # the staff number bridged to the caller
    recorded: bool = False  # the caller left a message
    documents: list[str] = field(default_factory=list, repr=False)  # every TwiML document received
    staff_heard: list[str] = field(default_factory=list)  # what the staff legs heard (screening)
    recording_sid: str | None = None
    seconds: int = 0  # the call's length as reported in the final status callback
    # Each <Gather> the caller met: (how many sentences of ``heard`` came before the key, the key
    # pressed, or None when they pressed nothing and the menu timed out).
    keys: list[tuple[int, str | None]] = field(default_factory=list)
    queued: bool = False  # met an <Enqueue>
    queue_positions: list[int] = field(default_factory=list)  # QueuePosition of each wait round
    queue_seconds: int = 0  # QueueTime so far
    queue_result: str | None = None  # QueueResult of the Enqueue action (bridged, leave, hangup)
    parked: bool = False  # still waiting in the queue: call() returned before the call ended

    @property
    def outcome(self) -> str:
        """What happened, as the caller would tell it: answered, voicemail or no_message."""
        if self.answered_by:
            return "answered"
        return "voicemail" if self.recorded else "no_message"

    def heard_text(self) -> str:
        return " ".join(self.heard)


@dataclass
class _Options:
    staff: dict[str, StaffPhone]
    press: str | None
    leave_message_seconds: int | None
    hang_up_during_record: bool
    recording_callback_first: bool
    hang_up_while_ringing: bool
    conversation_seconds: int
    in_queue: str = "wait"
    queue_rounds: int = 1
    park: bool = False
    during_conversation: Callable[[], object] | None = None


QUEUE_BEHAVIOURS = ("wait", "press-1", "hang-up")
MAX_WAIT_ROUNDS = 40


@dataclass
class _Waiting:
    """A caller in a simulated Twilio queue, with what it takes to finish their call later."""

    result: CallResult
    options: _Options
    base: dict[str, str]
    verb: ElementTree.Element
    queue_sid: str


@dataclass
class AnsweredCall:
    """A call the line placed (REST API) that a staff phone answered: what happened on it."""

    call_sid: str
    heard: list[str] = field(default_factory=list)
    bridged_to: CallResult | None = None  # the caller taken from the queue


def _new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


class TwilioCallSimulator:
    def __init__(self, transport: Transport, *, auth_token: str, public_base_url: str, account_sid: str,
                 line_number: str, validate_twiml: Callable[[str], object] | None = None) -> None:
        self.transport = transport
        self.auth_token = auth_token
        self.public_base_url = public_base_url.rstrip("/")
        self.account_sid = account_sid
        self.line_number = line_number
        self.validate_twiml = validate_twiml
        self.queues: dict[str, list[_Waiting]] = {}  # Twilio's queues, by name: front first

    # --- single requests -------------------------------------------------------------------------

    def deliver(self, path: str, params: Mapping[str, str]) -> TransportResponse:
        """Send one webhook signed as Twilio would (for duplicate-delivery tests); validates TwiML."""
        path = self._path_of(path)
        signature = sign(self.auth_token, self.public_base_url + path, dict(params))
        response = self.transport.post(path, dict(params), {"X-Twilio-Signature": signature})
        if response.status_code == 200 and response.is_xml and self.validate_twiml is not None:
            self.validate_twiml(response.text)
        return response

    def send_raw(self, path: str, params: Mapping[str, str], signature: str | None) -> TransportResponse:
        """Send a webhook with the given signature (None: no header): forged or unsigned requests."""
        headers = {} if signature is None else {"X-Twilio-Signature": signature}
        return self.transport.post(self._path_of(path), dict(params), headers)

    # --- a whole call ----------------------------------------------------------------------------

    def call(self, caller: str | None, *, staff: dict[str, StaffPhone] | None = None, press: str | None = None,
             leave_message_seconds: int | None = 20, hang_up_during_record: bool = False,
             recording_callback_first: bool = False, hang_up_while_ringing: bool = False,
             conversation_seconds: int = 95, in_queue: str = "wait", queue_rounds: int = 1, park: bool = False,
             during_conversation: Callable[[], object] | None = None) -> CallResult:
        """Call the line from ``caller`` (None: a withheld number) and follow the TwiML to the end
        (or, with ``park``, until it waits in a queue)."""
        if in_queue not in QUEUE_BEHAVIOURS:
            raise ValueError(f"unknown in_queue {in_queue!r}; use one of {QUEUE_BEHAVIOURS}")
        options = _Options(dict(staff or {}), press, leave_message_seconds, hang_up_during_record,
                           recording_callback_first, hang_up_while_ringing, conversation_seconds, in_queue,
                           queue_rounds, park, during_conversation)
        result = CallResult(call_sid=_new_sid("CA"))
        from_value = caller or "anonymous"
        base = {"AccountSid": self.account_sid, "ApiVersion": "2010-04-01", "CallSid": result.call_sid,
                "From": from_value, "Caller": from_value, "To": self.line_number, "Called": self.line_number,
                "Direction": "inbound"}
        document = self._twiml(result, "/voice/incoming", {**base, "CallStatus": "ringing"})
        if self._follow_caller(result, options, base, document) == "parked":
            result.parked = True
            return result
        self._finish(result, base)
        return result

    def _finish(self, result: CallResult, base: dict[str, str]) -> None:
        """The caller's leg ended: Twilio's status callback of the call."""
        result.parked = False
        final = {**base, "CallStatus": "completed", "CallDuration": str(result.seconds)}
        response = self.deliver("/voice/status", final)
        if response.status_code not in (200, 204):
            raise SimulatorError(f"/voice/status answered {response.status_code}: {response.text[:200]}")
        if response.status_code == 200 and response.text:
            result.documents.append(response.text)

    def _follow_caller(self, result: CallResult, options: _Options, base: dict[str, str],
                       document: ElementTree.Element) -> str | None:
        """Follow the caller's TwiML; "parked" when the call is left waiting in a queue."""
        live = {**base, "CallStatus": "in-progress"}
        pending_press = options.press
        verbs, index = list(document), 0
        while index < len(verbs):
            verb = verbs[index]
            index += 1
            next_document: ElementTree.Element | None = None
            if verb.tag == "Say":
                result.heard.append(_text(verb))
                result.seconds += 4
            elif verb.tag == "Gather":
                result.heard.extend(_text(say) for say in verb if say.tag == "Say")
                result.keys.append((len(result.heard), pending_press))
                if pending_press:
                    digits, pending_press = pending_press, None
                    next_document = self._twiml(result, verb.get("action") or "", {**live, "Digits": digits})
                else:
                    result.seconds += int(verb.get("timeout") or 5)
            elif verb.tag == "Redirect":
                next_document = self._twiml(result, _text(verb), live)
            elif verb.tag == "Dial":
                hung_up, next_document = self._dial(result, options, live, verb)
                if hung_up:
                    return
            elif verb.tag == "Record":
                hung_up, next_document = self._record(result, options, live, verb)
                if hung_up:
                    return None
            elif verb.tag == "Enqueue":
                waiting = _Waiting(result, options, base, verb, _new_sid("QU"))
                self.queues.setdefault(_text(verb) or "default", []).append(waiting)
                result.queued = True
                state, next_document = self._wait(waiting)
                if state != "left":
                    return state if state == "parked" else None
            elif verb.tag in ("Hangup", "Reject"):
                return None
            elif verb.tag in ("Pause", "Play"):
                continue
            else:
                raise SimulatorError(f"the simulator cannot follow <{verb.tag}>")
            if next_document is not None:
                verbs, index = list(next_document), 0
        return None  # running off the end of a document hangs up, as on Twilio

    def _dial(self, result: CallResult, options: _Options, live: dict[str, str],
              verb: ElementTree.Element) -> tuple[bool, ElementTree.Element | None]:
        numbers = [noun for noun in verb if noun.tag == "Number"]
        if len(numbers) != 1:
            raise SimulatorError(f"expected one <Number> in <Dial>, got {len(numbers)}")
        number = numbers[0]
        phone = _text(number)
        result.rang.append(phone)
        behaviour = options.staff.get(phone, StaffPhone(phone, "no-answer")).behaviour
        child_sid = _new_sid("CA")
        bridged, leg_seconds = False, 0
        if options.hang_up_while_ringing:
            dial_status = "canceled"
            result.seconds += 5
        elif behaviour in ("no-answer", "busy"):
            dial_status = behaviour
            result.seconds += int(verb.get("timeout") or 30) if behaviour == "no-answer" else 2
        else:
            dial_status = "completed"
            child = {"AccountSid": self.account_sid, "ApiVersion": "2010-04-01", "CallSid": child_sid,
                     "ParentCallSid": live["CallSid"], "From": verb.get("callerId") or self.line_number,
                     "To": phone, "Direction": "outbound-dial", "CallStatus": "in-progress"}
            screen_url = number.get("url")
            bridged = True if screen_url is None else self._follow_staff_leg(result, behaviour, child, screen_url)
            leg_seconds = options.conversation_seconds if bridged else 10
            result.seconds += leg_seconds + 5
            if bridged:
                result.answered_by = phone
                if options.during_conversation is not None:
                    options.during_conversation()
        action = verb.get("action")
        if action is None:
            return options.hang_up_while_ringing, None
        params = {**live, "CallStatus": "completed" if options.hang_up_while_ringing else "in-progress",
                  "DialCallStatus": dial_status, "DialCallSid": child_sid, "DialCallDuration": str(leg_seconds),
                  "DialBridged": "true" if bridged else "false"}
        document = self._twiml(result, action, params)
        return options.hang_up_while_ringing, document

    def _follow_staff_leg(self, result: CallResult, behaviour: str, child: dict[str, str], url: str) -> bool:
        """Run the screening document on the staff phone; True when it ends in a bridge."""
        digits = {"accept": "1", "decline": "9"}.get(behaviour)
        verbs, index = list(self._twiml(result, url, child)), 0
        while index < len(verbs):
            verb = verbs[index]
            index += 1
            if verb.tag == "Say":
                result.staff_heard.append(_text(verb))
            elif verb.tag == "Gather":
                result.staff_heard.extend(_text(say) for say in verb if say.tag == "Say")
                if digits:
                    pressed, digits = digits, None
                    verbs, index = list(self._twiml(result, verb.get("action") or "", {**child, "Digits": pressed})), 0
            elif verb.tag == "Redirect":
                verbs, index = list(self._twiml(result, _text(verb), child)), 0
            elif verb.tag in ("Hangup", "Reject"):
                return False
            elif verb.tag in ("Pause", "Play"):
                continue
            else:
                raise SimulatorError(f"<{verb.tag}> is not allowed in a <Number url> document")
        return True  # the document ended: Twilio bridges the staff leg to the caller

    def _record(self, result: CallResult, options: _Options, live: dict[str, str],
                verb: ElementTree.Element) -> tuple[bool, ElementTree.Element | None]:
        seconds = options.leave_message_seconds or 0
        if seconds <= 0:
            # Silence: nothing is recorded. Twilio moves on, unless the caller hangs up.
            result.seconds += 5
            return options.hang_up_during_record, None
        result.recorded = True
        result.seconds += seconds
        recording_sid = result.recording_sid = _new_sid("RE")
        recording = {"RecordingSid": recording_sid, "RecordingDuration": str(seconds),
                     "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{self.account_sid}"
                                     f"/Recordings/{recording_sid}"}
        hung_up = options.hang_up_during_record
        action_params = {**live, **recording, "CallStatus": "completed" if hung_up else "in-progress",
                         "Digits": "hangup" if hung_up else "#"}
        status_params = {"AccountSid": self.account_sid, "CallSid": live["CallSid"], **recording,
                         "RecordingStatus": "completed", "RecordingChannels": "1", "RecordingSource": "RecordVerb"}
        status_url, action = verb.get("recordingStatusCallback"), verb.get("action")
        document = None
        if status_url and options.recording_callback_first:
            self._twiml(result, status_url, status_params)
        if action:
            document = self._twiml(result, action, action_params)
        if status_url and not options.recording_callback_first:
            self._twiml(result, status_url, status_params)
        return hung_up, document

    # --- the wait queue ---------------------------------------------------------------------------

    def _queue_of(self, waiting: _Waiting) -> list[_Waiting]:
        return self.queues[_text(waiting.verb) or "default"]

    def _wait(self, waiting: _Waiting) -> tuple[str, ElementTree.Element | None]:
        """Wait URL rounds until the caller leaves ("left", the action's document), hangs up
        ("hung_up"), or is parked ("parked")."""
        result, options, verb = waiting.result, waiting.options, waiting.verb
        live = {**waiting.base, "CallStatus": "in-progress"}
        while True:
            round_number = len(result.queue_positions) + 1
            if round_number > MAX_WAIT_ROUNDS:
                raise SimulatorError(f"waited more than {MAX_WAIT_ROUNDS} rounds in the queue: a loop?")
            queue = self._queue_of(waiting)
            if options.in_queue == "hang-up" and round_number > options.queue_rounds:
                return "hung_up", self._dequeued(waiting, "hangup", status="completed")
            position = queue.index(waiting) + 1
            result.queue_positions.append(position)
            params = {**live, "QueueSid": waiting.queue_sid, "QueuePosition": str(position),
                      "QueueTime": str(result.queue_seconds), "AvgQueueTime": str(result.queue_seconds),
                      "CurrentQueueSize": str(len(queue)), "MaxQueueSize": "100"}
            press = options.in_queue == "press-1" and round_number >= options.queue_rounds
            if self._wait_round(result, verb.get("waitUrl") or "", params, press):
                return "left", self._dequeued(waiting, "leave")
            if options.park and round_number >= options.queue_rounds:
                return "parked", None

    def _wait_round(self, result: CallResult, url: str, params: dict[str, str], press: bool) -> bool:
        """One wait URL document; True when it ends in <Leave>."""
        verbs, index = list(self._twiml(result, url, params)), 0
        while index < len(verbs):
            verb = verbs[index]
            index += 1
            if verb.tag == "Say":
                result.heard.append(_text(verb))
                result.seconds += 4
                result.queue_seconds += 4
            elif verb.tag == "Gather":
                result.heard.extend(_text(say) for say in verb if say.tag == "Say")
                spoken = 4 * sum(1 for say in verb if say.tag == "Say")
                result.seconds += spoken
                result.queue_seconds += spoken
                result.keys.append((len(result.heard), "1" if press else None))
                if press:
                    verbs, index = list(self._twiml(result, verb.get("action") or "", {**params, "Digits": "1"})), 0
                    press = False
                else:
                    result.seconds += int(verb.get("timeout") or 5)
                    result.queue_seconds += int(verb.get("timeout") or 5)
            elif verb.tag == "Pause":
                result.seconds += int(verb.get("length") or 1)
                result.queue_seconds += int(verb.get("length") or 1)
            elif verb.tag == "Redirect":
                verbs, index = list(self._twiml(result, _text(verb), params)), 0
            elif verb.tag == "Leave":
                return True
            elif verb.tag == "Play":
                continue
            else:
                raise SimulatorError(f"<{verb.tag}> is not allowed in a wait URL document")
        return False

    def _dequeued(self, waiting: _Waiting, queue_result: str, *, status: str = "in-progress",
                  ) -> ElementTree.Element | None:
        """The caller left the queue: the <Enqueue> action hears why (its document, or None)."""
        queue = self._queue_of(waiting)
        if waiting in queue:
            queue.remove(waiting)
        waiting.result.queue_result = queue_result
        action = waiting.verb.get("action")
        if not action:
            return None
        params = {**waiting.base, "CallStatus": status, "QueueResult": queue_result, "QueueSid": waiting.queue_sid,
                  "QueueTime": str(waiting.result.queue_seconds)}
        return self._twiml(waiting.result, action, params)

    def wait_more(self, result: CallResult, rounds: int = 1) -> CallResult:
        """A parked caller waits ``rounds`` more rounds (then stays parked, or finishes the call
        when they leave the queue or hang up)."""
        waiting = self._parked(result)
        waiting.options.queue_rounds = len(result.queue_positions) + rounds
        self._continue(waiting, *self._wait(waiting))
        return result

    def hang_up(self, result: CallResult) -> CallResult:
        """A parked caller hangs up while waiting: the Enqueue action, then the status callback."""
        waiting = self._parked(result)
        self._dequeued(waiting, "hangup", status="completed")
        self._finish(result, waiting.base)
        return result

    def _parked(self, result: CallResult) -> _Waiting:
        for queue in self.queues.values():
            for waiting in queue:
                if waiting.result is result:
                    return waiting
        raise SimulatorError(f"call {result.call_sid} is not waiting in any queue")

    def _continue(self, waiting: _Waiting, state: str, document: ElementTree.Element | None) -> None:
        """After the queue: follow the Enqueue action's document and end the call."""
        if state == "parked":
            return
        if state == "left" and document is not None:
            if self._follow_caller(waiting.result, waiting.options, waiting.base, document) == "parked":
                return
        self._finish(waiting.result, waiting.base)

    def answer(self, placed: Mapping, *, behaviour: str = "accept", conversation_seconds: int = 60,
               during_conversation: Callable[[], object] | None = None) -> AnsweredCall:
        """A staff phone answers a call the line placed (FakeTwilio's call resource, with the
        ``request`` it was created with): its TwiML is followed, <Dial><Queue> bridges the caller
        at the front of that queue, and the status callback reports the end."""
        request = placed["request"]
        answered = AnsweredCall(call_sid=placed["sid"])
        leg = {"AccountSid": self.account_sid, "ApiVersion": "2010-04-01", "CallSid": placed["sid"],
               "From": request.get("From", self.line_number), "To": request.get("To", ""),
               "Direction": "outbound-api", "CallStatus": "in-progress"}
        StaffPhone(request.get("To", ""), behaviour)  # checks the behaviour
        status, seconds = "completed", 10
        if behaviour in ("no-answer", "busy"):
            status, seconds = behaviour, 0
        else:
            digits = {"accept": "1", "decline": "9"}.get(behaviour)
            scratch = CallResult(call_sid=placed["sid"])
            verbs, index = list(self._twiml(scratch, request["Url"], leg)), 0
            while index < len(verbs):
                verb = verbs[index]
                index += 1
                if verb.tag == "Say":
                    answered.heard.append(_text(verb))
                elif verb.tag == "Gather":
                    answered.heard.extend(_text(say) for say in verb if say.tag == "Say")
                    if digits:
                        pressed, digits = digits, None
                        verbs, index = list(self._twiml(scratch, verb.get("action") or "", {**leg, "Digits": pressed})), 0
                elif verb.tag == "Dial":
                    next_document = self._dial_queue(answered, scratch, leg, verb, conversation_seconds,
                                                     during_conversation)
                    seconds += conversation_seconds
                    verbs, index = (list(next_document), 0) if next_document is not None else ([], 0)
                elif verb.tag in ("Hangup", "Reject"):
                    break
                elif verb.tag in ("Pause", "Play", "Redirect"):
                    if verb.tag == "Redirect":
                        verbs, index = list(self._twiml(scratch, _text(verb), leg)), 0
                else:
                    raise SimulatorError(f"the staff leg cannot follow <{verb.tag}>")
        callback = request.get("StatusCallback")
        if callback:
            self.deliver(callback, {**leg, "CallStatus": status, "CallDuration": str(seconds)})
        return answered

    def _dial_queue(self, answered: AnsweredCall, scratch: CallResult, leg: dict[str, str],
                    verb: ElementTree.Element, conversation_seconds: int,
                    during_conversation: Callable[[], object] | None) -> ElementTree.Element | None:
        queues = [noun for noun in verb if noun.tag == "Queue"]
        if len(queues) != 1:
            raise SimulatorError(f"expected one <Queue> in the staff leg's <Dial>, got {len(queues)}")
        queue = self.queues.get(_text(queues[0]) or "default", [])
        if not queue:
            params = {**leg, "DialCallStatus": "completed", "DialCallDuration": "0"}  # an empty queue
            return self._twiml(scratch, verb.get("action"), params) if verb.get("action") else None
        waiting = queue.pop(0)  # Twilio's queues are first in, first out
        caller = waiting.result
        bridge_url = queues[0].get("url")
        if bridge_url:
            params = {**waiting.base, "CallStatus": "in-progress", "QueueSid": waiting.queue_sid,
                      "QueueTime": str(caller.queue_seconds), "DequeingCallSid": leg["CallSid"]}
            for said in self._twiml(caller, bridge_url, params):
                if said.tag == "Say":
                    caller.heard.append(_text(said))
        caller.answered_by = leg["To"]
        answered.bridged_to = caller
        caller.seconds += conversation_seconds
        if during_conversation is not None:
            during_conversation()
        document = None
        if verb.get("action"):
            params = {**leg, "DialCallStatus": "completed", "DialCallSid": caller.call_sid,
                      "DialCallDuration": str(conversation_seconds), "QueueSid": waiting.queue_sid}
            document = self._twiml(scratch, verb.get("action"), params)
        self._continue(waiting, "left", self._dequeued(waiting, "bridged"))
        return document

    # --- plumbing --------------------------------------------------------------------------------

    def _path_of(self, url: str) -> str:
        if not url:
            raise SimulatorError("a TwiML verb has no URL to request")
        if not url.startswith(("http://", "https://")):
            url = urljoin(self.public_base_url + "/", url)
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _twiml(self, result: CallResult, url: str, params: Mapping[str, str]) -> ElementTree.Element:
        if len(result.documents) >= MAX_DOCUMENTS:
            raise SimulatorError(f"more than {MAX_DOCUMENTS} TwiML documents in one call: a loop?")
        response = self.deliver(url, params)
        if response.status_code != 200:
            raise SimulatorError(f"{url} answered {response.status_code}: {response.text[:300]}")
        if not response.is_xml:
            raise SimulatorError(f"{url} answered {response.content_type!r}, not TwiML")
        result.documents.append(response.text)
        try:
            root = ElementTree.fromstring(response.text)
        except ElementTree.ParseError as error:
            raise SimulatorError(f"{url} answered malformed XML: {error}") from None
        if root.tag != "Response":
            raise SimulatorError(f"{url} answered <{root.tag}>, not <Response>")
        return root


def _text(element: ElementTree.Element) -> str:
    return " ".join((element.text or "").split())
