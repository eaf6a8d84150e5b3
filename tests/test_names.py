"""Names are one line of visible text: no line breaks, tabs, NULs or other control characters, and
no bidirectional overrides, since names go into SMS, pages and the audit log."""
from __future__ import annotations

import pytest

from helpline.names import UnsafeName, check_name, unsafe_character

REFUSED = [
    ("Aino\nAalto", "a line break (U+000A)"), ("Aino\rAalto", "a carriage return (U+000D)"),
    ("Aino\tAalto", "a tab (U+0009)"), ("Aino\x00", "a NUL character (U+0000)"),
    ("Aino\x1b[31m", "a control character (U+001B)"), ("Aino\x7f", "a control character (U+007F)"),
    ("Aino\x85", "a control character (U+0085)"), ("Aino\u2028Aalto", "a line break (U+2028)"),
    ("Aino\u2029", "a line break (U+2029)"), ("\u202eonia", "a bidirectional text control (U+202E)"),
    ("Aino\u2066x\u2069", "a bidirectional text control (U+2066)"), ("A\u200fino", "a bidirectional text control (U+200F)"),
]
ALLOWED = ["Aino Aalto", "Åsa Öberg-Ström", "Ali Al\u2011Hassan", "مریم\u200cشیرازی", "Pekka 👨\u200d👩\u200d👧",
           "Li Wei (李伟)", "O'Brien"]


@pytest.mark.parametrize(("name", "described"), REFUSED)
def test_a_name_with_a_control_character_is_refused_saying_which_and_where(name, described):
    with pytest.raises(UnsafeName) as refused:
        check_name(name, "name")
    assert str(refused.value).startswith("name may not contain line breaks, tabs or other control characters")
    assert described in str(refused.value)


@pytest.mark.parametrize("name", ALLOWED)
def test_ordinary_names_in_any_script_pass_joiners_included(name):
    assert unsafe_character(name) is None
    assert check_name(name) == name
