"""The one catalogue: every text id, per channel, with its Finnish, Swedish and English template.

Templates are ``str.format`` strings; :func:`render` fills one in the asked language (Finnish for
an unknown one), :func:`template` hands one out unfilled. SMS go out through :func:`sms`, which
also makes the result GSM-7 safe, so a staff member's name with typographic quotes cannot turn a
message into UCS-2; voice prompts through :func:`voice`. The tables themselves are in
:mod:`helpline.texts.sms_table` (with :mod:`helpline.texts.conversation_table` and
:mod:`helpline.texts.directory_table`, joined here) and :mod:`helpline.texts.voice_table`.
"""
from __future__ import annotations

from typing import Literal

from helpline.sms.gsm7 import gsm7_safe
from helpline.texts.conversation_table import CONVERSATION_SMS
from helpline.texts.directory_table import DIRECTORY_SMS
from helpline.texts.sms_table import SMS
from helpline.texts.voice_table import VOICE

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"

Channel = Literal["sms", "voice"]
CATALOGUE: dict[Channel, dict[str, dict[str, str]]] = {"sms": {**SMS, **CONVERSATION_SMS, **DIRECTORY_SMS},
                                                   "voice": VOICE}


def pick_language(*preferences: str | None) -> str:
    """The first supported language among ``preferences`` (e.g. the command word's, then the
    staff member's first), else Finnish."""
    for code in preferences:
        if code in LANGUAGES:
            return code  # type: ignore[return-value]
    return DEFAULT_LANGUAGE


def template(channel: Channel, text_id: str, language: str | None) -> str:
    """One template of the catalogue, unfilled; an unknown id is a KeyError (a bug, not a fallback)."""
    return CATALOGUE[channel][text_id][pick_language(language)]


def render(channel: Channel, text_id: str, language: str | None, /, **fields: object) -> str:
    """One template of the catalogue, filled."""
    return template(channel, text_id, language).format(**fields)


def sms(text_id: str, language: str | None, /, **fields: object) -> str:
    """An SMS text: rendered, runs of spaces made one, and GSM-7 safe."""
    return finish_sms(render("sms", text_id, language, **fields))


def finish_sms(text: str) -> str:
    """What every SMS body goes through last (also one composed of several texts)."""
    return gsm7_safe(" ".join(text.split()))


def voice(text_id: str, language: str | None, /, **fields: object) -> str:
    """A sentence the line says on a call."""
    return render("voice", text_id, language, **fields)
