"""TwiML of the wait queue: the caller's <Enqueue>, what they hear while waiting, <Leave>, and
the free staff member's offer ("a caller is waiting, press 1") that ends in <Dial><Queue>.

Builders take plain values and hand out a :class:`helpline.telephony.twiml.Twiml`; every
document validates against Twilio's TwiML schema. A wait URL document may hold only <Say>,
<Play>, <Pause>, <Gather>, <Redirect>, <Leave> and <Hangup>; when it ends, Twilio asks the wait
URL again, so one document is one round of about ``ANNOUNCE_EVERY_SECONDS``.
"""
from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from helpline.telephony.prompts import Prompts
from helpline.telephony.twiml import Twiml

ANNOUNCE_EVERY_SECONDS = 30
# The place and the offer take about ten seconds to say; the Gather waits out the rest.
WAIT_GATHER_SECONDS = 20
OFFER_SCREEN_SECONDS = 10
PLACE_WORDS = 5
# <Dial><Queue> on an empty queue waits for the next caller to join, up to the Dial's timeout:
# a staff member whose caller left just before is not kept on the line long.
EMPTY_QUEUE_WAIT_SECONDS = 10  # places said as words ("toisena"); later ones as numbers


def _say(target, prompts: Prompts, *texts: str) -> None:
    text = " ".join(part for part in texts if part)
    if text:
        target.say(text, voice=prompts.voice, language=prompts.language)


def enqueue(document: Twiml, prompts: Prompts, *, queue_name: str, action: str, wait_url: str) -> Twiml:
    """Everyone on duty is busy: say so and wait in the queue."""
    _say(document.verbs, prompts, prompts.text("queue_all_busy"))
    document.verbs.enqueue(queue_name, action=action, method="POST", wait_url=wait_url, wait_url_method="POST")
    return document


def place(prompts: Prompts, position: int) -> str:
    word = (prompts.text(f"queue_place_{position}") if 1 <= position <= PLACE_WORDS
            else prompts.text("queue_place_other", number=position))
    return prompts.text("queue_place", place=word)


def wait_round(prompts: Prompts, *, position: int, action: str) -> Twiml:
    """One round of waiting: their place, and 1 to leave a message instead."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, timeout=WAIT_GATHER_SECONDS, action=action, method="POST")
    _say(gather, prompts, place(prompts, position), prompts.text("queue_press_one"))
    return Twiml(response)


def leave() -> Twiml:
    """Out of the queue: the Enqueue action says what comes next (a message)."""
    response = VoiceResponse()
    response.leave()
    return Twiml(response)


def keep_waiting() -> Twiml:
    """Another key than 1 at the wait prompt: nothing; Twilio asks the wait URL again."""
    return Twiml()


def connecting(prompts: Prompts) -> Twiml:
    """Heard by the caller at the front of the queue just before the staff member is bridged."""
    response = VoiceResponse()
    _say(response, prompts, prompts.text("queue_connecting"))
    return Twiml(response)


def offer_screen(prompts: Prompts, *, action: str) -> Twiml:
    """The free staff member answered: a caller waits, press 1 (a voicemail box never does)."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, timeout=OFFER_SCREEN_SECONDS, action=action, method="POST")
    _say(gather, prompts, prompts.text("offer_screen"))
    response.hangup()
    return Twiml(response)


def take_from_queue(*, queue_name: str, bridge_url: str, action: str, caller_id: str | None) -> Twiml:
    """Bridge the staff member to the caller at the front of the queue (who has waited longest)."""
    response = VoiceResponse()
    dial = response.dial(action=action, method="POST", timeout=EMPTY_QUEUE_WAIT_SECONDS, caller_id=caller_id or None)
    dial.queue(queue_name, url=bridge_url, method="POST")
    return Twiml(response)


def offer_gone(prompts: Prompts) -> Twiml:
    response = VoiceResponse()
    _say(response, prompts, prompts.text("offer_gone"))
    response.hangup()
    return Twiml(response)
