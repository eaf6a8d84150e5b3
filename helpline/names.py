"""Names people type (staff, usernames, API tokens): one line of visible text.

Staff names go into SMS ("Aino has passed #12 to you"), onto the pages and into the audit log,
so a name must not carry a line break (which would start a new line of someone else's text in
an SMS), a NUL, a tab or any other control character, nor a bidirectional override or isolate
(which makes "Aino" display as something else: the "Trojan Source" trick). Other format
characters stay allowed: the zero-width joiner and non-joiner are part of ordinary writing in
some languages and of many emoji.

Pure: no Flask, no database.
"""
from __future__ import annotations

import unicodedata

# Unicode's bidirectional embeddings, overrides and isolates, and the implicit marks (all Cf).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_NAMES = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab", "\x00": "a NUL character"}


class UnsafeName(ValueError):
    """A name holding a character it may not; the message says which, and where."""


def unsafe_character(text: str) -> tuple[int, str] | None:
    """The position and the description of the first character a name may not hold, or None."""
    for position, character in enumerate(text):
        category = unicodedata.category(character)
        if category == "Cc" or category in ("Zl", "Zp") or character in BIDI_CONTROLS:
            kind = _NAMES.get(character) or (
                "a line break" if category in ("Zl", "Zp") else
                "a bidirectional text control" if character in BIDI_CONTROLS else "a control character")
            return position, f"{kind} (U+{ord(character):04X})"
    return None


def check_name(text: str, what: str = "a name") -> str:
    """``text`` unchanged when it is one line of visible text; else UnsafeName in words."""
    found = unsafe_character(text)
    if found is not None:
        position, description = found
        raise UnsafeName(f"{what} may not contain line breaks, tabs or other control characters; "
                         f"it has {description} at character {position + 1}")
    return text
