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

from flask import Blueprint, request

from helpline.services import current_services
from helpline.callbacks import call_back as callback_calls
from helpline.callbacks.rules import MAX_CALLBACK_ATTEMPTS
from helpline.models import CallbackCall
from helpline.routes import path
from helpline.telephony import bridge, twiml
from helpline.telephony.twiml import Twiml
from helpline.webhooks.security import twilio_signed
from helpline.webhooks.twiml_response import Fallbacks, to_int, url, xml

log = logging.getLogger(__name__)
blueprint = Blueprint("callbacks_out", __name__)


def _keys() -> tuple[int, int]:
    return to_int(request.args.get("callback")) or 0, to_int(request.args.get("attempt")) or 0


def _url(endpoint: str) -> str:
    """The next step of this very attempt."""
    callback_id, attempt = _keys()
    return url(endpoint, callback=callback_id, attempt=attempt)


def _default_language() -> str:
    return current_services().settings.caller_languages[0]


def _apology() -> Twiml:
    return bridge.goodbye(_default_language(), "error")


fallback = Fallbacks("call-back webhook", _apology)


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


@blueprint.post(path("callbacks_out.bridge_answered"))
@twilio_signed
@fallback.on_failure()
def bridge_answered():
    def decide(session, attempt: CallbackCall, now):
        step = callback_calls.staff_answered(session, attempt, now)
        if step == "screen":
            return bridge.screen(attempt.language, attempt.callback_id, action=_url("callbacks_out.bridge_choice"))
        return bridge.goodbye(attempt.language, step, ref=attempt.callback_id)

    return xml(_with_attempt(decide) or bridge.goodbye(_default_language(), "ended"))


@blueprint.post(path("callbacks_out.bridge_choice"))
@twilio_signed
@fallback.on_failure()
def bridge_choice():
    digits = request.form.get("Digits")
    settings = current_services().settings

    def decide(session, attempt: CallbackCall, now):
        step = callback_calls.staff_choice(session, attempt, digits, now)
        if step == "dial":
            return bridge.dial_caller(attempt.language, attempt.callback_id, caller=attempt.caller,
                                      line_number=settings.twilio_phone_number, action=_url("callbacks_out.result"))
        return bridge.goodbye(attempt.language, step, ref=attempt.callback_id)

    return xml(_with_attempt(decide) or bridge.goodbye(_default_language(), "ended"))


@blueprint.post(path("callbacks_out.result"))
@twilio_signed
@fallback.on_failure()
def result():
    form, settings = request.form, current_services().settings

    def decide(session, attempt: CallbackCall, now):
        outcome = callback_calls.dial_result(
            session, attempt, settings, dial_status=form.get("DialCallStatus", ""),
            dial_call_sid=form.get("DialCallSid"), duration=to_int(form.get("DialCallDuration")), now=now)
        return bridge.after_dial(attempt.language, attempt.callback_id, reached=outcome.reached,
                                 counted=outcome.counted, attempts=outcome.attempts,
                                 max_attempts=MAX_CALLBACK_ATTEMPTS, closed_unreachable=outcome.closed_unreachable,
                                 caller_texted=outcome.caller_texted)

    return xml(_with_attempt(decide) or bridge.goodbye(_default_language(), "ended"))


@blueprint.post(path("callbacks_out.staff_leg_status"))
@twilio_signed
def staff_leg_status():
    form = request.form
    try:
        _with_attempt(lambda session, attempt, now: callback_calls.staff_leg_ended(
            session, attempt, form.get("CallStatus", ""), to_int(form.get("CallDuration")), now))
    except Exception:
        log.exception("call-back status callback %s could not be stored", request.full_path)
    return xml(twiml.empty())
