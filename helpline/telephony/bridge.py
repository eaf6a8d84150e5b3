"""What a staff member hears when the line calls them to call a caller back (CALL <ref>), as TwiML.

The line rings the staff member first; when they answer they hear which callback this is and
press 1 (so a personal voicemail box that picks up never gets a caller put through to it). Then
the line dials the caller with ``callerId`` = the line's number: the caller sees the help line,
never the staff member's own number. After the dial, the staff member hears how it went.
Builders take plain values and hand out a :class:`helpline.telephony.twiml.Twiml`; every document
validates against Twilio's TwiML schema.
"""
from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from helpline.telephony import prompts
from helpline.telephony.twiml import Twiml

SCREEN_TIMEOUT_SECONDS = 10
CALLER_RING_SECONDS = 30  # how long the caller's phone rings before it counts as no answer

def _say(response: VoiceResponse, language: str, key: str, **fields: object) -> None:
    """The voice table's ``bridge_<key>`` sentence."""
    said = prompts.for_language(language)
    response.say(said.text(f"bridge_{key}", **fields), voice=said.voice, language=said.language)


def screen(language: str, ref: int, *, action: str) -> Twiml:
    """The staff member answered: which callback, and press 1 to be put through."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, timeout=SCREEN_TIMEOUT_SECONDS, action=action, method="POST")
    said = prompts.for_language(language)
    gather.say(said.text("bridge_screen", ref=ref), voice=said.voice, language=said.language)
    _say(response, language, "no_key")
    response.hangup()
    return Twiml(response)


def dial_caller(language: str, ref: int, *, caller: str, line_number: str, action: str) -> Twiml:
    """Ring the caller from the line's number; ``action`` hears how it went."""
    response = VoiceResponse()
    _say(response, language, "dialling", ref=ref)
    dial = response.dial(caller_id=line_number, action=action, method="POST", timeout=CALLER_RING_SECONDS)
    dial.number(caller)
    return Twiml(response)


def after_dial(language: str, ref: int, *, reached: bool, counted: bool, attempts: int, max_attempts: int,
               closed_unreachable: bool, caller_texted: bool) -> Twiml:
    """What the staff member hears once the caller's phone stopped ringing or they hung up."""
    response = VoiceResponse()
    if reached:
        _say(response, language, "reached", ref=ref)
    elif closed_unreachable:
        sms = prompts.for_language(language).text("bridge_caller_texted") if caller_texted else ""
        _say(response, language, "unreachable", max=max_attempts, sms=sms)
    elif counted:
        _say(response, language, "not_reached", count=attempts, max=max_attempts)
    else:
        _say(response, language, "not_counted")
    response.hangup()
    return Twiml(response)


def goodbye(language: str, key: str, **fields: object) -> Twiml:
    """One sentence (``closed``, ``ended``, ``error``, ``no_key``) and hang up."""
    response = VoiceResponse()
    _say(response, language, key, **fields)
    response.hangup()
    return Twiml(response)
