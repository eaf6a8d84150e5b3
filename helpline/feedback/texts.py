"""The feedback question to callers and the pulse texts to staff, in Finnish, Swedish and English.

Same conventions as helpline.sms.catalogue: GSM-7 (use '-' rather than a dash), one segment
where the words allow. The caller's question says that answering is optional, because a caller
in a hard spot should not feel tested.
"""
from __future__ import annotations

from helpline.sms.texts import gsm7_safe, pick_language

TEXTS: dict[str, dict[str, str]] = {
    "caller_question": {
        "fi": "Kiitos, kun otit yhteyttä. Kuinka hyvin sait apua? Vastaa halutessasi numerolla 1-5 "
              "(5 = erittäin hyvin), voit lisätä sanan.",
        "sv": "Tack för att du hörde av dig. Hur väl fick du hjälp? Svara gärna med en siffra 1-5 "
              "(5 = mycket väl), du kan lägga till ett ord.",
        "en": "Thank you for getting in touch. How well were you helped? If you like, reply with "
              "a number 1-5 (5 = very well), and a word if you wish.",
    },
    "pulse_question": {
        "fi": "Kuukauden kysymys: miten jaksat päivystyksessä? Vastaa numerolla 1-5 (1 = raskasta, "
              "5 = hyvin). Vastaukset näytetään vain tiimin keskiarvona.",
        "sv": "Månadens fråga: hur orkar du med jouren? Svara med en siffra 1-5 (1 = tungt, "
              "5 = bra). Svaren visas bara som teamets medelvärde.",
        "en": "This month's question: how are you coping on duty? Reply with a number 1-5 "
              "(1 = it is hard, 5 = well). Answers are only shown as a team average.",
    },
    "pulse_thanks": {
        "fi": "Kiitos vastauksesta. Se lasketaan vain tiimin keskiarvoon.",
        "sv": "Tack för svaret. Det räknas bara in i teamets medelvärde.",
        "en": "Thank you. Your answer only counts towards the team average.",
    },
    "pulse_already": {
        "fi": "Tämän kuun vastauksesi on jo kirjattu. Kiitos!",
        "sv": "Ditt svar för den här månaden är redan registrerat. Tack!",
        "en": "Your answer for this month is already counted. Thank you!",
    },
}


def _text(key: str, language: str | None) -> str:
    return gsm7_safe(TEXTS[key][pick_language(language)])


def caller_question(language: str | None) -> str:
    return _text("caller_question", language)


def pulse_question(language: str | None) -> str:
    return _text("pulse_question", language)


def pulse_thanks(language: str | None) -> str:
    return _text("pulse_thanks", language)


def pulse_already_counted(language: str | None) -> str:
    return _text("pulse_already", language)
