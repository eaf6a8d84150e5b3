"""The pure rules of a block: it ends at the same local time some days later, applies before that
and never after, and matches a number by a keyed hash that the national and E.164 forms share."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from helpline.blocks.rules import (
    MAX_DAYS, ends_at, in_force, notice_languages, number_hash, number_hint, removable_after,
)
from helpline.phones import InvalidPhoneNumber, normalise

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


@pytest.mark.parametrize(("made", "days", "ends"), [
    ("2027-01-11 10:00", 7, "2027-01-18 10:00"),
    ("2027-03-27 10:00", 1, "2027-03-28 10:00"),  # over the spring DST Sunday: 23 hours
    ("2027-10-30 10:00", 1, "2027-10-31 10:00"),  # over the autumn one: 25 hours
    ("2027-03-20 23:30", 8, "2027-03-28 23:30"),
    ("2027-12-31 18:00", 365, "2028-12-30 18:00"),  # 2028 is a leap year
])
def test_a_block_ends_at_the_same_local_time_its_days_later(made, days, ends):
    assert ends_at(helsinki(made), days, HELSINKI) == helsinki(ends)


def test_a_block_over_the_spring_sunday_lasts_23_hours_and_over_the_autumn_one_25():
    assert ends_at(helsinki("2027-03-27 10:00"), 1, HELSINKI) - helsinki("2027-03-27 10:00") == timedelta(hours=23)
    assert ends_at(helsinki("2027-10-30 10:00"), 1, HELSINKI) - helsinki("2027-10-30 10:00") == timedelta(hours=25)


def test_a_block_ending_in_the_hour_the_clocks_skip_ends_after_it_not_before():
    end = ends_at(helsinki("2027-03-27 03:30"), 1, HELSINKI)  # 03:30 on the 28th does not exist
    assert helsinki("2027-03-28 02:59") < end <= helsinki("2027-03-28 04:30")


@pytest.mark.parametrize("days", [0, -1, MAX_DAYS + 1])
def test_a_block_of_no_days_or_more_than_a_year_is_refused(days):
    with pytest.raises(ValueError):
        ends_at(helsinki("2027-01-11 10:00"), days, HELSINKI)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        ends_at(datetime(2027, 1, 11, 10), 1, HELSINKI)
    with pytest.raises(ValueError):
        in_force(helsinki("2027-01-12 10:00"), datetime(2027, 1, 11, 10))


@pytest.mark.parametrize(("now", "applies"), [
    ("2027-01-11 10:00", True),
    ("2027-01-18 09:59", True),
    ("2027-01-18 10:00", False),  # the end itself is already free
    ("2027-02-01 00:00", False),
])
def test_a_block_applies_before_its_end_and_never_after(now, applies):
    assert in_force(helsinki("2027-01-18 10:00"), helsinki(now)) is applies


def test_the_same_instant_in_another_zone_is_the_same_answer():
    end = helsinki("2027-01-18 10:00")
    assert in_force(end, end.astimezone(timezone.utc) - timedelta(seconds=1))
    assert not in_force(end, end.astimezone(timezone.utc))


@given(st.sampled_from(["040 123 4567", "0401234567", "+358 40 123 4567", "+358401234567", "00358401234567"]))
def test_a_finnish_number_in_any_form_matches_the_same_hash(written):
    assert number_hash("key", normalise(written)) == number_hash("key", "+358401234567")


@given(st.text(max_size=30))
def test_whatever_is_typed_is_either_refused_in_words_or_hashed_to_64_hex_digits(written):
    try:
        number = normalise(written)
    except InvalidPhoneNumber as error:
        assert str(error)
        return
    hashed = number_hash("key", number)
    assert len(hashed) == 64 and int(hashed, 16) >= 0
    assert hashed != number


def test_the_hash_depends_on_the_secret_key_and_hides_the_number():
    assert number_hash("one", "+358401234567") != number_hash("two", "+358401234567")
    assert number_hash("", "+358401234567") == number_hash("", "+358401234567")  # development key: stable
    assert "401234567" not in number_hash("one", "+358401234567")
    assert number_hint("+358401234567") == "…567"


@pytest.mark.parametrize(("offered", "said"), [
    (("fi", "sv", "en"), ("fi", "sv")),
    (("sv", "fi", "en"), ("sv", "fi")),
    (("fi", "en"), ("fi",)),
    (("fi",), ("fi",)),
    (("en", "fi", "sv"), ("en",)),
])
def test_a_blocked_caller_hears_the_default_language_and_the_other_national_one(offered, said):
    assert notice_languages(offered) == said


def test_retention_removes_an_ended_block_its_retention_days_after_the_end():
    end = helsinki("2027-01-18 10:00").astimezone(timezone.utc)  # as the database hands it back
    assert removable_after(end, 90) == end + timedelta(days=90)
