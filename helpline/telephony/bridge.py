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

TEXTS: dict[str, dict[str, str]] = {
    "screen": {
        "fi": "Auttavan puhelimen takaisinsoitto, soittopyyntö numero {ref}. Paina 1, niin yhdistämme sinut soittajaan.",
        "sv": "Hjälplinjens återuppringning, nummer {ref}. Tryck 1 så kopplar vi dig till den som ringde.",
        "en": "Helpline call-back for callback number {ref}. Press 1 to be connected to the caller.",
    },
    "no_key": {"fi": "Et painanut 1. Näkemiin.", "sv": "Du tryckte inte 1. Hej då.", "en": "You did not press 1. Goodbye."},
    "dialling": {
        "fi": "Soitetaan soittajalle, soittopyyntö numero {ref}. Hän näkee linjan numeron.",
        "sv": "Vi ringer upp den som ringde, återuppringning nummer {ref}. Hen ser linjens nummer.",
        "en": "Calling back the caller of callback number {ref}. They will see the line's number.",
    },
    "closed": {"fi": "Soittopyyntö numero {ref} on jo suljettu. Näkemiin.",
               "sv": "Återuppringning nummer {ref} är redan stängd. Hej då.",
               "en": "Callback number {ref} is already closed. Goodbye."},
    "ended": {"fi": "Tämä takaisinsoitto on jo päättynyt. Näkemiin.",
              "sv": "Den här återuppringningen är redan avslutad. Hej då.",
              "en": "This call-back has already ended. Goodbye."},
    "reached": {"fi": "Puhelu päättyi. Kun asia on hoidettu, lähetä tekstiviesti VALMIS {ref}.",
                "sv": "Samtalet är slut. När ärendet är klart, skicka KLAR {ref} som SMS.",
                "en": "The call has ended. When it is handled, text DONE {ref}."},
    "not_reached": {"fi": "Soittaja ei vastannut. Yrityksiä nyt {count}, enintään {max}. Soittopyyntö pysyy auki.",
                    "sv": "Den som ringde svarade inte. Det var försök {count} av {max}. Återuppringningen förblir öppen.",
                    "en": "The caller did not answer. That was attempt {count} of {max}. The callback stays open."},
    "not_counted": {"fi": "Soittoa ei saatu perille. Soittopyyntö pysyy auki.",
                    "sv": "Samtalet gick inte fram. Återuppringningen förblir öppen.",
                    "en": "The call did not go through. The callback stays open."},
    "unreachable": {
        "fi": "Soittaja ei vastannut {max}. kerrallakaan. Soittopyyntö suljettiin tavoittamattomana.{sms}",
        "sv": "Den som ringde svarade inte på {max} försök. Återuppringningen stängdes som onåbar.{sms}",
        "en": "The caller did not answer {max} times. The callback is now closed as unreachable.{sms}",
    },
    "caller_texted": {"fi": " Soittajalle lähetetään tekstiviesti aukioloajoista.",
                      "sv": " Den som ringde får ett SMS med öppettiderna.",
                      "en": " The caller gets a text message with our opening hours."},
    "error": {"fi": "Takaisinsoitossa tapahtui virhe. Yritä hetken päästä uudelleen.",
              "sv": "Något gick fel med återuppringningen. Försök igen om en stund.",
              "en": "Something went wrong with the call-back. Please try again shortly."},
}


def _say(response: VoiceResponse, language: str, key: str, **fields: object) -> None:
    said = prompts.for_language(language)
    response.say(TEXTS[key][said.code].format(**fields), voice=said.voice, language=said.language)


def screen(language: str, ref: int, *, action: str) -> Twiml:
    """The staff member answered: which callback, and press 1 to be put through."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, timeout=SCREEN_TIMEOUT_SECONDS, action=action, method="POST")
    said = prompts.for_language(language)
    gather.say(TEXTS["screen"][said.code].format(ref=ref), voice=said.voice, language=said.language)
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
        sms = TEXTS["caller_texted"][prompts.for_language(language).code] if caller_texted else ""
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
