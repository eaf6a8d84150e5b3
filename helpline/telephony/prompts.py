"""The voice the line speaks each language in, and that language's sentences from the catalogue.

The words are in helpline.texts (voice_table.py); a :class:`Prompts` holds one language's view of
them for the TwiML builders. Which sentences a call plays is decided in helpline.inbound and
composed into TwiML in helpline.telephony.twiml. Voices are Amazon Polly neural voices that
Twilio offers; each language's ``language`` attribute is the matching BCP 47 tag.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, fields as dataclass_fields
from datetime import datetime

from helpline import texts
from helpline.texts.times import spoken_time

log = logging.getLogger(__name__)

# Digits of the language menu. Fixed per language, so a caller who learnt "2 for Swedish" keeps it
# whatever else the line offers.
MENU_DIGITS = {"fi": "1", "sv": "2", "en": "3"}


@dataclass(frozen=True)
class Prompts:
    """One language's voice and sentences. Each sentence field is the voice table's text of the
    same id; those marked "with {...}" are still templates."""

    code: str
    voice: str
    language: str  # BCP 47, the <Say language> attribute
    greeting: str
    emergency: str
    menu: str  # "for Swedish, press 2", said in this language
    connecting: str
    nobody_answered: str
    closed: str
    closed_holiday: str
    closed_closure: str
    next_open: str  # with {when}
    leave_message: str
    callback_soon: str
    thanks_message: str
    thanks_call: str
    withheld: str
    withheld_try_again: str
    apology: str
    last_resort: str
    blocked: str  # the one sentence a blocked caller hears
    screen: str
    screen_language: str  # with {language}: the caller chose a language other than the default
    language_names: dict[str, str]

    @classmethod
    def of(cls, code: str, *, voice: str, language: str) -> Prompts:
        sentences = {field.name: texts.template("voice", field.name, code) for field in dataclass_fields(cls)
                     if field.name not in ("code", "voice", "language", "menu", "language_names")}
        return cls(code=code, voice=voice, language=language, **sentences,
                   menu=texts.voice("menu", code, digit=MENU_DIGITS[code]),
                   language_names={other: texts.voice(f"language_{other}", code) for other in texts.LANGUAGES})

    def text(self, text_id: str, **fields: object) -> str:
        """Any sentence of the voice table in this language (the call-back calls' ones, say)."""
        return texts.voice(text_id, self.code, **fields)

    @property
    def menu_digit(self) -> str:
        return MENU_DIGITS[self.code]

    def when(self, moment: datetime, now: datetime) -> str:
        """When the line opens, as a person would say it: "maanantaina kello 9"."""
        return spoken_time(moment, now, self.code)

    def closed_because(self, reason: str) -> str:
        if reason.startswith("public holiday"):
            return self.closed_holiday
        if reason.startswith("closed:"):
            return self.closed_closure
        return self.closed


FINNISH = Prompts.of("fi", voice="Polly.Suvi-Neural", language="fi-FI")
SWEDISH = Prompts.of("sv", voice="Polly.Elin-Neural", language="sv-SE")
ENGLISH = Prompts.of("en", voice="Polly.Joanna-Neural", language="en-US")

PROMPTS: dict[str, Prompts] = {prompts.code: prompts for prompts in (FINNISH, SWEDISH, ENGLISH)}
SUPPORTED_LANGUAGES = tuple(PROMPTS)


def for_language(code: str | None, default: str = "fi") -> Prompts:
    """The prompts of a language; the default's (then Finnish) for an unknown or missing code."""
    if code in PROMPTS:
        return PROMPTS[code]  # type: ignore[index]
    if code:
        log.warning("no prompts for language %r, using %r", code, default)
    return PROMPTS.get(default, FINNISH)


def language_for_digit(digits: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered language whose menu digit was pressed, or None."""
    for code in offered:
        if MENU_DIGITS.get(code) == (digits or "").strip():
            return code
    return None
