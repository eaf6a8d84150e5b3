"""Who gets rung, in which order: helpline.rota.rules.on_duty over plain DutyShift data."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conftest import HELSINKI, helsinki
from helpline.rota.rules import DutyShift, NaiveTimeError, on_duty

_shift_ids = iter(range(1, 1_000_000))


def shift(staff_id: int, starts: datetime, ends: datetime, priority: int = 100, *, active: bool = True) -> DutyShift:
    return DutyShift(shift_id=next(_shift_ids), staff_id=staff_id, staff_name=f"Staff {staff_id}",
                     phone=f"+35840000{staff_id:04d}", starts_at=starts, ends_at=ends, priority=priority,
                     active=active)


def ringing_order(now: datetime, shifts: list[DutyShift]) -> list[int]:
    return [duty.staff_id for duty in on_duty(now, shifts)]


DAY = (helsinki("2027-01-11 08:00"), helsinki("2027-01-11 16:00"))
NOW = helsinki("2027-01-11 10:00")


@pytest.mark.parametrize(("shifts", "expected"), [
    # Lower priority rings first, whatever order the rota lists them in.
    ([shift(1, *DAY, priority=2), shift(2, *DAY, priority=1)], [2, 1]),
    # Same priority: who started earlier rings first ...
    ([shift(1, helsinki("2027-01-11 09:00"), DAY[1]), shift(2, *DAY)], [2, 1]),
    # ... and with the same start too, the lower staff id.
    ([shift(7, *DAY), shift(3, *DAY), shift(5, *DAY)], [3, 5, 7]),
    # Priority beats an earlier start.
    ([shift(1, *DAY, priority=5), shift(2, helsinki("2027-01-11 09:59"), DAY[1], priority=1)], [2, 1]),
])
def test_staff_are_rung_by_priority_then_start_then_id(shifts, expected):
    assert ringing_order(NOW, shifts) == expected


def test_a_person_with_overlapping_shifts_is_rung_once_at_their_best_priority():
    shifts = [shift(1, *DAY, priority=9), shift(2, *DAY, priority=5),
              shift(1, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 11:00"), priority=1)]
    duty = on_duty(NOW, shifts)
    assert [(d.staff_id, d.priority) for d in duty] == [(1, 1), (2, 5)]
    # Once that better shift has ended, the person is back at their day-long priority.
    assert [(d.staff_id, d.priority) for d in on_duty(helsinki("2027-01-11 11:00"), shifts)] == [(2, 5), (1, 9)]


def test_an_inactive_staff_member_is_never_rung():
    shifts = [shift(1, *DAY, priority=1, active=False), shift(2, *DAY, priority=2)]
    assert ringing_order(NOW, shifts) == [2]
    assert ringing_order(NOW, shifts[:1]) == []


@pytest.mark.parametrize(("moment", "expected"), [
    (helsinki("2027-01-11 07:59:59"), []),
    (helsinki("2027-01-11 08:00"), [1]),  # a shift starts on time
    (helsinki("2027-01-11 15:59:59"), [1]),
    (helsinki("2027-01-11 16:00"), [2]),  # and ends exactly at its end: the next one takes over
])
def test_a_shift_includes_its_start_and_excludes_its_end(moment, expected):
    shifts = [shift(1, *DAY), shift(2, DAY[1], helsinki("2027-01-11 20:00"))]
    assert ringing_order(moment, shifts) == expected


def test_nobody_is_on_duty_when_the_rota_is_empty():
    assert on_duty(NOW, []) == []


def test_a_naive_now_is_refused():
    with pytest.raises(NaiveTimeError):
        on_duty(datetime(2027, 1, 11, 10), [shift(1, *DAY)])


@pytest.mark.parametrize(("starts", "ends"), [
    (datetime(2027, 1, 11, 8), DAY[1]),
    (DAY[0], datetime(2027, 1, 11, 16)),
])
def test_a_shift_with_a_naive_time_is_refused(starts, ends):
    with pytest.raises(NaiveTimeError):
        shift(1, starts, ends)


# --- night shifts across the DST changes (Sat 22:00 -> Sun 06:00 local) ---------------------

SPRING_NIGHT = shift(1, helsinki("2027-03-27 22:00"), helsinki("2027-03-28 06:00"))
AUTUMN_NIGHT = shift(1, helsinki("2027-10-30 22:00"), helsinki("2027-10-31 06:00"))


def utc(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(("night", "real_length"), [(SPRING_NIGHT, 7), (AUTUMN_NIGHT, 9)])
def test_a_night_shift_across_the_clock_change_lasts_its_real_length(night, real_length):
    length = night.ends_at.astimezone(timezone.utc) - night.starts_at.astimezone(timezone.utc)
    assert length == timedelta(hours=real_length)


@pytest.mark.parametrize(("night", "moment", "on"), [
    (SPRING_NIGHT, utc("2027-03-27 19:59"), False),  # 21:59+02
    (SPRING_NIGHT, utc("2027-03-27 20:00"), True),  # 22:00+02
    (SPRING_NIGHT, utc("2027-03-28 00:59"), True),  # 02:59+02, a minute before the jump
    (SPRING_NIGHT, utc("2027-03-28 01:00"), True),  # 04:00+03, just after it
    (SPRING_NIGHT, utc("2027-03-28 02:59"), True),  # 05:59+03
    (SPRING_NIGHT, utc("2027-03-28 03:00"), False),  # 06:00+03
    (AUTUMN_NIGHT, utc("2027-10-30 18:59"), False),  # 21:59+03
    (AUTUMN_NIGHT, utc("2027-10-30 19:00"), True),  # 22:00+03
    (AUTUMN_NIGHT, utc("2027-10-31 00:30"), True),  # 03:30+03, the first time
    (AUTUMN_NIGHT, utc("2027-10-31 01:30"), True),  # 03:30+02, the second time
    (AUTUMN_NIGHT, datetime(2027, 10, 31, 3, 30, tzinfo=HELSINKI, fold=0), True),
    (AUTUMN_NIGHT, datetime(2027, 10, 31, 3, 30, tzinfo=HELSINKI, fold=1), True),
    (AUTUMN_NIGHT, utc("2027-10-31 03:59"), True),  # 05:59+02
    (AUTUMN_NIGHT, utc("2027-10-31 04:00"), False),  # 06:00+02
])
def test_the_night_shift_is_on_duty_through_the_whole_night_and_not_after(night, moment, on):
    assert ringing_order(moment, [night]) == ([1] if on else [])


def test_in_the_repeated_hour_a_shift_ending_at_the_first_0330_is_off_duty_the_second_time():
    # Shifts and now all in Helsinki time: Python would compare these by wall clock, fold ignored.
    handover = datetime(2027, 10, 31, 3, 30, tzinfo=HELSINKI, fold=0)
    early = shift(1, helsinki("2027-10-30 22:00"), handover)
    late = shift(2, handover, helsinki("2027-10-31 06:00"))
    first_0315 = datetime(2027, 10, 31, 3, 15, tzinfo=HELSINKI, fold=0)
    second_0315 = datetime(2027, 10, 31, 3, 15, tzinfo=HELSINKI, fold=1)
    assert ringing_order(first_0315, [early, late]) == [1]
    assert ringing_order(second_0315, [early, late]) == [2]
    assert ringing_order(utc("2027-10-31 01:15"), [early, late]) == [2]
