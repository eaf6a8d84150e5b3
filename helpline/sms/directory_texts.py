"""The SMS of the map of help (tiekartta), in Finnish (default), Swedish and English: the
service's details to a referred caller, the wrap-up question after a live call, and the replies
to WRAP and to DONE ... REF.

Pure, like helpline.sms.texts: plain facts in, the body out, made GSM-7 safe (ä ö å stay; a
typographic quote or dash becomes a plain one). The templates are the catalogue's
(helpline.texts.directory_table); times are written by helpline.texts.times. A service's name and
hours come in as plain facts (:class:`ServiceCard`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence
from zoneinfo import ZoneInfo

from helpline import phones
from helpline.texts import finish_sms, pick_language, render
from helpline.texts.times import call_time

_ECHO_MAX = 20


def _text(key: str, language: str | None, **fields: object) -> str:
    return render("sms", key, pick_language(language), **fields)


def _final(text: str) -> str:
    return finish_sms(text)


@dataclass(frozen=True)
class ServiceCard:
    """What a referred caller is told of a service. ``hours`` are already in words in the
    caller's language ('ma-pe 9-15'; '24/7' round the clock; '' when not known)."""

    name: str
    phone: str | None = None  # E.164
    url: str | None = None
    hours: str = ""


def _short_url(url: str) -> str:
    """'https://www.example.fi/' -> 'www.example.fi': what a phone turns into a link anyway."""
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            url = url[len(prefix):]
    return url.rstrip("/")


def referral_to_caller(card: ServiceCard, language: str | None) -> str:
    """The one SMS a referred caller gets: the service's name, phone, web address and hours."""
    phone = _text("referral_phone", language, number=phones.readable(card.phone)) if card.phone else ""
    url = _text("referral_url", language, url=_short_url(card.url)) if card.url else ""
    hours = card.hours if card.hours != "24/7" else _text("always_open", language)
    opening = _text("referral_hours", language, week=hours) if hours else ""
    if url and opening:
        url += "."
    return _final(_text("referral", language, service=card.name, service_phone=phone, service_url=url,
                        service_hours=opening))


def wrap_up_question(answered_at: datetime, tz: ZoneInfo, language: str | None, *,
                     conversation_seconds: int | None = None) -> str:
    """To whoever answered a live call, once it ended: how did it end?"""
    length = _text("length", language, minutes=max(1, round(conversation_seconds / 60))) \
        if conversation_seconds else ""
    return _final(_text("wrap_up_question", language, when=call_time(answered_at, tz, pick_language(language)),
                        length=length))


def wrapped_up(answered_at: datetime, tz: ZoneInfo, outcome: str, language: str | None, *,
               service: str | None = None, topic: str | None = None, still_open: int = 0) -> str:
    """The reply to WRAP: what was recorded for which call, and how many are still to do."""
    language = pick_language(language)
    service_words = _text("to_service", language, service=service) if service else ""
    topic_words = _text("with_topic", language, topic=topic[:40]) if topic else ""
    more = _text("more_to_wrap", language, count=still_open) if still_open else ""
    return _final(_text("wrapped_up", language, when=call_time(answered_at, tz, language),
                        outcome=_text(f"wrap_{outcome}", language), to_service=service_words,
                        with_topic=topic_words, more=more))


def nothing_to_wrap_up(language: str | None) -> str:
    return _final(_text("nothing_to_wrap", language))


def wrap_up_usage(language: str | None) -> str:
    return _final(_text("wrap_usage", language))


def closed_referred(ref: int, service: str, caller_texted: bool, language: str | None) -> str:
    caller = _text("caller_got_details" if caller_texted else "caller_no_details", language)
    return _final(_text("closed_referred", language, ref=ref, service=service, details=caller))


def unknown_service(ref: int | None, written: str, language: str | None) -> str:
    return _final(_text("unknown_service", language, ref=ref or 12, code=written[:_ECHO_MAX]))


def ambiguous_service(ref: int | None, written: str, codes: Sequence[str], language: str | None) -> str:
    shown = ", ".join(codes[:5])
    return _final(_text("ambiguous_service", language, ref=ref or 12, code=written[:_ECHO_MAX], codes=shown,
                        first=codes[0] if codes else "KRIISI"))


def missing_service(ref: int | None, language: str | None) -> str:
    return _final(_text("missing_service", language, ref=ref or 12))


def help_more(language: str | None) -> str:
    return _final(_text("help_more", language))
