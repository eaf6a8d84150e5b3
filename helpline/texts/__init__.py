"""Every word the line sends by SMS or says on a call, to callers and staff, in fi, sv and en.

One catalogue, one way to render it; pure (no Flask, database or Twilio). The web pages are not
here: they use Flask-Babel (helpline/translations).

- catalogue.py: ``CATALOGUE[channel][text_id][language]``, :func:`render`, :func:`sms` (GSM-7
  safe), :func:`voice`, and :func:`pick_language` (Finnish unless told otherwise)
- sms_table.py, voice_table.py: the templates, one table per channel
- times.py: times in words, written ('ma 11.1. klo 10.05') and spoken ("maanantaina kello 9"),
  with the weekday and month names

Adding a text: give it an id in the channel's table, with a ``str.format`` template in each of
fi, sv and en and the same placeholders in each. Render it with ``texts.sms(id, language,
**fields)``; on a call with ``Prompts.text(id, **fields)`` (helpline.telephony.prompts), or add
it as a field of ``Prompts`` when the caller-side TwiML says it. A text that joins several
pieces gets a composer (SMS: helpline.sms.texts; voice: helpline.telephony.twiml, bridge).
tests/texts/test_catalogue.py checks every id in every language and renders each SMS text with
the longest values it can carry: give a new placeholder its worst case there.
"""
from __future__ import annotations

from helpline.texts.catalogue import (
    CATALOGUE, DEFAULT_LANGUAGE, LANGUAGES, finish_sms, pick_language, render, sms, template, voice,
)

__all__ = ["CATALOGUE", "DEFAULT_LANGUAGE", "LANGUAGES", "finish_sms", "pick_language", "render", "sms", "template",
           "voice"]
