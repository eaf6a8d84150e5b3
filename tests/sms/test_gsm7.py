"""SMS encoding and segment counts: what a message to a staff phone costs."""
from __future__ import annotations

import pytest

from helpline.sms.gsm7 import gsm7_safe, is_gsm7, measure, segments


@pytest.mark.parametrize(
    ("text", "encoding", "units", "expected_segments"),
    [
        ("", "GSM-7", 0, 1),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        # Finnish and Swedish letters are in the basic alphabet: one septet each.
        ("ä" * 160, "GSM-7", 160, 1),
        ("ÄÖÅäöå" * 26 + "äö", "GSM-7", 158, 1),
        ("é" * 160, "GSM-7", 160, 1),
        # The extension table costs two septets a character.
        ("€", "GSM-7", 2, 1),
        ("€" * 80, "GSM-7", 160, 1),
        ("€" * 81, "GSM-7", 162, 2),
        ("a" * 159 + "€", "GSM-7", 161, 2),
        ("[]{}", "GSM-7", 8, 1),
        # An escape pair never straddles two parts: 306 septets, yet three segments.
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),
        # One character outside GSM-7 turns the whole message into UCS-2.
        ("✓", "UCS-2", 1, 1),
        ("a" * 69 + "✓", "UCS-2", 70, 1),
        ("a" * 70 + "✓", "UCS-2", 71, 2),
        ("a" * 133 + "✓", "UCS-2", 134, 2),
        ("a" * 134 + "✓", "UCS-2", 135, 3),
        ("“quoted”", "UCS-2", 8, 1),
        # An emoji is two UTF-16 units, and a surrogate pair is never split either.
        ("😀", "UCS-2", 2, 1),
        ("a" * 66 + "😀" + "a" * 66, "UCS-2", 134, 3),
    ],
)
def test_a_message_costs_the_segments_a_phone_network_would_bill(text, encoding, units, expected_segments):
    size = measure(text)
    assert (size.encoding, size.units, size.segments) == (encoding, units, expected_segments)
    assert segments(text) == expected_segments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soittopyyntö #12: 040 1234567", True),
        ("Återuppringning, kl. 10.05", True),
        ("Hinta 5 € {ok} [x] ~ | ^ \\", True),
        ("Zoë", False),
        ("klo 9–15", False),
        ("”Hei”", False),
        ("tab\there", False),
        ("escape \x1b inside", False),
        ("line\nbreak", True),
    ],
)
def test_is_gsm7_tells_which_texts_fit_the_7_bit_alphabet(text, expected):
    assert is_gsm7(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Hei”, sanoi hän.", '"Hei", sanoi hän.'),
        ("It’s ‘fine’", "It's 'fine'"),
        ("ma–pe 9.00—15.00", "ma-pe 9.00-15.00"),
        ("Odota…", "Odota..."),
        ("040\u00a0123\u202f4567", "040 123 4567"),
        ("Zoë Dvořák", "Zoe Dvorak"),
        ("François", "Francois"),
        ("Åsa Ärlig Öberg, café", "Åsa Ärlig Öberg, café"),
        ("5 €", "5 €"),
        ("kiitos 😀", "kiitos 😀"),
        ("soft\u00adhyphen", "softhyphen"),
    ],
)
def test_gsm7_safe_keeps_nordic_letters_and_swaps_typography(text, expected):
    assert gsm7_safe(text) == expected


def test_a_typographic_staff_name_stays_in_one_gsm7_segment_once_made_safe():
    text = "Vuoro: “Zoë” – klo 9–15 … kiitos"
    assert measure(text).encoding == "UCS-2"
    safe = gsm7_safe(text)
    assert is_gsm7(safe)
    assert segments(safe) == 1
