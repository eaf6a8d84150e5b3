"""Call-back webhooks: the staff leg of CALL <ref>, bridged to the caller from the line's number.

    /callbacks-out/bridge         the staff phone answered: "callback 12, press 1"
    /callbacks-out/bridge-choice  1 pressed: "calling back the caller of 12", <Dial> the caller
    /callbacks-out/result         the <Dial> action: reached, or a failed attempt (the third closes it)
    /callbacks-out/status         the staff leg's status callback: its end and length

Each URL names the attempt (?callback=<id>&attempt=<n>). Every route is signed and answers
TwiML; when anything inside fails, the staff member hears an apology, never silence. The
decisions are helpline.callbacks.call_back'; the words helpline.telephony.bridge's.
"""
from __future__ import annotations

import logging
from functools import wraps

from flask import Blueprint, Response, request, url_for

from helpline.services import current_services
from helpline.callbacks import call_back as callback_calls
from helpline.callbacks.rules import MAX_CALLBACK_ATTEMPTS
from helpline.models import CallbackCall
from helpline.telephony import bridge
from helpline.telephony.twiml import VoiceResponse
from helpline.webhooks.security import twilio_signed

log = logging.getLogger(__name__)
blueprint = Blueprint("callbacks_out", __name__, url_prefix="/callbacks-out")


def _xml(response: VoiceResponse) -> Response:
    return Response(str(response), status=200, mimetype="text/xml")


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is None or -2**31 <= number < 2**31 else None  # what an INTEGER column holds


def _keys() -> tuple[int, int]:
    return _int(request.args.get("callback")) or 0, _int(request.args.get("attempt")) or 0


def _url(endpoint: str) -> str:
    callback_id, attempt = _keys()
    base = current_services().settings.public_base_url or request.host_url.rstrip("/")
    return base + url_for(endpoint, callback=callback_id, attempt=attempt)


def _default_language() -> str:
    return current_services().settings.caller_languages[0]


def _apologise_on_failure(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Exception:
            log.exception("call-back webhook %s failed; apologising to the staff member", request.full_path)
            return _xml(bridge.goodbye(_default_language(), "error"))

    return wrapper


def _with_attempt(decide):
    """Run ``decide(session, attempt, now)`` in one transaction; None when the attempt is unknown."""
    line = current_services()
    callback_id, number = _keys()
    with line.db.session() as session:
        attempt = callback_calls.find_attempt(session, callback_id, number)
        if attempt is None:
            log.warning("call-back webhook %s for an unknown attempt", request.full_path)
            return None
        return decide(session, attempt, line.clock.now())


@blueprint.post("/bridge")
@twilio_signed
@_apologise_on_failure
def bridge_answered():
    def decide(session, attempt: CallbackCall, now):
        step = callback_calls.staff_answered(session, attempt, now)
        if step == "screen":
            return bridge.screen(attempt.language, attempt.callback_id, action=_url("callbacks_out.bridge_choice"))
        return bridge.goodbye(attempt.language, step, ref=attempt.callback_id)

    return _xml(_with_attempt(decide) or bridge.goodbye(_default_language(), "ended"))


@blueprint.post("/bridge-choice")
@twilio_signed
@_apologise_on_failure
def bridge_choice():
    digits = request.form.get("Digits")
    settings = current_services().settings

    def decide(session, attempt: CallbackCall, now):
        step = callback_calls.staff_choice(session, attempt, digits, now)
        if step == "dial":
            return bridge.dial_caller(attempt.language, attempt.callback_id, caller=attempt.caller,
                                      line_number=settings.twilio_phone_number, action=_url("callbacks_out.result"))
        return bridge.goodbye(attempt.language, step, ref=attempt.callback_id)

    return _xml(_with_attempt(decide) or bridge.goodbye(_default_language(), "ended"))


@blueprint.post("/result")
@twilio_signed
@_apologise_on_failure
def result():
    form, settings = request.form, current_services().settings

    def decide(session, attempt: CallbackCall, now):
        outcome = callback_calls.dial_result(
            session, attempt, settings, dial_status=form.get("DialCallStatus", ""),
            dial_call_sid=form.get("DialCallSid"), duration=_int(form.get("DialCallDuration")), now=now)
        return bridge.after_dial(attempt.language, attempt.callback_id, reached=outcome.reached,
                                 counted=outcome.counted, attempts=outcome.attempts,
                                 max_attempts=MAX_CALLBACK_ATTEMPTS, closed_unreachable=outcome.closed_unreachable,
                                 caller_texted=outcome.caller_texted)

    return _xml(_with_attempt(decide) or bridge.goodbye(_default_language(), "ended"))


@blueprint.post("/status")
@twilio_signed
def staff_leg_status():
    form = request.form
    try:
        _with_attempt(lambda session, attempt, now: callback_calls.staff_leg_ended(
            session, attempt, form.get("CallStatus", ""), _int(form.get("CallDuration")), now))
    except Exception:
        log.exception("call-back status callback %s could not be stored", request.full_path)
    return _xml(bridge.empty())
