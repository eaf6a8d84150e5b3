"""TwiML documents of the voice path, built with Twilio's own VoiceResponse.

Builders take plain values (texts, absolute URLs, numbers) and know nothing of Flask or the
database: the webhooks decide (helpline.inbound) and call these to render. Every document they
produce validates against Twilio's TwiML schema (tests/twiml_schema.py checks each one).
A document is handed out as our own :class:`Twiml`, so that twilio itself is used only inside
telephony/: the webhooks pass it back to a builder to add to it, or ``str()`` it to answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence
from xml.sax.saxutils import escape

from twilio.twiml.voice_response import Gather, VoiceResponse

from helpline.telephony.prompts import FINNISH, Prompts

LANGUAGE_MENU_TIMEOUT_SECONDS = 4
SCREEN_TIMEOUT_SECONDS = 8
# Twilio's <Record> sends these to recordingStatusCallback; "failed" is not a valid event there.
RECORDING_EVENTS = "completed absent"

# The last resort when even building TwiML failed: valid, apologetic, never silent.
STATIC_APOLOGY = (
    '<?xml version="1.0" encoding="UTF-8"?><Response>'
    f'<Say language="{FINNISH.language}" voice="{FINNISH.voice}">{escape(FINNISH.apology)} '
    f'{escape(FINNISH.last_resort)}</Say>'
    "<Hangup/></Response>"
)


class Twiml:
    """A TwiML document being built; ``str()`` is its XML. Only the builders of telephony/ add
    verbs to it (``verbs`` is twilio's VoiceResponse, which nothing outside telephony/ touches)."""

    __slots__ = ("verbs",)

    def __init__(self, verbs: VoiceResponse | None = None) -> None:
        self.verbs = verbs if verbs is not None else VoiceResponse()

    def __str__(self) -> str:
        return str(self.verbs)


@dataclass(frozen=True)
class RecordUrls:
    action: str  # /voice/recorded
    status_callback: str  # /voice/recording-status


def _say(target: VoiceResponse | Gather, prompts: Prompts, *texts: str) -> None:
    """One <Say> in the language's voice; empty texts are left out."""
    text = " ".join(part for part in texts if part)
    if text:
        target.say(text, voice=prompts.voice, language=prompts.language)


def greeting(prompts: Prompts) -> Twiml:
    document = Twiml()
    _say(document.verbs, prompts, prompts.greeting, prompts.emergency)
    return document


def language_menu(document: Twiml, offered: Sequence[Prompts], *, action: str) -> Twiml:
    """Gather one digit for the other languages; with no digit, go on in the default one."""
    gather = document.verbs.gather(num_digits=1, timeout=LANGUAGE_MENU_TIMEOUT_SECONDS, action=action,
                                   method="POST")
    for prompts in offered:
        _say(gather, prompts, prompts.menu)
    # Reached when no digit came: the same URL without Digits means "the default language".
    document.verbs.redirect(action, method="POST")
    return document


def dial(document: Twiml, prompts: Prompts, *, phone: str, announce: bool, action: str,
         screen_url: str, timeout: int, caller_id: str | None) -> Twiml:
    """Ring one staff phone; the staff leg runs ``screen_url`` before the two are bridged."""
    if announce:
        _say(document.verbs, prompts, prompts.connecting)
    dial_verb = document.verbs.dial(action=action, method="POST", timeout=timeout, answer_on_bridge=True,
                                    caller_id=caller_id or None)
    dial_verb.number(phone, url=screen_url, method="POST")
    return document


def spoken_message_intro(prompts: Prompts, *, line_open: bool, reason: str, next_open_at: datetime | None,
                         now: datetime) -> list[str]:
    """Why nobody answers and when the line is next open."""
    if line_open:
        return [prompts.nobody_answered]
    lines = [prompts.closed_because(reason)]
    if next_open_at is not None:
        sentence = prompts.next_open.format(when=prompts.when(next_open_at, now))
        # "at 9 a.m." already ends the sentence: no second full stop.
        lines.append(sentence[:-1] if sentence.endswith("..") else sentence)
    return lines


def take_message(document: Twiml, prompts: Prompts, intro: Sequence[str], *, urls: RecordUrls,
                 max_length: int, line_open: bool) -> Twiml:
    """Ask for a message, record it, and thank the caller (heard when nothing was recorded)."""
    verbs = document.verbs
    _say(verbs, prompts, *intro, prompts.callback_soon if line_open else "", prompts.leave_message)
    verbs.record(action=urls.action, method="POST", max_length=max_length, finish_on_key="#",
                 play_beep=True, recording_status_callback=urls.status_callback,
                 recording_status_callback_method="POST", recording_status_callback_event=RECORDING_EVENTS)
    _say(verbs, prompts, prompts.thanks_call)
    verbs.hangup()
    return document


def cannot_call_back(document: Twiml, prompts: Prompts, intro: Sequence[str]) -> Twiml:
    """A withheld caller: we could never return a message, so none is asked for."""
    _say(document.verbs, prompts, *intro, prompts.withheld, prompts.withheld_try_again, prompts.emergency)
    document.verbs.hangup()
    return document


def blocked_notice(said: Sequence[Prompts]) -> Twiml:
    """A blocked caller: the one sentence in each of these languages, each in its voice; hang up.
    No greeting, no menu, no <Dial>, no <Record>."""
    document = Twiml()
    for prompts in said:
        _say(document.verbs, prompts, prompts.blocked)
    document.verbs.hangup()
    return document


def goodbye(prompts: Prompts, *texts: str) -> Twiml:
    document = Twiml()
    _say(document.verbs, prompts, *texts)
    document.verbs.hangup()
    return document


def hangup(document: Twiml | None = None) -> Twiml:
    """End the call: a document of its own, or ``document`` with a <Hangup/> added."""
    document = document if document is not None else Twiml()
    document.verbs.hangup()
    return document


def empty() -> Twiml:
    """An empty response: ends a status callback, or lets a screened staff leg be bridged."""
    return Twiml()


def screen(prompts: Prompts, *, caller_language: str | None, action: str) -> Twiml:
    """The staff leg: press 1 to take the call; anything else (a voicemail box) hangs up."""
    document = Twiml()
    gather = document.verbs.gather(num_digits=1, timeout=SCREEN_TIMEOUT_SECONDS, action=action, method="POST")
    note = ""
    # Only a language we can name: ``caller_language`` comes back to us in a URL, and a code we
    # do not know (or a control character) must never reach the TwiML.
    if caller_language != prompts.code and caller_language in prompts.language_names:
        note = prompts.screen_language.format(language=prompts.language_names[caller_language])
    _say(gather, prompts, prompts.screen, note)
    document.verbs.hangup()
    return document


def apology(prompts: Prompts, *, withheld: bool, urls: RecordUrls, max_length: int) -> Twiml:
    """Something failed inside: apologise and still take a message (or hang up politely)."""
    document = Twiml()
    if withheld:
        _say(document.verbs, prompts, prompts.apology)
        return cannot_call_back(document, prompts, [])
    return take_message(document, prompts, [prompts.apology], urls=urls, max_length=max_length, line_open=True)
