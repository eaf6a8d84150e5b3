"""The gap finder: office hours with nobody on the rota, on ordinary days, DST Sundays, holidays
and closures."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpline.rota.coverage import coming_weeks, rota_gaps
from helpline.rota.rules import ClosurePeriod, DutyShift, LineCalendar, WeeklySchedule

TZ = ZoneInfo("Europe/Helsinki")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def week(**days: list[tuple[str, str]]) -> WeeklySchedule:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    rows = []
    for name, intervals in days.items():
        for opens, closes in intervals:
            h1, m1 = map(int, opens.split(":"))
            h2, m2 = map(int, closes.split(":"))
            rows.append((names.index(name), h1 * 60 + m1, h2 * 60 + m2))
    return WeeklySchedule.from_rows(rows)


WEEKDAYS_9_15 = week(**{d: [("09:00", "15:00")] for d in ("mon", "tue", "wed", "thu", "fri")})


def shift(starts: str, ends: str, *, staff_id: int = 1, active: bool = True) -> DutyShift:
    return DutyShift(shift_id=staff_id * 1000 + len(starts), staff_id=staff_id, staff_name=f"S{staff_id}",
                     phone="+358401234567", starts_at=at(starts), ends_at=at(ends), active=active)


def gaps_as_text(gaps) -> list[tuple[str, str]]:
    return [(g.starts_at.strftime("%Y-%m-%d %H:%M"), g.ends_at.strftime("%Y-%m-%d %H:%M")) for g in gaps]


CASES = [
    pytest.param(WEEKDAYS_9_15, [], "2027-01-11 00:00", "2027-01-12 00:00", [],
                 [("2027-01-11 09:00", "2027-01-11 15:00")], id="a day nobody is on the rota is one gap"),
    pytest.param(WEEKDAYS_9_15, [shift("2027-01-11 09:00", "2027-01-11 15:00")], "2027-01-11 00:00",
                 "2027-01-12 00:00", [], [], id="a full shift leaves no gap"),
    pytest.param(WEEKDAYS_9_15, [shift("2027-01-11 09:00", "2027-01-11 11:00"),
                                 shift("2027-01-11 12:30", "2027-01-11 16:00", staff_id=2)],
                 "2027-01-11 00:00", "2027-01-12 00:00", [], [("2027-01-11 11:00", "2027-01-11 12:30")],
                 id="the lunch hour between two shifts is a gap"),
    pytest.param(WEEKDAYS_9_15, [shift("2027-01-11 09:00", "2027-01-11 12:00"),
                                 shift("2027-01-11 12:00", "2027-01-11 15:00", staff_id=2)],
                 "2027-01-11 00:00", "2027-01-12 00:00", [], [], id="back-to-back shifts leave no gap"),
    pytest.param(WEEKDAYS_9_15, [shift("2027-01-11 09:00", "2027-01-11 15:00", active=False)],
                 "2027-01-11 00:00", "2027-01-12 00:00", [], [("2027-01-11 09:00", "2027-01-11 15:00")],
                 id="a deactivated person's shift covers nothing"),
    pytest.param(WEEKDAYS_9_15, [], "2027-01-11 10:30", "2027-01-11 12:00", [],
                 [("2027-01-11 10:30", "2027-01-11 12:00")], id="only the window asked about counts"),
    pytest.param(WEEKDAYS_9_15, [], "2027-01-06 00:00", "2027-01-07 00:00", [], [],
                 id="Epiphany is a public holiday: closed, so no gap"),
    pytest.param(WEEKDAYS_9_15, [], "2027-01-13 00:00", "2027-01-14 00:00",
                 [ClosurePeriod(at("2027-01-13 00:00"), at("2027-01-13 12:00"), "training")],
                 [("2027-01-13 12:00", "2027-01-13 15:00")], id="a closure is not a gap"),
    pytest.param(week(sun=[("01:00", "06:00")]), [shift("2026-03-29 01:00", "2026-03-29 04:00")],
                 "2026-03-29 00:00", "2026-03-30 00:00", [], [("2026-03-29 04:00", "2026-03-29 06:00")],
                 id="spring DST Sunday: the skipped hour is no gap, the wall clock is"),
    pytest.param(week(sun=[("01:00", "06:00")]), [], "2027-03-28 00:00", "2027-03-29 00:00", [], [],
                 id="spring DST Sunday 2027 is Easter Sunday: a holiday, so no gap"),
    pytest.param(week(sun=[("02:00", "05:00")]), [shift("2027-10-31 02:00", "2027-10-31 03:30")],
                 "2027-10-31 00:00", "2027-11-01 00:00", [], [("2027-10-31 03:30", "2027-10-31 05:00")],
                 id="autumn DST Sunday: the repeated hour is covered once, the gap starts after it"),
    pytest.param(week(fri=[("20:00", "24:00")], sat=[("00:00", "02:00")]),
                 [shift("2027-01-15 20:00", "2027-01-15 23:00")], "2027-01-15 00:00", "2027-01-17 00:00", [],
                 [("2027-01-15 23:00", "2027-01-16 02:00")], id="a night across midnight is one gap"),
]


@pytest.mark.parametrize(("weekly", "shifts", "starts", "ends", "closures", "expected"), CASES)
def test_a_supervisor_is_warned_of_each_stretch_of_office_hours_nobody_covers(weekly, shifts, starts, ends,
                                                                              closures, expected):
    calendar = LineCalendar(timezone=TZ, weekly=weekly, holiday_calendar="FI", closures=tuple(closures))
    assert gaps_as_text(rota_gaps(calendar, shifts, at(starts), at(ends))) == expected


def test_gaps_carry_the_right_offset_and_length_across_the_spring_change():
    calendar = LineCalendar(timezone=TZ, weekly=week(sun=[("02:00", "05:00")]))
    (gap,) = rota_gaps(calendar, [], at("2026-03-29 00:00"), at("2026-03-30 00:00"))
    assert gap.starts_at.utcoffset() == timedelta(hours=2)
    assert gap.ends_at.utcoffset() == timedelta(hours=3)
    assert gap.duration == timedelta(hours=2)  # 02:00 EET to 05:00 EEST


def test_this_week_and_next_run_from_now_to_the_monday_after_next():
    calendar = LineCalendar(timezone=TZ, weekly=WEEKDAYS_9_15)
    starts, ends = coming_weeks(at("2027-01-13 10:00"), calendar)
    assert starts == at("2027-01-13 10:00")
    assert ends == at("2027-01-25 00:00")


def test_naive_times_are_refused():
    calendar = LineCalendar(timezone=TZ, weekly=WEEKDAYS_9_15)
    with pytest.raises(ValueError):
        rota_gaps(calendar, [], datetime(2027, 1, 11), datetime(2027, 1, 12))
