"""Voice webhooks of the wait queue: parse Twilio's request, let helpline.inbound.waiting decide,
render TwiML (helpline.telephony.queue_twiml). Signed (403 otherwise); always TwiML.

The caller's leg:
    /voice/queue/wait          the <Enqueue> waitUrl: their place, or <Leave> once the wait is over
    /voice/queue/key           a key at the wait prompt: 1 leaves the queue for a message
    /voice/queue/result        the <Enqueue> action: bridged (hang up), or left (take a message)
    /voice/queue/bridge        the <Queue url>: this caller is being put through to a staff member
The free staff member's leg (placed by helpline.queue.waiting_jobs):
    /voice/queue/offer         answered: "a caller is waiting, press 1"
    /voice/queue/offer-choice  1 takes the caller who has waited longest (<Dial><Queue>)
    /voice/queue/offer-result  the <Dial> action: the conversation is over
    /voice/queue/offer-status  the staff leg's status callback
"""
from __future__ import annotations

import logging

from flask import Blueprint, request
from werkzeug.exceptions import HTTPException

from helpline import inbound as callflow
from helpline.inbound import waiting
from helpline.routes import path
from helpline.services import current_services
from helpline.telephony import queue_twiml, twiml
from helpline.webhooks.security import twilio_signed
from helpline.webhooks.twiml_response import Fallbacks, to_int, url, xml
from helpline.webhooks.voice import call_params, default_prompts, prompts_in, render, take_message_anyway

log = logging.getLogger(__name__)
blueprint = Blueprint("voice_queue", __name__)

fallback = Fallbacks("queue webhook", take_message_anyway, last_resort=twiml.STATIC_APOLOGY)


@blueprint.errorhandler(Exception)
def _internal_error(error: Exception):
    if isinstance(error, HTTPException):
        return error
    log.exception("queue webhook %s failed outside its view", request.path, exc_info=error)
    return fallback.response()


def _in_transaction(decide):
    return callflow.in_transaction(current_services(), decide)


# --- the caller's leg ----------------------------------------------------------------------------

@blueprint.post(path("voice_queue.wait"))
@twilio_signed
@fallback.on_failure(queue_twiml.leave)  # cannot tell their place: out of the queue, to a message
def wait():
    call, form = call_params(), request.form
    position, queue_time = to_int(form.get("QueuePosition")), to_int(form.get("QueueTime"))
    heard = _in_transaction(lambda ctx: waiting.wait_round(ctx, call, position=position, queue_time=queue_time))
    if heard.leave:
        return xml(queue_twiml.leave())
    return xml(queue_twiml.wait_round(prompts_in(heard.language), position=heard.position,
                                      action=url("voice_queue.key")))


@blueprint.post(path("voice_queue.key"))
@twilio_signed
@fallback.on_failure(queue_twiml.leave)
def key():
    call, digits = call_params(), request.form.get("Digits")
    leave = _in_transaction(lambda ctx: waiting.pressed_in_queue(ctx, call, digits))
    return xml(queue_twiml.leave() if leave else queue_twiml.keep_waiting())


@blueprint.post(path("voice_queue.result"))
@twilio_signed
@fallback.on_failure(take_message_anyway)
def result():
    call, form = call_params(), request.form
    queue_result, queue_time = form.get("QueueResult", ""), to_int(form.get("QueueTime"))
    step = _in_transaction(lambda ctx: waiting.after_queue(ctx, call, queue_result=queue_result,
                                                                        queue_time=queue_time))
    return xml(render(step))


@blueprint.post(path("voice_queue.bridge"))
@twilio_signed
@fallback.on_failure(twiml.empty)  # the bridge goes ahead; only the words are lost
def bridge():
    call, reference = call_params(), request.args.get("offer", "")
    queue_time = to_int(request.form.get("QueueTime"))
    language = _in_transaction(lambda ctx: waiting.offer_bridged(ctx, call, reference, queue_time=queue_time))
    return xml(queue_twiml.connecting(prompts_in(language)))


# --- the free staff member's leg ---------------------------------------------------------------------

@blueprint.post(path("voice_queue.offer"))
@twilio_signed
@fallback.on_failure(twiml.hangup)
def offer():
    reference = request.args.get("offer", "")
    wanted = _in_transaction(lambda ctx: waiting.offer_still_wanted(ctx, reference))
    if not wanted:
        return xml(queue_twiml.offer_gone(default_prompts()))
    return xml(queue_twiml.offer_screen(default_prompts(), action=url("voice_queue.offer_choice", offer=reference)))


@blueprint.post(path("voice_queue.offer_choice"))
@twilio_signed
@fallback.on_failure(twiml.hangup)
def offer_choice():
    reference = request.args.get("offer", "")
    if (request.form.get("Digits") or "").strip() != "1":
        return xml(twiml.hangup())  # the status callback lets them rest a moment
    wanted = _in_transaction(lambda ctx: waiting.offer_still_wanted(ctx, reference))
    if not wanted:
        return xml(queue_twiml.offer_gone(default_prompts()))
    settings = current_services().settings
    return xml(queue_twiml.take_from_queue(
        queue_name=waiting.QUEUE_NAME, bridge_url=url("voice_queue.bridge", offer=reference),
        action=url("voice_queue.offer_result", offer=reference), caller_id=settings.twilio_phone_number or None))


def _offer_over(talked: bool) -> None:
    reference = request.args.get("offer", "")
    _in_transaction(lambda ctx: waiting.offer_ended(ctx, reference, talked=talked))


@blueprint.post(path("voice_queue.offer_result"))
@twilio_signed
@fallback.on_failure(twiml.hangup)
def offer_result():
    form = request.form
    talked = form.get("DialCallStatus") in ("completed", "answered") or bool(to_int(form.get("DialCallDuration")))
    _offer_over(talked)
    return xml(twiml.hangup())


@blueprint.post(path("voice_queue.offer_status"))
@twilio_signed
@fallback.on_failure(twiml.empty)
def offer_status():
    if request.form.get("CallStatus") in callflow.TERMINAL_CALL_STATUSES:
        _offer_over(talked=False)
    return xml(twiml.empty())
