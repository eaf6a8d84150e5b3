"""SMS texts to staff that the command replies and call-backs need beyond helpline.sms.texts's.

Same conventions as helpline.sms.catalogue: Finnish (default), Swedish, English; GSM-7; short.
"""
from __future__ import annotations

from helpline.sms.texts import gsm7_safe, pick_language

TEXTS: dict[str, dict[str, str]] = {
    "opted_in": {"fi": "Linjan tekstiviestit tulevat taas perille. Lopetus: STOP.",
                 "sv": "SMS från linjen kommer fram igen. Stoppa: STOP.",
                 "en": "SMS from the line are back on. To stop them: STOP."},
    "call_in_progress": {"fi": "Soitto soittopyyntöön #{ref} on jo käynnissä.",
                         "sv": "Samtalet till #{ref} pågår redan.",
                         "en": "A call for #{ref} is already under way."},
    "call_not_placed": {"fi": "Linja ei saanut soitettua sinulle (#{ref}). Yritä hetken päästä uudelleen: SOITA {ref}.",
                        "sv": "Linjen kunde inte ringa dig (#{ref}). Försök igen om en stund: RING {ref}.",
                        "en": "The line could not call you (#{ref}). Try again shortly: CALL {ref}."},
    "unreachable_closed": {
        "fi": "Soittopyyntö #{ref} suljettu: soittaja ei vastannut {count} kertaan. {sms}",
        "sv": "Återuppringning #{ref} stängd: den som ringde svarade inte {count} gånger. {sms}",
        "en": "Callback #{ref} closed: the caller did not answer {count} times. {sms}",
    },
    "caller_texted": {"fi": "Hänelle lähti tekstiviesti aukioloajoista.",
                      "sv": "Hen fick ett SMS om öppettiderna.",
                      "en": "They were sent an SMS with our opening hours."},
    "caller_not_texted": {"fi": "Numeroon ei voi lähettää tekstiviestiä.",
                          "sv": "Numret kan inte ta emot SMS.",
                          "en": "Their number cannot get an SMS."},
}


def _text(key: str, language: str, **fields: object) -> str:
    return gsm7_safe(TEXTS[key][pick_language(language)].format(**fields))


def opted_in(language: str) -> str:
    return _text("opted_in", language)


def call_in_progress(ref: int, language: str) -> str:
    return _text("call_in_progress", language, ref=ref)


def call_not_placed(ref: int, language: str) -> str:
    return _text("call_not_placed", language, ref=ref)


def unreachable_closed(ref: int, attempts: int, caller_texted: bool, language: str) -> str:
    sms = _text("caller_texted" if caller_texted else "caller_not_texted", language)
    return _text("unreachable_closed", language, ref=ref, count=attempts, sms=sms)
