"""FakeTwilio: a local api.twilio.com, in a thread, for tests and the demo.

It speaks HTTP like Twilio (basic auth, the AccountSid in the path, form-encoded requests,
Twilio-shaped JSON and errors), remembers everything it was sent, and fails on purpose when
told to. Point the app at it with TWILIO_API_BASE_URL=fake.base_url.
"""
from __future__ import annotations

import copy
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from helpline.devtools.fake_twilio import resources as res
from helpline.devtools.fake_twilio.callbacks import StatusCallbackSender
from helpline.devtools.fake_twilio.failures import Failure, FailureRules

log = logging.getLogger(__name__)

_ACCOUNT = r"/2010-04-01/Accounts/(?P<account>[^/]+)"
_ROUTES = [
    (re.compile(_ACCOUNT + r"/Messages\.json$"), "messages"),
    (re.compile(_ACCOUNT + r"/Messages/(?P<sid>[^/]+)\.json$"), "message"),
    (re.compile(_ACCOUNT + r"/Calls\.json$"), "calls"),
    (re.compile(_ACCOUNT + r"/Calls/(?P<sid>[^/]+)\.json$"), "call"),
    (re.compile(_ACCOUNT + r"/Recordings/(?P<sid>RE[0-9a-fA-F]{32})(?P<ext>\.json|\.mp3|\.wav)?$"), "recording"),
    (re.compile(_ACCOUNT + r"/Recordings\.json$"), "recordings"),
]


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request (errors are still logged)."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    form_keys: tuple[str, ...]  # every form field name as sent, repeats included
    username: str | None
    authorized: bool
    at: datetime


@dataclass
class _Recording:
    sid: str
    call_sid: str | None
    duration: int
    audio: bytes | None
    created: datetime
    deleted: bool = False


@dataclass
class _State:
    requests: list[ReceivedRequest] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)  # newest last
    calls: list[dict] = field(default_factory=list)
    recordings: dict[str, _Recording] = field(default_factory=dict)


