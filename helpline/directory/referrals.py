"""The one SMS a referred caller gets: the service's name, phone, web address and opening hours,
in the caller's language.

It is planned in the closing transaction (helpline.callbacks.actions.close_callback), through the
outbox under one dedupe key per callback, so a callback is never referred by SMS twice. It is
never sent to a withheld, masked or fixed-line number (helpline.callbacks.rules.caller_can_get_sms)
nor to a number that said STOP (checked here and again by the outbox when it sends). The
callback's history says whether it went, and why not.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.callbacks.assignment import event
from helpline.callbacks.rules import caller_can_get_sms
from helpline.directory.hours import format_hours
from helpline.directory.store import weekly_of
from helpline.models import CallbackRequest, OutboundSms, Service
from helpline.sms.directory_texts import ServiceCard, referral_to_caller
from helpline.sms.outbox import is_opted_out, queue_sms
from helpline.texts import pick_language

log = logging.getLogger(__name__)

PURPOSE = "referral"
TEXTED_EVENT = "referral_texted"
NOT_TEXTED_EVENT = "referral_not_texted"


def dedupe_key(callback_id: int) -> str:
    return f"referral-{callback_id}"


def card(service: Service, language: str | None) -> ServiceCard:
    language = pick_language(language)
    return ServiceCard(name=service.name_in(language), phone=service.phone, url=service.url,
                       hours=format_hours(weekly_of(service), language))


def text_service_details(session: Session, callback: CallbackRequest, service: Service, now: datetime) -> bool:
    """Plan the referral SMS to ``callback``'s caller; True when it was (or had been) planned."""
    reason = None
    if not caller_can_get_sms(callback.caller):
        reason = "the number cannot get SMS (withheld, masked or not a mobile)"
    elif is_opted_out(session, callback.caller):
        reason = "the caller said STOP"
    if reason is None:
        body = referral_to_caller(card(service, callback.language), callback.language)
        sms = queue_sms(session, to=callback.caller, body=body, purpose=PURPOSE, dedupe_key=dedupe_key(callback.id),
                        now=now, callback_id=callback.id)
        if sms is None:
            reason = "the number cannot get SMS"
    if reason is not None:
        event(session, callback.id, NOT_TEXTED_EVENT, now, service_id=service.id, reason=reason)
        log.info("callback #%s referred to %s; no SMS to the caller: %s", callback.id, service.code, reason)
        return False
    event(session, callback.id, TEXTED_EVENT, now, service_id=service.id)
    return True


def was_texted(session: Session, callback_id: int) -> bool:
    return session.scalar(select(OutboundSms.id).where(OutboundSms.dedupe_key == dedupe_key(callback_id))) is not None
