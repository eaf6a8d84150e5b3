"""The SMS texts of the map of help (tiekartta), in Finnish (default), Swedish and English: the
service's details to a referred caller, the wrap-up question after a live call, and the replies
to WRAP and to DONE ... REF.

Pure, and in the conventions of helpline.sms.texts and helpline.sms.catalogue (to be folded into
the one catalogue): GSM-7 (ä ö å are in it; '-' rather than a dash, straight quotes), short, every
text through :func:`helpline.sms.texts.gsm7_safe`. The example reference is 12, the example code
KRIISI. A service's name and hours come in as plain facts (:class:`ServiceCard`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence
from zoneinfo import ZoneInfo

from helpline import phones
from helpline.sms.texts import call_time, gsm7_safe, pick_language

TEXTS: dict[str, dict[str, str]] = {
    # --- to the caller --------------------------------------------------------------------------------
    "referral": {"fi": "Palvelu, josta puhuimme: {name}.{phone}{url}{hours}",
                 "sv": "Tjänsten vi talade om: {name}.{phone}{url}{hours}",
                 "en": "The service we talked about: {name}.{phone}{url}{hours}"},
    "referral_phone": {"fi": " Puh. {phone}.", "sv": " Tfn {phone}.", "en": " Phone {phone}."},
    "referral_url": {"fi": " {url}", "sv": " {url}", "en": " {url}"},
    "referral_hours": {"fi": " Avoinna {hours}.", "sv": " Öppet {hours}.", "en": " Open {hours}."},
    "always_open": {"fi": "joka päivä ympäri vuorokauden", "sv": "dygnet runt alla dagar", "en": "24 hours, every day"},
    # --- to the staff member who answered a live call ----------------------------------------------------
    "wrap_up_question": {
        "fi": "Puhelu {when}{length}: miten se päättyi? Vastaa KIRJAA HOIDETTU [aihe] tai KIRJAA OHJATTU "
              "<koodi> [aihe].",
        "sv": "Samtalet {when}{length}: hur slutade det? Svara NOTERA LÖST [ämne] eller NOTERA HÄNVISAD "
              "<kod> [ämne].",
        "en": "Your call {when}{length}: how did it end? Reply WRAP RESOLVED [topic] or WRAP REFERRED "
              "<code> [topic].",
    },
    "length": {"fi": " ({minutes} min)", "sv": " ({minutes} min)", "en": " ({minutes} min)"},
    "wrapped_up": {"fi": "Kirjattu: puhelu {when} {outcome}{service}{topic}. Kiitos!",
                   "sv": "Noterat: samtalet {when} {outcome}{service}{topic}. Tack!",
                   "en": "Noted: your call {when} {outcome}{service}{topic}. Thank you!"},
    "resolved": {"fi": "hoidettu", "sv": "löst", "en": "resolved"},
    "referred": {"fi": "ohjattu eteenpäin", "sv": "hänvisad vidare", "en": "referred on"},
    "to_service": {"fi": " palveluun {name}", "sv": " till {name}", "en": " to {name}"},
    "with_topic": {"fi": ", aihe: {topic}", "sv": ", ämne: {topic}", "en": ", topic: {topic}"},
    "more_to_wrap": {"fi": " Kirjaamatta vielä {count}.", "sv": " {count} kvar att notera.",
                     "en": " {count} more to wrap up."},
    "nothing_to_wrap": {"fi": "Sinulla ei ole kirjaamattomia puheluita viimeisen vuorokauden ajalta.",
                        "sv": "Du har inga samtal att notera från det senaste dygnet.",
                        "en": "You have no calls to wrap up from the last 24 hours."},
    "wrap_usage": {"fi": "Kirjoita KIRJAA HOIDETTU [aihe] tai KIRJAA OHJATTU <koodi> [aihe].",
                   "sv": "Skriv NOTERA LÖST [ämne] eller NOTERA HÄNVISAD <kod> [ämne].",
                   "en": "Write WRAP RESOLVED [topic] or WRAP REFERRED <code> [topic]."},
    # --- replies to DONE 12 REF <code> -----------------------------------------------------------------
    "closed_referred": {"fi": "Soittopyyntö #{ref} suljettu: ohjattu palveluun {name}. {caller}",
                        "sv": "Återuppringning #{ref} stängd: hänvisad till {name}. {caller}",
                        "en": "Callback #{ref} closed: referred to {name}. {caller}"},
    "caller_got_details": {"fi": "Soittajalle lähti palvelun tiedot tekstiviestinä.",
                           "sv": "Den som ringde fick tjänstens uppgifter per SMS.",
                           "en": "The caller was texted the service's details."},
    "caller_no_details": {"fi": "Soittajalle ei voi lähettää tekstiviestiä.",
                          "sv": "Den som ringde kan inte få SMS.",
                          "en": "The caller cannot be texted."},
    "unknown_service": {"fi": 'En löydä palvelua "{code}". Kirjoita sen koodi, esim. VALMIS {ref} REF KRIISI.',
                        "sv": 'Hittar ingen tjänst "{code}". Skriv dess kod, t.ex. KLAR {ref} REF KRIISI.',
                        "en": 'No service "{code}". Write its code, e.g. DONE {ref} REF KRIISI.'},
    "ambiguous_service": {"fi": '"{code}" sopii moneen: {codes}. Kirjoita koodi, esim. VALMIS {ref} REF {first}.',
                          "sv": '"{code}" passar flera: {codes}. Skriv koden, t.ex. KLAR {ref} REF {first}.',
                          "en": '"{code}" fits several: {codes}. Write the code, e.g. DONE {ref} REF {first}.'},
    "missing_service": {"fi": "Kirjoita palvelun koodi REF-sanan jälkeen, esim. VALMIS {ref} REF KRIISI.",
                        "sv": "Skriv tjänstens kod efter REF, t.ex. KLAR {ref} REF KRIISI.",
                        "en": "Write the service's code after REF, e.g. DONE {ref} REF KRIISI."},
    # --- added to HELP -----------------------------------------------------------------------------------
    "help_more": {"fi": "VALMIS 12 REF KRIISI: ohjattu palveluun. KIRJAA HOIDETTU/OHJATTU: puhelun kirjaus.",
                  "sv": "KLAR 12 REF KRIISI: hänvisad till tjänsten. NOTERA LÖST/HÄNVISAD: notera samtal.",
                  "en": "DONE 12 REF KRIISI: referred to a service. WRAP RESOLVED/REFERRED: wrap up a call."},
}
_ECHO_MAX = 20


def _text(key: str, language: str | None, **fields: object) -> str:
    return TEXTS[key][pick_language(language)].format(**fields)


def _final(text: str) -> str:
    return gsm7_safe(" ".join(text.split()))


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
    phone = _text("referral_phone", language, phone=phones.readable(card.phone)) if card.phone else ""
    url = _text("referral_url", language, url=_short_url(card.url)) if card.url else ""
    hours = card.hours if card.hours != "24/7" else _text("always_open", language)
    opening = _text("referral_hours", language, hours=hours) if hours else ""
    if url and opening:
        url += "."
    return _final(_text("referral", language, name=card.name, phone=phone, url=url, hours=opening))


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
    service_words = _text("to_service", language, name=service) if service else ""
    topic_words = _text("with_topic", language, topic=topic[:40]) if topic else ""
    more = _text("more_to_wrap", language, count=still_open) if still_open else ""
    return _final(_text("wrapped_up", language, when=call_time(answered_at, tz, language),
                        outcome=_text(outcome, language), service=service_words, topic=topic_words) + more)


def nothing_to_wrap_up(language: str | None) -> str:
    return _final(_text("nothing_to_wrap", language))


def wrap_up_usage(language: str | None) -> str:
    return _final(_text("wrap_usage", language))


def closed_referred(ref: int, service: str, caller_texted: bool, language: str | None) -> str:
    caller = _text("caller_got_details" if caller_texted else "caller_no_details", language)
    return _final(_text("closed_referred", language, ref=ref, name=service, caller=caller))


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