class FakeTwilio:
    def __init__(self, account_sid: str, auth_token: str, *, host: str = "127.0.0.1", port: int = 0,
                 clock: Callable[[], datetime] | None = None, phone_numbers: Iterable[str] = (),
                 send_status_callbacks: bool = False, callback_delay: float = 0.05,
                 hang_seconds: float = 5.0, latency: float = 0.0, strict_recordings: bool = False) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.phone_numbers = frozenset(phone_numbers)  # empty: any From is accepted
        self.hang_seconds = hang_seconds  # how long a "timeout" failure keeps the client waiting
        self.latency = latency  # seconds each create takes to answer (Twilio's own is ~0.1-0.3 s)
        self.strict_recordings = strict_recordings  # False: any RE sid not deleted has audio
        self.failures = FailureRules()
        self._lock = threading.RLock()
        self._state = _State()
        self._stopping = threading.Event()
        self.callbacks = StatusCallbackSender(auth_token, self._stopping, delay=callback_delay,
                                              enabled=send_status_callbacks, on_status=self._set_message_status)
        self._server = make_server(host, port, self._wsgi, threaded=True, request_handler=_QuietHandler)
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeTwilio":
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-twilio", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes "timeout" handlers and callback senders
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FakeTwilio":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- failure injection (see failures.py) ----------------------------------------------------

    def fail_next(self, kind: str | int, *, times: int | None = 1, to: str | None = None,
                  endpoint: str = "messages") -> Failure:
        """The next ``times`` create requests (None: all) to ``endpoint`` ("messages" or "calls"),
        optionally only those to ``to``, fail as ``kind``: "500", "503", "429", "401", "21610",
        "21211", "21614" or "timeout" (stored, then answered after hang_seconds)."""
        return self.failures.add(Failure(str(kind), times, to, endpoint))

    def fail_delivery(self, error_code: int = 30003, *, times: int | None = 1, to: str | None = None) -> Failure:
        """Messages accepted, but their status callbacks end in undelivered with ``error_code``."""
        return self.failures.add(Failure(f"undelivered:{error_code}", times, to, "delivery"))

    def clear_failures(self) -> None:
        self.failures.clear()

    # --- what it received -----------------------------------------------------------------------

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._lock:
            return list(self._state.requests)

    @property
    def messages(self) -> list[dict]:
        """Every message Twilio 'has', oldest first (as JSON resources)."""
        with self._lock:
            return copy.deepcopy(self._state.messages)

    def messages_to(self, number: str) -> list[dict]:
        return [message for message in self.messages if message["to"] == number]

    @property
    def calls(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self._state.calls)

    def placed_calls(self, to: str | None = None) -> list[dict]:
        """The calls the line placed (POST Calls.json), oldest first, each with the ``request``
        it was created with: hand one to the call client's ``answer`` to pick it up."""
        return [call for call in self.calls if "request" in call and (to is None or call["to"] == to)]

    def set_call_status(self, sid: str, status: str) -> None:
        """What GET Calls/{sid}.json answers from now on ("in-progress", "completed", ...)."""
        with self._lock:
            for call in self._state.calls:
                if call["sid"] == sid:
                    call["status"] = status

    def requests_to(self, method: str, suffix: str) -> list[ReceivedRequest]:
        """e.g. requests_to("POST", "/Messages.json")."""
        return [r for r in self.requests if r.method == method and r.path.endswith(suffix)]

    def add_recording(self, sid: str | None = None, *, call_sid: str | None = None, duration: int = 5,
                      audio: bytes | None = None) -> str:
        sid = sid or res.new_sid("RE")
        with self._lock:
            self._state.recordings[sid] = _Recording(sid, call_sid, duration, audio, self.clock())
        return sid

    def add_inbound_call(self, sid: str, *, from_: str, to: str, status: str = "completed") -> None:
        """A call Twilio received for us (so that GET Calls/{sid}.json knows its caller)."""
        call = res.call_json(self.account_sid, sid, to=to, from_=from_, status=status, created=self.clock())
        with self._lock:
            self._state.calls.append({**call, "direction": "inbound"})

    def recording_deleted(self, sid: str) -> bool:
        with self._lock:
            recording = self._state.recordings.get(sid)
            return bool(recording and recording.deleted)

    # --- HTTP -----------------------------------------------------------------------------------

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        return self._handle(request)(environ, start_response)

    def _handle(self, request: Request) -> Response:
        auth = request.authorization
        username = auth.username if auth else None
        authorized = bool(auth and auth.type == "basic" and auth.username == self.account_sid
                          and auth.password == self.auth_token)
        with self._lock:
            self._state.requests.append(ReceivedRequest(
                method=request.method, path=request.path, query=request.args.to_dict(flat=True),
                form=request.form.to_dict(flat=True), form_keys=tuple(key for key, _ in request.form.items(multi=True)),
                username=username, authorized=authorized, at=self.clock()))
        if not authorized:
            response = _json(*res.error_body(20003))
            response.headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
            return response
        for pattern, name in _ROUTES:
            match = pattern.match(request.path)
            if match:
                if match["account"] != self.account_sid:
                    return _json(*res.error_body(20404, f"The requested resource {request.path} was not found"))
                handler = getattr(self, f"_{name}_{request.method.lower()}", None)
                if handler is None:
                    return _json(405, {"code": 20004, "message": "Method not allowed", "status": 405,
                                       "more_info": "https://www.twilio.com/docs/errors/20004"})
                return handler(request, **{k: v for k, v in match.groupdict().items() if k != "account"})
        return _json(*res.error_body(20404, f"The requested resource {request.path} was not found"))

    def _messages_post(self, request: Request) -> Response:
        form = request.form
        to, from_, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        problem = (21604 if not to else 21603 if not (from_ or form.get("MessagingServiceSid"))
                   else 21602 if not (body or form.get("MediaUrl") or form.get("ContentSid"))
                   else 21211 if not res.E164.match(to)
                   else 21606 if self.phone_numbers and from_ not in self.phone_numbers
                   else 21617 if len(body) > 1600 else None)
        if problem:
            return _json(*res.error_body(problem))
        failure = self.failures.take("messages", to)
        if failure is not None and failure.kind != "timeout":
            return _json(*res.error_body(failure.error_code))
        if self.latency:
            self._stopping.wait(self.latency)
        now = self.clock()
        message = res.message_json(self.account_sid, res.new_sid("SM"), to=to, from_=from_, body=body,
                                   status="queued", created=now, updated=now, sent=now)
        with self._lock:
            self._state.messages.append(message)
            answer = copy.deepcopy(message)
        callback_url = form.get("StatusCallback")
        if callback_url:
            delivery = self.failures.take("delivery", to)
            self.callbacks.schedule(callback_url, message, delivery.delivery_error if delivery else None)
        if failure is not None:  # "timeout": Twilio has it, but the answer never arrives in time
            self._stopping.wait(self.hang_seconds)
        return _json(201, answer)

    def _messages_get(self, request: Request) -> Response:
        args = request.args
        with self._lock:
            found = [m for m in reversed(self._state.messages)
                     if (not args.get("To") or m["to"] == args["To"])
                     and (not args.get("From") or m["from"] == args["From"])
                     and all(res.matches_date(_sent(m), args[key], op)
                             for key, op in (("DateSent", "="), ("DateSent<", "<"), ("DateSent>", ">"))
                             if args.get(key))]
            found = copy.deepcopy(found)
        page, size = int(args.get("Page", 0)), min(int(args.get("PageSize", 50)), 1000)
        chunk = found[page * size:(page + 1) * size]
        base = request.path
        query = "&".join(f"{k}={v}" for k, v in args.items() if k not in ("Page", "PageSize", "PageToken"))
        uri = lambda n: f"{base}?{query}{'&' if query else ''}PageSize={size}&Page={n}"  # noqa: E731
        return _json(200, {
            "messages": chunk, "page": page, "page_size": size, "start": page * size,
            "end": page * size + max(len(chunk) - 1, 0), "uri": uri(page), "first_page_uri": uri(0),
            "previous_page_uri": uri(page - 1) if page > 0 else None,
            "next_page_uri": uri(page + 1) if (page + 1) * size < len(found) else None,
        })

    def _message_get(self, request: Request, sid: str) -> Response:
        with self._lock:
            for message in self._state.messages:
                if message["sid"] == sid:
                    return _json(200, copy.deepcopy(message))
        return _json(*res.error_body(20404, f"The requested resource {request.path} was not found"))

    def _calls_post(self, request: Request) -> Response:
        form = request.form
        to, from_ = form.get("To", ""), form.get("From", "")
        problem = (21201 if not to else 21213 if not from_
                   else 21205 if not (form.get("Url") or form.get("Twiml") or form.get("ApplicationSid"))
                   else None)
        if problem:
            return _json(*res.error_body(problem))
        failure = self.failures.take("calls", to)
        if failure is not None and failure.kind != "timeout":
            return _json(*res.error_body(failure.error_code))
        call = res.call_json(self.account_sid, res.new_sid("CA"), to=to, from_=from_, status="queued",
                             created=self.clock())
        with self._lock:
            self._state.calls.append({**call, "request": form.to_dict(flat=True)})
        if failure is not None:
            self._stopping.wait(self.hang_seconds)
        return _json(201, call)

    def _calls_get(self, request: Request) -> Response:
        """The account's calls, newest first; To / From / Status filter as Twilio's. Each call the
        line placed also carries ``request``, the form it was created with (a fake-only field,
        so that a simulated phone can follow its Url: see the call client's ``answer``)."""
        args = request.args
        with self._lock:
            found = [copy.deepcopy({k: v for k, v in call.items() if k != "updates"})
                     for call in reversed(self._state.calls)
                     if (not args.get("To") or call["to"] == args["To"])
                     and (not args.get("From") or call["from"] == args["From"])
                     and (not args.get("Status") or call["status"] == args["Status"])]
        uri = request.full_path
        return _json(200, {"calls": found, "page": 0, "page_size": len(found) or 50, "start": 0,
                           "end": max(len(found) - 1, 0), "uri": uri, "first_page_uri": uri,
                           "previous_page_uri": None, "next_page_uri": None})

    def _call_get(self, request: Request, sid: str) -> Response:
        with self._lock:
            for call in self._state.calls:
                if call["sid"] == sid:
                    return _json(200, {k: v for k, v in call.items() if k not in ("request", "updates")})
        return _json(*res.error_body(20404, f"The requested resource {request.path} was not found"))

    def _call_post(self, request: Request, sid: str) -> Response:
        """Update a call (Status=completed, or new Url/Twiml): recorded, status updated."""
        with self._lock:
            for call in self._state.calls:
                if call["sid"] == sid:
                    call.setdefault("updates", []).append(request.form.to_dict(flat=True))
                    if request.form.get("Status") in ("completed", "canceled"):
                        call["status"] = request.form["Status"]
                    return _json(200, {k: v for k, v in call.items() if k not in ("request", "updates")})
        return _json(*res.error_body(20404, f"The requested resource {request.path} was not found"))

    def _recording_get(self, request: Request, sid: str, ext: str | None) -> Response:
        with self._lock:
            recording = self._state.recordings.get(sid)
            if recording is None and not self.strict_recordings:
                recording = self._state.recordings[sid] = _Recording(sid, None, 5, None, self.clock())
        if recording is None or recording.deleted:
            return _json(*res.error_body(20404, f"The requested resource {request.path} was not found"))
        if ext == ".json":
            return _json(200, res.recording_json(self.account_sid, sid, call_sid=recording.call_sid,
                                                 duration=recording.duration, created=recording.created))
        if ext == ".mp3":
            return Response(recording.audio or res.silent_mp3(), status=200, mimetype="audio/mpeg")
        # Twilio serves WAV when no extension is given.
        return Response(recording.audio or res.silent_wav(), status=200, mimetype="audio/x-wav")

    def _recordings_get(self, request: Request) -> Response:
        """The account's recordings, newest first; DateCreated>= / DateCreated> filter as Twilio's."""
        args = request.args
        with self._lock:
            found = [r for r in sorted(self._state.recordings.values(), key=lambda r: r.created, reverse=True)
                     if not r.deleted
                     and all(res.matches_date(r.created, args[key], op)
                             for key, op in (("DateCreated", "="), ("DateCreated<", "<"), ("DateCreated>", ">"))
                             if args.get(key))]
            rows = [res.recording_json(self.account_sid, r.sid, call_sid=r.call_sid, duration=r.duration,
                                       created=r.created) for r in found]
        uri = request.full_path
        return _json(200, {"recordings": rows, "page": 0, "page_size": len(rows) or 50, "start": 0,
                           "end": max(len(rows) - 1, 0), "uri": uri, "first_page_uri": uri,
                           "previous_page_uri": None, "next_page_uri": None})

    def _recording_delete(self, request: Request, sid: str, ext: str | None) -> Response:
        with self._lock:
            recording = self._state.recordings.get(sid)
            if recording is None and not self.strict_recordings:
                recording = self._state.recordings[sid] = _Recording(sid, None, 5, None, self.clock())
            if recording is None or recording.deleted:
                return _json(*res.error_body(20404, f"The requested resource {request.path} was not found"))
            recording.deleted = True
        return Response(status=204)

    def _set_message_status(self, sid: str, status: str, error_code: int | None) -> None:
        with self._lock:
            for message in self._state.messages:
                if message["sid"] == sid:
                    message["status"], message["error_code"] = status, error_code
                    message["date_updated"] = res.rfc2822(self.clock())


def _sent(message: dict) -> datetime | None:
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(message["date_sent"]) if message.get("date_sent") else None


def _json(status: int, payload: dict) -> Response:
    import json

    return Response(json.dumps(payload), status=status, mimetype="application/json")
