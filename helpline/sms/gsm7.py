"""How an SMS is encoded and how many segments it costs (pure).

An SMS body goes out in GSM-7 (the 7-bit GSM 03.38 alphabet) when every character is in it, and
in UCS-2 otherwise. A single SMS carries 160 GSM-7 septets or 70 UCS-2 units; a longer one is
split into parts of 153 septets or 67 units, because each part gives room to a concatenation
header. A character of the GSM-7 extension table (``€ [ ] { } \\ ^ ~ |`` and form feed) takes
two septets, written as ESC plus the character, and a part never splits such a pair; a UCS-2 part
never splits a surrogate pair (an emoji takes two units).

The Finnish and Swedish letters ä ö å Ä Ö Å are in the GSM-7 basic alphabet, so Nordic text
stays in GSM-7 as long as it avoids typographic punctuation: :func:`gsm7_safe` swaps those for
their GSM-7 equivalents. Which characters are in GSM-7 is the gsm0338 codec's business.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

import gsm0338

SINGLE_GSM7 = 160
PART_GSM7 = 153
SINGLE_UCS2 = 70
PART_UCS2 = 67

Encoding = Literal["GSM-7", "UCS-2"]

_CODEC = gsm0338.Codec()
# ESC is in the codec's table, but a literal ESC in a body would be read as the start of an
# extension character by the phone; it is never sendable as text.
_ESCAPE = "\x1b"

# Typographic characters that phones and word processors put in text, and the GSM-7 character
# each one should become. Characters not listed here lose their accents when that lands them in
# GSM-7 (é stays, it is in the alphabet; á becomes a; ë becomes e).
_TYPOGRAPHIC = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u0060": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2039": "'", "\u203a": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...", "\u2022": "*", "\u00b7": "*",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
    "\u2007": " ", "\u200b": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\t": " ", "\u2028": "\n", "\u2029": "\n",
}


@dataclass(frozen=True)
class SmsSize:
    """What a body costs: its encoding, its length in septets (GSM-7) or 16-bit units (UCS-2),
    and the number of segments (billable SMS parts) it is sent as."""

    encoding: Encoding
    units: int
    segments: int


def _septets(character: str) -> int | None:
    """Septets a character takes in GSM-7, or None when it is not in the alphabet."""
    if character == _ESCAPE:
        return None
    try:
        encoded, _ = _CODEC.encode(character)
    except UnicodeError:
        return None
    return len(encoded)


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` is in the GSM-7 basic or extension table."""
    return all(_septets(character) is not None for character in text)


def _pack(widths: list[int], single: int, part: int) -> int:
    """Segments needed for characters of the given widths, never splitting a character."""
    if sum(widths) <= single:
        return 1
    segments, used = 1, 0
    for width in widths:
        if used + width > part:
            segments, used = segments + 1, 0
        used += width
    return segments


def measure(text: str) -> SmsSize:
    """The encoding, length and segment count of an SMS body. An empty body is one segment."""
    septets = [_septets(character) for character in text]
    if all(width is not None for width in septets):
        widths = [width for width in septets if width is not None]
        return SmsSize("GSM-7", sum(widths), _pack(widths, SINGLE_GSM7, PART_GSM7))
    # UCS-2 as phones send it is UTF-16: characters beyond the basic plane take two units.
    widths = [2 if ord(character) > 0xFFFF else 1 for character in text]
    return SmsSize("UCS-2", sum(widths), _pack(widths, SINGLE_UCS2, PART_UCS2))


def segments(text: str) -> int:
    """How many SMS segments ``text`` is sent as (160/153 GSM-7 septets, 70/67 UCS-2 units)."""
    return measure(text).segments


def gsm7_safe(text: str) -> str:
    """``text`` with typographic characters and stray accents replaced by GSM-7 equivalents.

    Smart quotes become straight ones, dashes a hyphen, an ellipsis three dots, odd spaces a
    space; a letter outside GSM-7 loses its accent when the plain letter is in GSM-7 (Zoë ->
    Zoe), while the letters GSM-7 has (ä ö å é ü ñ ...) are kept. Anything else (an emoji, a
    Cyrillic letter) is left alone: it is the sender's choice to send UCS-2 then.
    """
    out: list[str] = []
    for character in unicodedata.normalize("NFC", text):
        if _septets(character) is not None:
            out.append(character)
        elif character in _TYPOGRAPHIC:
            out.append(_TYPOGRAPHIC[character])
        else:
            decomposed = unicodedata.normalize("NFKD", character)
            plain = "".join(part for part in decomposed if not unicodedata.combining(part))
            out.append(plain if plain and is_gsm7(plain) else character)
    return "".join(out)
