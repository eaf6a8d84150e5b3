"""TwiML documents of the voice path, built with Twilio's own VoiceResponse.

Builders take plain values (texts, absolute URLs, numbers) and know nothing of Flask or the
database: the webhooks decide (helpline.inbound) and call these to render. Every document they
produce validates against Twilio's TwiML schema (tests/twiml_schema.py checks each one).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from twilio.twiml.voice_response import Gather, VoiceResponse

from helpline.telephony.prompts import Prompts

# VoiceResponse is also what webhooks import from here to type their answers, so that twilio
# itself is imported only inside telephony/.

LANGUAGE_MENU_TIMEOUT_SECONDS = 4
SCREEN_TIMEOUT_SECONDS = 8
# Twilio's <Record> sends these to recordingStatusCallback; "failed" is not a valid event there.
RECORDING_EVENTS = "completed absent"

# The last resort when even building TwiML failed: valid, apologetic, never silent.
STATIC_APOLOGY = (
    '<?xml version="1.0" encoding="UTF-8"?><Response>'
    '<Say language="fi-FI" voice="Polly.Suvi-Neural">Pahoittelemme, järjestelmässämme on häiriö. '
    'Soita meille uudelleen hetken kuluttua. Jos olet välittömässä vaarassa, soita 112.</Say>'
    "<Hangup/></Response>"
)


@dataclass(frozen=True)
class RecordUrls:
    action: str  # /voice/recorded
    status_callback: str  # /voice/recording-status


def document(response: VoiceResponse) -> str:
    return str(response)


def say(target: VoiceResponse | Gather, prompts: Prompts, *texts: str) -> None:
    """One <Say> in the language's voice; empty texts are left out."""
    text = " ".join(part for part in texts if part)
    if text:
        target.say(text, voice=prompts.voice, language=prompts.language)


def greeting(prompts: Prompts) -> VoiceResponse:
    response = VoiceResponse()
    say(response, prompts, prompts.greeting, prompts.emergency)
    return response


def language_menu(response: VoiceResponse, offered: Sequence[Prompts], *, action: str) -> VoiceResponse:
    """Gather one digit for the other languages; with no digit, go on in the default one."""
    gather = response.gather(num_digits=1, timeout=LANGUAGE_MENU_TIMEOUT_SECONDS, action=action, method="POST")
    for prompts in offered:
        say(gather, prompts, prompts.menu)
    # Reached when no digit came: the same URL without Digits means "the default language".
    response.redirect(action, method="POST")
    return response


def dial(response: VoiceResponse, prompts: Prompts, *, phone: str, announce: bool, action: str,
         screen_url: str, timeout: int, caller_id: str | None) -> VoiceResponse:
    """Ring one staff phone; the staff leg runs ``screen_url`` before the two are bridged."""
    if announce:
        say(response, prompts, prompts.connecting)
    dial_verb = response.dial(action=action, method="POST", timeout=timeout, answer_on_bridge=True,
                              caller_id=caller_id or None)
    dial_verb.number(phone, url=screen_url, method="POST")
    return response


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


def take_message(response: VoiceResponse, prompts: Prompts, intro: Sequence[str], *, urls: RecordUrls,
                 max_length: int, line_open: bool) -> VoiceResponse:
    """Ask for a message, record it, and thank the caller (heard when nothing was recorded)."""
    say(response, prompts, *intro, prompts.callback_soon if line_open else "", prompts.leave_message)
    response.record(action=urls.action, method="POST", max_length=max_length, finish_on_key="#",
                    play_beep=True, recording_status_callback=urls.status_callback,
                    recording_status_callback_method="POST", recording_status_callback_event=RECORDING_EVENTS)
    say(response, prompts, prompts.thanks_call)
    response.hangup()
    return response


def cannot_call_back(response: VoiceResponse, prompts: Prompts, intro: Sequence[str]) -> VoiceResponse:
    """A withheld caller: we could never return a message, so none is asked for."""
    say(response, prompts, *intro, prompts.withheld, prompts.withheld_try_again, prompts.emergency)
    response.hangup()
    return response


def goodbye(prompts: Prompts, *texts: str) -> VoiceResponse:
    response = VoiceResponse()
    say(response, prompts, *texts)
    response.hangup()
    return response


def hangup() -> VoiceResponse:
    response = VoiceResponse()
    response.hangup()
    return response


def empty() -> VoiceResponse:
    """An empty response: ends a status callback, or lets a screened staff leg be bridged."""
    return VoiceResponse()


def screen(prompts: Prompts, *, caller_language: str | None, action: str) -> VoiceResponse:
    """The staff leg: press 1 to take the call; anything else (a voicemail box) hangs up."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, timeout=SCREEN_TIMEOUT_SECONDS, action=action, method="POST")
    note = ""
    # Only a language we can name: ``caller_language`` comes back to us in a URL, and a code we
    # do not know (or a control character) must never reach the TwiML.
    if caller_language != prompts.code and caller_language in prompts.language_names:
        note = prompts.screen_language.format(language=prompts.language_names[caller_language])
    say(gather, prompts, prompts.screen, note)
    response.hangup()
    return response


def apology(prompts: Prompts, *, withheld: bool, urls: RecordUrls, max_length: int) -> VoiceResponse:
    """Something failed inside: apologise and still take a message (or hang up politely)."""
    response = VoiceResponse()
    if withheld:
        say(response, prompts, prompts.apology)
        return cannot_call_back(response, prompts, [])
    return take_message(response, prompts, [prompts.apology], urls=urls, max_length=max_length, line_open=True)
