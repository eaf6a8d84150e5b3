"""Time to first response and "the same working day", on hand-built days (Mon-Fri 09-15, FI)."""
from __future__ import annotations

import pytest

from helpline.metrics.response import Deadlines, ResponseTarget, percentile, response_times

from tests.metrics.conftest import at, callback


@pytest.mark.parametrize("requested, due", [
    # In office hours: by that day's closing time.
    ("2027-01-11 10:00", "2027-01-11 15:00"),
    ("2027-01-11 14:59", "2027-01-11 15:00"),
    # Before opening on a working day: still that day.
    ("2027-01-11 07:00", "2027-01-11 15:00"),
    # After closing: the next opening day.
    ("2027-01-11 15:00", "2027-01-12 15:00"),
    # Friday evening and the weekend: Monday.
    ("2027-01-08 16:30", "2027-01-11 15:00"),
    ("2027-01-10 12:00", "2027-01-11 15:00"),
    # Tuesday evening before Epiphany (Wednesday 2027-01-06, a holiday): Thursday.
    ("2027-01-05 16:00", "2027-01-07 15:00"),
    ("2027-01-06 11:00", "2027-01-07 15:00"),
    # Thursday evening before Easter 2027, which has the spring DST change on Easter Sunday
    # (03-28): Good Friday and Easter Monday are holidays, so Tuesday 15:00 EEST.
    ("2027-03-25 17:00", "2027-03-30 15:00"),
])
def test_a_request_is_due_by_the_end_of_the_working_day_it_was_taken_or_the_next_one(calendar, requested, due):
    assert Deadlines(calendar, ResponseTarget()).due_by(at(requested)) == at(due)


def test_a_closure_moves_the_deadline_to_the_end_of_the_next_opening_day(calendar):
    from dataclasses import replace

    from helpline.rota.rules import ClosurePeriod

    closed = replace(calendar, closures=(ClosurePeriod(at("2027-01-12 00:00"), at("2027-01-13 00:00"), "retreat"),))
    # Monday evening; Tuesday is closed for a retreat: due by Wednesday's closing.
    assert Deadlines(closed, ResponseTarget()).due_by(at("2027-01-11 18:00")) == at("2027-01-13 15:00")


def test_an_hours_target_is_simply_that_many_hours_later(calendar):
    assert Deadlines(calendar, ResponseTarget(hours=24)).due_by(at("2027-01-05 16:00")) == at("2027-01-06 16:00")
    assert ResponseTarget(hours=24).label == "within 24 h" and ResponseTarget().label == "the same working day"


def test_the_same_stretch_of_closed_time_shares_one_deadline_however_it_is_asked(calendar):
    deadlines = Deadlines(calendar, ResponseTarget())
    # Asked late first, then earlier in the same weekend: the cache must not answer wrongly.
    assert deadlines.due_by(at("2027-01-10 23:00")) == at("2027-01-11 15:00")
    assert deadlines.due_by(at("2027-01-08 15:30")) == at("2027-01-11 15:00")
    assert deadlines.due_by(at("2027-01-08 14:00")) == at("2027-01-08 15:00")
    assert deadlines.due_by(at("2027-01-11 10:00")) == at("2027-01-11 15:00")


def test_response_times_take_the_first_of_ok_call_or_close_and_judge_the_target(calendar):
    requests = [
        # 08:30 Monday, OK at 09:30: 1 h = 3600 s; due Monday 15:00: within.
        callback("2027-01-11 08:30", ack="2027-01-11 09:30", attempt="2027-01-11 10:00"),
        # 14:50 Monday, first CALL at 15:20: 1800 s; due Monday 15:00: missed.
        callback("2027-01-11 14:50", attempt="2027-01-11 15:20", ack="2027-01-11 15:40"),
        # 16:00 Monday, closed (DONE from their own phone) Tuesday 09:05: 17 h 5 min = 61500 s;
        # due Tuesday 15:00: within.
        callback("2027-01-11 16:00", closed="2027-01-12 09:05", outcome="resolved"),
        # 23:30 Monday, nothing yet at Tuesday 16:00; due Tuesday 15:00: missed.
        callback("2027-01-11 23:30"),
        # Tuesday 15:30, nothing yet; due Wednesday 15:00, not judged yet.
        callback("2027-01-12 15:30"),
    ]
    figures = response_times(requests, Deadlines(calendar, ResponseTarget()), now=at("2027-01-12 16:00"))
    assert (figures.requests, figures.responded, figures.waiting) == (5, 3, 2)
    # Median of 1800, 3600, 61500 is 3600; 90th percentile by nearest rank: ceil(2.7) = 3rd = 61500.
    assert (figures.median_seconds, figures.p90_seconds) == (3600.0, 61500.0)
    # Judged: the three answered and the one past its deadline; within: the 08:30 and 16:00 ones.
    assert (figures.measured, figures.within_target, figures.share_within_target) == (4, 2, 0.5)


def test_response_time_over_the_spring_dst_change_counts_real_hours(calendar):
    # Good Friday 17:00 EET (15:00 UTC) to Easter Monday 14:30 EEST (11:30 UTC): 68.5 real
    # hours, not the 69.5 the wall clocks suggest; due Tuesday 15:00 EEST (both are holidays).
    requests = [callback("2027-03-26 17:00", ack="2027-03-29 14:30")]
    figures = response_times(requests, Deadlines(calendar, ResponseTarget()), now=at("2027-03-30 12:00"))
    assert figures.median_seconds == 68.5 * 3600
    assert figures.share_within_target == 1.0


def test_a_line_with_no_office_hours_has_no_same_day_target_to_judge(calendar):
    from dataclasses import replace

    from helpline.rota.rules import WeeklySchedule

    never_open = replace(calendar, weekly=WeeklySchedule())
    figures = response_times([callback("2027-01-11 10:00", ack="2027-01-11 10:30")],
                             Deadlines(never_open, ResponseTarget()), now=at("2027-01-12 10:00"))
    assert (figures.responded, figures.measured, figures.share_within_target) == (1, 0, None)


def test_percentiles_are_nearest_rank_values_that_really_happened():
    assert percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9) == 90
    assert percentile([5], 0.9) == 5 and percentile([], 0.9) is None
