"""Voice webhooks: parse Twilio's request, let helpline.inbound decide, render TwiML.

Every route is signed (403 otherwise) and always answers TwiML (text/xml). When anything inside
fails, the route's fallback still answers something a caller can live with: an apology and a
<Record> of a message, never silence or Twilio's own error message.

    /voice/incoming          greeting, language menu or straight to routing   (on the number)
    /voice/language          the menu digit; then ring staff or take a message
    /voice/dial-result       a staff leg ended: answered, or the next one / a message
    /voice/screen            the staff leg picked up: "press 1 to take the call"
    /voice/screen-choice     1 bridges (recorded as accepted), anything else hangs up
    /voice/recorded          the <Record> action
    /voice/recording-status  the recording status callback (either order with /recorded)
    /voice/status            call status changes                               (on the number)
"""
from __future__ import annotations

import logging
from functools import lru_cache

from flask import Blueprint, request
from werkzeug.exceptions import HTTPException

from helpline import inbound as callflow
from helpline import phones
from helpline.routes import path
from helpline.services import current_services
from helpline.inbound import BlockedStep, CallParams, DialStep, MessageStep, QueueStep, Step
from helpline.inbound.waiting import QUEUE_NAME
from helpline.telephony import prompts, queue_twiml, twiml
from helpline.telephony.twiml import Twiml
from helpline.webhooks.security import twilio_signed
from helpline.webhooks.twiml_response import Fallbacks, to_int, url, xml

log = logging.getLogger(__name__)
blueprint = Blueprint("voice", __name__)


# --- helpers -------------------------------------------------------------------------------------

def _record_urls() -> twiml.RecordUrls:
    return twiml.RecordUrls(action=url("voice.recorded"), status_callback=url("voice.recording_status"))


def call_params() -> CallParams:
    form = request.form
    return CallParams(call_sid=form.get("CallSid", ""), from_value=form.get("From", ""), to=form.get("To", ""),
                      status=form.get("CallStatus", ""))


def default_prompts() -> prompts.Prompts:
    return prompts.for_language(current_services().settings.caller_languages[0])


def prompts_in(language: str) -> prompts.Prompts:
    return prompts.for_language(language, current_services().settings.caller_languages[0])


def render(step: Step, document: Twiml | None = None) -> Twiml:
    document = document if document is not None else twiml.empty()
    if isinstance(step, BlockedStep):
        return twiml.blocked_notice([prompts.for_language(code) for code in step.languages])
    settings = current_services().settings
    said = prompts_in(step.language)
    if isinstance(step, DialStep):
        number = step.attempt_number
        return twiml.dial(
            document, said, phone=step.phone, announce=number == 1,
            action=url("voice.dial_result", attempt=number),
            screen_url=url("voice.screen", call=step.call_sid, attempt=number, lang=step.language),
            timeout=settings.ring_timeout_seconds, caller_id=step.caller_id,
        )
    if isinstance(step, QueueStep):
        return queue_twiml.enqueue(document, said, queue_name=QUEUE_NAME, action=url("voice_queue.result"),
                                   wait_url=url("voice_queue.wait"))
    if isinstance(step, MessageStep):
        intro = twiml.spoken_message_intro(said, line_open=step.line_open, reason=step.reason,
                                           next_open_at=step.next_open_at, now=step.now)
        if step.withheld:
            return twiml.cannot_call_back(document, said, intro)
        return twiml.take_message(document, said, intro, urls=_record_urls(),
                                  max_length=settings.recording_max_seconds, line_open=step.line_open)
    return twiml.hangup(document)


# --- when something inside fails ---------------------------------------------------------------

def take_message_anyway() -> Twiml:
    if request.form.get("DialBridged", "").lower() == "true":
        return twiml.hangup()  # the caller has just talked to someone: no message after that
    withheld = phones.caller_id(request.form.get("From")) is None
    return twiml.apology(default_prompts(), withheld=withheld, urls=_record_urls(),
                         max_length=current_services().settings.recording_max_seconds)


fallback = Fallbacks("voice webhook", take_message_anyway, last_resort=twiml.STATIC_APOLOGY)


@blueprint.errorhandler(Exception)
def _internal_error(error: Exception):
    if isinstance(error, HTTPException):
        return error
    log.exception("voice webhook %s failed outside its view", request.path, exc_info=error)
    return fallback.response()


# --- the caller's leg ----------------------------------------------------------------------------

@blueprint.post(path("voice.incoming"))
@twilio_signed
@fallback.on_failure(take_message_anyway)
def incoming():
    params = call_params()
    language, step = callflow.in_transaction(current_services(), lambda ctx: callflow.answer_incoming(ctx, params))
    if isinstance(step, BlockedStep):
        return xml(render(step))  # no greeting: the notice alone
    if step is not None:
        return xml(render(step, twiml.greeting(prompts_in(language))))
    return xml(_greeting_and_menu(language, current_services().settings.caller_languages[1:], url("voice.language")))


