"""What the demo prints reads as words: the caller's key at the language menu, dial attempts in
words, and staff by name even when they were added through the API while it ran."""
from __future__ import annotations

import io

from helpline.demo.day import ATTEMPT_WORDS, StaffNames
from helpline.demo.output import Console
from helpline.models.calls import DialAttemptResult


def test_every_dial_attempt_result_has_words():
    assert set(ATTEMPT_WORDS) == set(DialAttemptResult)
    assert "_" not in " ".join(ATTEMPT_WORDS.values())


def test_the_key_a_caller_pressed_is_shown_between_what_they_heard(tmp_path):
    out = io.StringIO()
    Console(out).quotes("heard", ["Tervetuloa.", "For English, press 3.", "We are connecting you."],
                        notes={2: "[presses 3: English]"})
    lines = [line.strip() for line in out.getvalue().splitlines()]
    assert lines == ["heard:        “Tervetuloa.”", "“For English, press 3.”", "[presses 3: English]",
                     "“We are connecting you.”"]


def test_someone_added_through_the_api_is_named_by_the_demo(line, make_staff):
    names = StaffNames(line.db)
    assert names.of_phone("+358401234567") == "040 1234567"  # nobody's yet: the number as people write it
    added = make_staff("Outi Uusi", "+358401234567")
    assert names.of_phone("+358401234567") == "Outi Uusi" and names.of_id(added.id) == "Outi Uusi"
    assert names.of_phone(None) == "withheld number" and names.of_id(None) == "nobody yet"
