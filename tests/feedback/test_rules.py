"""When callers and staff are asked, and how their replies are read: pure, with worked answers."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from conftest import helsinki
from helpline.feedback.rules import ScoreReply, feedback_send_time, pulse_send_time, pulse_survey, read_score_reply
from helpline.rota.rules import ClosurePeriod, LineCalendar, WeeklySchedule

TZ = ZoneInfo("Europe/Helsinki")
WEEKDAYS_9_TO_15 = WeeklySchedule.from_rows((day, 9 * 60, 15 * 60) for day in range(5))


@pytest.mark.parametrize(("body", "expected"), [
    ("4", ScoreReply(4, None)),
    ("4/5", ScoreReply(4, None)),
    ("  5 / 5 ", ScoreReply(5, None)),
    ("4.", ScoreReply(4, None)),
    ("3, kiitos paljon", ScoreReply(3, "kiitos paljon")),
    ("5 Tack  för\nhjälpen!", ScoreReply(5, "Tack för hjälpen!")),
    ("1 - en saanut apua", ScoreReply(1, "en saanut apua")),
    # Not a score 1-5: the words are kept, the score is not guessed.
    ("10", ScoreReply(None, "10")),
    ("45", ScoreReply(None, "45")),
    ("4.5", ScoreReply(None, "4.5")),
    ("0", ScoreReply(None, "0")),
    ("6", ScoreReply(None, "6")),
    ("kiitos", ScoreReply(None, "kiitos")),
    ("", ScoreReply(None, None)),
])
def test_a_reply_is_read_as_a_leading_score_and_the_words_after_it(body, expected):
    assert read_score_reply(body) == expected


def test_a_long_reply_keeps_its_first_three_hundred_characters():
    assert read_score_reply("4 " + "sana " * 100).comment == ("sana " * 60).strip()[:300]


def test_a_callback_closed_in_the_afternoon_gets_its_question_half_an_hour_later():
    assert feedback_send_time(helsinki("2027-01-11 14:10"), TZ) == helsinki("2027-01-11 14:40")


@pytest.mark.parametrize(("closed", "asked"), [
    ("2027-01-11 19:29", "2027-01-11 19:59"),  # still the daytime
    ("2027-01-11 19:30", "2027-01-12 09:00"),  # 20:00 is night: the next morning
    ("2027-01-11 23:50", "2027-01-12 09:00"),  # past midnight, still the next morning
    ("2027-01-12 06:00", "2027-01-12 09:00"),  # early morning: that morning
])
def test_nobody_is_asked_for_feedback_at_night(closed, asked):
    assert feedback_send_time(helsinki(closed), TZ) == helsinki(asked)


def test_a_question_moved_over_the_spring_clock_change_goes_at_nine_local_time():
    # Saturday 27 March 2027, 21:00 EET; the clocks go forward that night (03:00 -> 04:00).
    asked = feedback_send_time(datetime(2027, 3, 27, 19, 0, tzinfo=timezone.utc), TZ)
    assert asked.astimezone(TZ).isoformat() == "2027-03-28T09:00:00+03:00"


def test_a_feedback_time_needs_an_aware_instant():
    with pytest.raises(ValueError, match="aware"):
        feedback_send_time(datetime(2027, 1, 11, 14, 0), TZ)


def test_the_pulse_round_is_the_local_month():
    # 31 January 23:30 UTC is already 1 February in Helsinki.
    assert pulse_survey(datetime(2027, 1, 31, 23, 30, tzinfo=timezone.utc), TZ) == "2027-02"
    assert pulse_survey(helsinki("2027-01-31 23:59"), TZ) == "2027-01"


def test_the_january_pulse_waits_for_the_first_working_day_after_new_year():
    # 1 January 2027 is a Friday and a public holiday; the line first opens Monday 4 January, 09:00.
    calendar = LineCalendar(timezone=TZ, weekly=WEEKDAYS_9_TO_15, holiday_calendar="FI")
    assert pulse_send_time("2027-01", calendar) == helsinki("2027-01-04 10:00")


def test_the_pulse_skips_a_closure_on_the_first_opening_of_the_month():
    # Monday 1 February 2027 closed all day for training: Tuesday then.
    closure = ClosurePeriod(helsinki("2027-02-01 00:00"), helsinki("2027-02-02 00:00"), "training")
    calendar = LineCalendar(timezone=TZ, weekly=WEEKDAYS_9_TO_15, holiday_calendar="FI", closures=(closure,))
    assert pulse_send_time("2027-02", calendar) == helsinki("2027-02-02 10:00")


def test_a_line_without_office_hours_still_asks_on_the_first_at_ten():
    calendar = LineCalendar(timezone=TZ, weekly=WeeklySchedule(), holiday_calendar="FI")
    assert pulse_send_time("2027-03", calendar) == helsinki("2027-03-01 10:00")