@lru_cache(maxsize=16)
def _greeting_and_menu(language: str, offered: tuple[str, ...], action: str) -> str:
    """Every call's first answer on a line with a language menu: the same document for the same
    configuration and URL (the prompts are constants), so rendered once per process."""
    document = twiml.greeting(prompts_in(language))
    return str(twiml.language_menu(document, [prompts.for_language(code) for code in offered], action=action))


@blueprint.post(path("voice.language"))
@twilio_signed
@fallback.on_failure(take_message_anyway)
def language():
    params, digits = call_params(), request.form.get("Digits")
    step = callflow.in_transaction(current_services(), lambda ctx: callflow.choose_language(ctx, params, digits))
    return xml(render(step))


@blueprint.post(path("voice.dial_result"))
@twilio_signed
@fallback.on_failure(take_message_anyway)
def dial_result():
    params, form = call_params(), request.form
    attempt = to_int(request.args.get("attempt")) or 0
    dial_status = form.get("DialCallStatus", "")
    # Twilio says whether the legs were bridged; older requests without it only have the status.
    bridged_param = form.get("DialBridged")
    bridged = (bridged_param.lower() == "true") if bridged_param else dial_status in ("completed", "answered")
    step = callflow.in_transaction(current_services(), lambda ctx: callflow.dial_result(
        ctx, params, attempt, dial_status=dial_status, dial_sid=form.get("DialCallSid"),
        duration=to_int(form.get("DialCallDuration")), bridged=bridged))
    return xml(render(step))


# --- the staff leg -------------------------------------------------------------------------------

@blueprint.post(path("voice.screen"))
@twilio_signed
@fallback.on_failure(twiml.hangup)
def screen():
    call_sid = request.args.get("call") or request.form.get("ParentCallSid", "")
    action = url("voice.screen_choice", call=call_sid, attempt=request.args.get("attempt", ""))
    return xml(twiml.screen(default_prompts(), caller_language=request.args.get("lang"), action=action))


def _bridge_on_one() -> Twiml:
    # Storing the acceptance failed: a caller who reached a willing person is still connected.
    return twiml.empty() if request.form.get("Digits", "").strip() == "1" else twiml.hangup()


@blueprint.post(path("voice.screen_choice"))
@twilio_signed
@fallback.on_failure(_bridge_on_one)
def screen_choice():
    call_sid = request.args.get("call") or request.form.get("ParentCallSid", "")
    attempt, digits = to_int(request.args.get("attempt")) or 0, request.form.get("Digits")
    accepted = callflow.in_transaction(current_services(), lambda ctx: callflow.screen_choice(ctx, call_sid, attempt, digits))
    # An empty document ends the staff leg's TwiML, and Twilio bridges the two legs.
    return xml(twiml.empty() if accepted else twiml.hangup())


# --- messages and status -------------------------------------------------------------------------

def _recording(status: str) -> str | None:
    """Store the recording of this request; the caller's language, or None without a recording."""
    form, params = request.form, call_params()
    recording_sid = form.get("RecordingSid", "")
    if not recording_sid:
        return None
    return callflow.in_transaction(current_services(), lambda ctx: callflow.record_message(
        ctx, params, recording_sid=recording_sid, recording_url=form.get("RecordingUrl", ""),
        duration=to_int(form.get("RecordingDuration")), recording_status=status))


def _log_unstored_recording() -> None:
    # The one trace of a message we could not store: enough to fetch it from Twilio by hand.
    form = request.form
    log.error("RECORDING NOT STORED: %s %s of call %s from %s; fetch it from Twilio's Recordings",
              form.get("RecordingSid"), form.get("RecordingUrl"), form.get("CallSid"), form.get("From"))


def _thanks_anyway() -> Twiml:
    _log_unstored_recording()
    said = default_prompts()
    return twiml.goodbye(said, said.thanks_message)


def _empty_after_logging() -> Twiml:
    _log_unstored_recording()
    return twiml.empty()


@blueprint.post(path("voice.recorded"))
@twilio_signed
@fallback.on_failure(_thanks_anyway)
def recorded():
    # The action carries no RecordingStatus; the status callback fills it in.
    language = _recording(status="")
    said = prompts_in(language) if language else default_prompts()
    return xml(twiml.goodbye(said, said.thanks_message if language else said.thanks_call))


@blueprint.post(path("voice.recording_status"))
@twilio_signed
@fallback.on_failure(_empty_after_logging)
def recording_status():
    _recording(status=request.form.get("RecordingStatus", ""))
    return xml(twiml.empty())


@blueprint.post(path("voice.status"))
@twilio_signed
@fallback.on_failure(twiml.empty)
def status():
    params, duration = call_params(), to_int(request.form.get("CallDuration"))
    callflow.in_transaction(current_services(), lambda ctx: callflow.call_status(ctx, params, duration))
    return xml(twiml.empty())
