"""Times in words as the line writes them in an SMS (the spoken ones: tests/webhooks/test_voice_prompts.py)."""
from __future__ import annotations

import pytest

from helpline.texts.times import call_time, opening_hours
from tests.texts.conftest import HELSINKI, OFFICE, at, weekly


@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [
        ("2027-01-11 10:05", "fi", "ma 11.1. klo 10.05"),
        ("2027-01-11 09:00", "sv", "mån 11.1. kl. 9.00"),
        ("2027-01-17 23:59", "en", "Sun 17 Jan 23:59"),
        ("2027-03-28 04:30", "fi", "su 28.3. klo 4.30"),  # the morning the clocks went forward
        ("2027-12-06 12:00", "de", "ma 6.12. klo 12.00"),  # an unknown language falls back to Finnish
    ],
)
def test_a_calls_time_is_written_the_local_way(moment, language, expected):
    assert call_time(at(moment), HELSINKI, language) == expected


@pytest.mark.parametrize(
    ("schedule", "language", "expected"),
    [
        (OFFICE, "fi", "ma-pe 9-15"),
        (weekly({**{day: [(540, 900)] for day in range(5)}, 5: [(600, 840)]}), "sv", "mån-fre 9-15, lör 10-14"),
        (weekly({day: [(540, 720), (780, 900)] for day in range(5)}), "fi", "ma-pe 9-12 ja 13-15"),
        (weekly({0: [(570, 900)], 2: [(570, 900)]}), "en", "Mon 9:30-15, Wed 9:30-15"),
        (weekly({0: [(540, 900)], 1: [(540, 900)], 2: [(540, 960)], 3: [(540, 900)]}), "fi",
         "ma-ti 9-15, ke 9-16, to 9-15"),
        (weekly({5: [(600, 1440)], 6: [(0, 120)]}), "sv", "lör 10-24, sön 0-2"),  # open over midnight
        (weekly({}), "fi", ""),
    ],
)
def test_opening_hours_are_summarised_in_a_few_words(schedule, language, expected):
    assert opening_hours(schedule, language) == expected
