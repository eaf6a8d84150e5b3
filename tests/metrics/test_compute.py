"""All figures for a period and per local ISO week, split by each row's anchor."""
from __future__ import annotations

import pytest

from helpline.metrics.compute import Period, compute
from helpline.metrics.rows import EventRow, MetricRows

from tests.metrics.conftest import at, call, callback


def test_a_supervisor_gets_the_period_and_each_iso_week_in_it_clipped_to_the_period(calendar):
    rows = MetricRows(
        calls=(call("2027-01-03 23:59"),  # Sunday of week 53 of 2026, before the period
               call("2027-01-04 00:00", "voicemail"),  # Monday 00:00 local: week 1, the first instant
               call("2027-01-10 23:59", "no_message"),  # Sunday night: still week 1
               call("2027-01-11 00:00"),  # week 2
               call("2027-01-13 12:00"),  # week 2
               call("2027-01-14 00:00")),  # the period's end: outside
        # Taken in week 1, closed in week 2: a request of week 1 and an outcome of week 2.
        callbacks=(callback("2027-01-08 16:00", ack="2027-01-11 09:10", closed="2027-01-11 10:00",
                            outcome="referred", topic="Grief"),),
        events=(EventRow(99, at("2027-01-11 09:00"), "assigned", 7),),
    )
    period = Period(at("2027-01-04 00:00"), at("2027-01-14 00:00"))
    metrics = compute(rows, period, calendar=calendar, now=at("2027-01-20 12:00"))
    assert metrics.period.contacts.calls == 4
    assert [week.label for week in metrics.weeks] == ["2027-W01", "2027-W02"]
    first, second = (week.figures for week in metrics.weeks)
    assert (first.start, first.end, second.start, second.end) == (
        period.start, at("2027-01-11 00:00"), at("2027-01-11 00:00"), period.end)
    assert (first.contacts.calls, second.contacts.calls) == (2, 2)
    assert (first.contacts.callback_requests, second.contacts.callback_requests) == (1, 0)
    # Friday 16:00 -> due Monday 15:00; OK at Monday 09:10 (65 h 10 min): within, in week 1.
    assert first.response.within_target == 1 and first.response.median_seconds == (65 * 60 + 10) * 60
    assert (first.outcomes.referred, second.outcomes.referred) == (0, 1)
    assert second.topics.top == (("Grief", 1),)
    assert [row.staff_id for row in second.staff_load.staff] == [7]


def test_weeks_are_local_even_when_the_period_starts_midweek_across_the_autumn_dst_change(calendar):
    # Wednesday 2027-10-27 to Wednesday 2027-11-03 local; the clocks go back on Sunday 31.10.
    period = Period(at("2027-10-27 00:00"), at("2027-11-03 00:00"))
    rows = MetricRows(calls=(call(at("2027-11-01 00:30")),))  # Monday 00:30 EET, week 44
    metrics = compute(rows, period, calendar=calendar, now=at("2027-11-03 00:00"))
    assert [week.label for week in metrics.weeks] == ["2027-W43", "2027-W44"]
    # Monday 1.11 00:00 EET is 22:00 UTC on Sunday.
    assert metrics.weeks[1].figures.start.isoformat() == "2027-10-31T22:00:00+00:00"
    assert [week.figures.contacts.calls for week in metrics.weeks] == [0, 1]


def test_a_period_must_be_aware_and_run_forwards():
    from datetime import datetime

    with pytest.raises(ValueError, match="aware"):
        Period(datetime(2027, 1, 1), at("2027-01-02 00:00"))
    with pytest.raises(ValueError, match="end after"):
        Period(at("2027-01-02 00:00"), at("2027-01-01 00:00"))
