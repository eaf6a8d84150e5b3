"""The callback queue's rules: who gets a callback, when reminders and escalations go out, when
it passes on, and what a caller is promised. Plain data in, decisions out."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from helpline.callbacks.rules import (
    ActionKind,
    CallbackPolicy,
    CallbackState,
    NextAction,
    after_failed_attempt,
    announce_at,
    caller_can_get_sms,
    choose_assignee,
    duty_ends_at,
    excluded_staff,
    handover_needed,
    next_assignable_at,
    next_reminder_at,
    plan_next_action,
    reminders_due_together,
    should_escalate,
)
from helpline.rota.rules import (
    ClosurePeriod,
    DutyShift,
    LineCalendar,
    NaiveTimeError,
    OpeningInterval,
    WeeklySchedule,
    on_duty,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
NINE_TO_THREE = OpeningInterval(9 * 60, 15 * 60)
OFFICE = LineCalendar(HELSINKI, WeeklySchedule({day: (NINE_TO_THREE,) for day in range(5)}), "FI")
POLICY = CallbackPolicy(reminder_interval=timedelta(minutes=30), escalate_after=3)


def at(text: str) -> datetime:
    """'2027-01-11 10:00' (a Monday) as an aware Helsinki instant."""
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


def shift(staff_id: int, starts: str, ends: str, priority: int = 100, languages: tuple[str, ...] = ("fi",),
          active: bool = True) -> DutyShift:
    return DutyShift(shift_id=staff_id * 1000 + len(starts), staff_id=staff_id, staff_name=f"Staff {staff_id}",
                     phone=f"+35840111000{staff_id}", starts_at=at(starts), ends_at=at(ends), priority=priority,
                     languages=languages, active=active)


AINO = shift(1, "2027-01-11 08:00", "2027-01-11 16:00", priority=1, languages=("fi",))
BERTIL = shift(2, "2027-01-11 08:00", "2027-01-11 16:00", priority=2, languages=("sv", "fi"))
CECILIA = shift(3, "2027-01-11 08:00", "2027-01-11 16:00", priority=3, languages=("sv", "en"))


# --- who gets it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on_duty", "open_counts", "language", "exclude", "expected"),
    [
        ([AINO, BERTIL], {1: 2, 2: 1}, None, (), 2),  # fewest open first
        ([AINO, BERTIL], {}, None, (), 1),  # a tie goes to ringing order
        ([AINO, BERTIL], {1: 1, 2: 1}, "fi", (), 1),
        ([AINO, BERTIL], {1: 0, 2: 3}, "sv", (), 2),  # the caller's language beats a lighter load
        ([AINO, BERTIL, CECILIA], {2: 2, 3: 1}, "sv", (), 3),  # among speakers, the lighter load
        ([AINO, BERTIL], {1: 4, 2: 1}, "de", (), 2),  # nobody speaks it: fewest open overall
        ([AINO, BERTIL], {1: 0, 2: 5}, "sv", (2,), 1),  # the one who passed it is skipped
        ([AINO], {}, None, (1,), None),  # everyone on duty passed: nobody
        ([], {}, "fi", (), None),  # nobody on duty: nobody, never someone off duty
        ([AINO, shift(2, "2027-01-11 08:00", "2027-01-11 16:00", priority=0, active=False)], {}, None, (), 1),
        # Same load and priority: the earlier start, then the lower id.
        ([shift(5, "2027-01-11 09:00", "2027-01-11 16:00"), shift(4, "2027-01-11 09:00", "2027-01-11 16:00"),
          shift(6, "2027-01-11 08:30", "2027-01-11 16:00")], {}, None, (), 6),
        ([shift(5, "2027-01-11 09:00", "2027-01-11 16:00"), shift(4, "2027-01-11 09:00", "2027-01-11 16:00")],
         {}, None, (), 4),
    ],
)
def test_a_callback_goes_to_the_right_person_on_duty(on_duty, open_counts, language, exclude, expected):
    chosen = choose_assignee(on_duty, open_counts, language, exclude)
    assert (chosen.staff_id if chosen else None) == expected


@pytest.mark.parametrize(
    ("shifts", "moment", "expected"),
    [
        ([AINO], "2027-01-11 10:00", "2027-01-11 16:00"),
        ([AINO], "2027-01-11 16:00", None),  # a shift ends exclusively
        ([AINO], "2027-01-11 07:59", None),
        # Back-to-back and overlapping shifts run on as one stretch, in any order.
        ([shift(1, "2027-01-11 12:00", "2027-01-11 20:00"), AINO], "2027-01-11 09:00", "2027-01-11 20:00"),
        ([shift(1, "2027-01-11 16:00", "2027-01-11 18:00"), shift(1, "2027-01-11 18:00", "2027-01-11 22:00"), AINO],
         "2027-01-11 15:00", "2027-01-11 22:00"),
        ([shift(1, "2027-01-11 17:00", "2027-01-11 20:00"), AINO], "2027-01-11 09:00", "2027-01-11 16:00"),
        ([shift(1, "2027-01-11 08:00", "2027-01-11 16:00", active=False)], "2027-01-11 09:00", None),
        ([BERTIL], "2027-01-11 10:00", None),  # someone else's shift
    ],
)
def test_a_staff_members_duty_ends_when_their_last_joined_shift_ends(shifts, moment, expected):
    ends = duty_ends_at(1, shifts, at(moment))
    assert ends == (at(expected) if expected else None)


def test_a_pass_holds_for_the_rest_of_that_stretch_of_duty_only():
    tuesday = shift(1, "2027-01-12 08:00", "2027-01-12 16:00")
    passes = ((1, at("2027-01-11 10:00")),)
    assert excluded_staff(passes, [AINO, tuesday], at("2027-01-11 15:59")) == {1}
    assert excluded_staff(passes, [AINO, tuesday], at("2027-01-12 09:00")) == frozenset()


@pytest.mark.parametrize(
    ("status", "assignee", "on_duty_ids", "expected"),
    [
        ("assigned", 1, {1, 2}, False),
        ("assigned", 1, {2}, True),
        ("acknowledged", 1, set(), True),
        ("new", None, {2}, False),
        ("closed", 1, {2}, False),
    ],
)
def test_a_callback_passes_on_only_when_its_assignee_is_off_duty(status, assignee, on_duty_ids, expected):
    state = CallbackState(status, at("2027-01-11 09:00"), assignee_id=assignee)
    assert handover_needed(state, on_duty_ids) is expected


# --- when ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2027-01-11 10:00", "2027-01-11 10:00"),
        ("2027-01-11 09:00", "2027-01-11 09:00"),
        ("2027-01-11 15:00", "2027-01-12 09:00"),  # closing is exclusive
        ("2027-01-11 23:30", "2027-01-12 09:00"),  # a night call is announced in the morning
        ("2027-01-15 16:00", "2027-01-18 09:00"),  # Friday evening: Monday
        ("2027-03-25 16:00", "2027-03-30 09:00"),  # Good Friday, DST Sunday and Easter Monday
        ("2027-12-03 15:30", "2027-12-07 09:00"),  # Independence Day Monday
    ],
)
def test_nothing_is_announced_while_the_line_is_closed(now, expected):
    assert announce_at(at(now), OFFICE) == at(expected)


@pytest.mark.parametrize(
    ("last_sent", "expected"),
    [
        ("2027-01-11 10:00", "2027-01-11 10:30"),
        ("2027-01-11 14:29", "2027-01-11 14:59"),
        ("2027-01-11 14:30", "2027-01-12 09:00"),  # due exactly at closing: the next morning
        ("2027-01-11 14:45", "2027-01-12 09:00"),
        ("2027-01-15 14:45", "2027-01-18 09:00"),
        ("2027-01-11 08:00", "2027-01-11 09:00"),
        ("2027-03-25 14:45", "2027-03-30 09:00"),
        ("2027-12-03 14:50", "2027-12-07 09:00"),
    ],
)
def test_a_reminder_follows_each_interval_but_never_at_night(last_sent, expected):
    due = next_reminder_at(at(last_sent), timedelta(minutes=30), OFFICE)
    assert due == at(expected)
    assert due.utcoffset() == at(expected).utcoffset()


def test_a_reminder_waits_out_a_closure():
    lunch = ClosurePeriod(at("2027-01-11 12:00"), at("2027-01-11 13:00"), "staff meeting")
    calendar = LineCalendar(HELSINKI, OFFICE.weekly, "FI", (lunch,))
    assert next_reminder_at(at("2027-01-11 11:45"), timedelta(minutes=30), calendar) == at("2027-01-11 13:00")


def test_a_reminder_interval_is_real_time_across_the_autumn_dst_change():
    round_the_clock = LineCalendar(HELSINKI, WeeklySchedule({day: (OpeningInterval(0, 1440),) for day in range(7)}), "")
    first_0350 = datetime(2027, 10, 31, 0, 50, tzinfo=timezone.utc)  # 03:50 EEST, before clocks go back
    due = next_reminder_at(first_0350, timedelta(minutes=30), round_the_clock)
    assert due.astimezone(timezone.utc) == datetime(2027, 10, 31, 1, 20, tzinfo=timezone.utc)
    assert (due.hour, due.minute, due.utcoffset()) == (3, 20, timedelta(hours=2))  # the second 03:20


@pytest.mark.parametrize(
    ("sent", "after", "already", "expected"),
    [(0, 3, False, False), (2, 3, False, False), (3, 3, False, True), (4, 3, False, True), (3, 3, True, False),
     (0, 0, False, True), (5, 0, True, False)],
)
def test_supervisors_are_told_once_after_enough_reminders(sent, after, already, expected):
    assert should_escalate(sent, after, already) is expected


def test_with_nobody_on_duty_assignment_waits_for_the_next_shift_while_open():
    later = shift(2, "2027-01-11 12:00", "2027-01-11 16:00")
    evening = shift(3, "2027-01-11 17:00", "2027-01-11 22:00")
    tuesday = shift(4, "2027-01-12 07:00", "2027-01-12 16:00")
    retry = timedelta(minutes=15)
    assert next_assignable_at(at("2027-01-11 10:00"), OFFICE, [later, tuesday], retry) == at("2027-01-11 12:00")
    assert next_assignable_at(at("2027-01-11 13:00"), OFFICE, [evening, tuesday], retry) == at("2027-01-12 09:00")
    assert next_assignable_at(at("2027-01-11 10:00"), OFFICE, [later], retry, exclude=(2,)) == at("2027-01-11 10:15")
    assert next_assignable_at(at("2027-01-11 14:50"), OFFICE, [], retry) == at("2027-01-12 09:00")


def test_someone_who_passed_can_be_given_it_again_in_their_next_stretch_of_duty():
    monday, tuesday = AINO, shift(1, "2027-01-12 08:00", "2027-01-12 16:00")
    passes = ((1, at("2027-01-11 10:00")),)
    retry = timedelta(minutes=15)
    assert next_assignable_at(at("2027-01-11 10:00"), OFFICE, [monday, tuesday], retry, passes=passes) \
        == at("2027-01-12 09:00")


# --- the plan --------------------------------------------------------------------------------

AINO_WEEK = [shift(1, f"2027-01-{day:02d} 08:00", f"2027-01-{day:02d} 16:00", priority=1) for day in range(11, 16)]
BERTIL_MONDAY_NOON = shift(2, "2027-01-11 12:00", "2027-01-11 16:00", priority=2)
BERTIL_MONDAY = shift(2, "2027-01-11 08:00", "2027-01-11 16:00", priority=2)


def state(status: str = "assigned", **facts) -> CallbackState:
    facts.setdefault("created_at", at("2027-01-11 09:30"))
    if status != "new":
        facts.setdefault("assignee_id", 1)
        facts.setdefault("assigned_at", at("2027-01-11 10:00"))
    return CallbackState(status, **facts)


@pytest.mark.parametrize(
    ("callback", "now", "shifts", "kind", "due"),
    [
        (state("closed"), "2027-01-11 10:00", AINO_WEEK, ActionKind.NONE, None),
        (state("new"), "2027-01-11 10:00", AINO_WEEK, ActionKind.ASSIGN, "2027-01-11 10:00"),
        (state("new"), "2027-01-11 20:00", AINO_WEEK, ActionKind.ASSIGN, "2027-01-12 09:00"),
        (state("new"), "2027-01-16 11:00", AINO_WEEK + [shift(1, "2027-01-18 08:00", "2027-01-18 16:00")],
         ActionKind.ASSIGN, "2027-01-18 09:00"),
        # Aino passed it and is alone on duty: wait for Bertil at noon, not back to Aino.
        (state("new", passes=((1, at("2027-01-11 09:45")),)), "2027-01-11 10:00", AINO_WEEK + [BERTIL_MONDAY_NOON],
         ActionKind.ASSIGN, "2027-01-11 12:00"),
        # ... and with nobody else all day, it is Aino's again in her next stretch of duty.
        (state("new", passes=((1, at("2027-01-11 09:45")),)), "2027-01-11 10:00", AINO_WEEK, ActionKind.ASSIGN,
         "2027-01-12 09:00"),
        (state("new"), "2027-01-11 10:00", [], ActionKind.ASSIGN, "2027-01-11 10:15"),
        (state(), "2027-01-11 10:00", AINO_WEEK, ActionKind.REMIND, "2027-01-11 10:30"),
        (state(reminders_sent=1, last_reminder_at=at("2027-01-11 10:30")), "2027-01-11 10:31", AINO_WEEK,
         ActionKind.REMIND, "2027-01-11 11:00"),
        (state("acknowledged", acknowledged_at=at("2027-01-11 10:05")), "2027-01-11 10:05", AINO_WEEK,
         ActionKind.REMIND, "2027-01-11 10:30"),
        (state(assigned_at=at("2027-01-11 14:40")), "2027-01-11 14:40", AINO_WEEK, ActionKind.REMIND,
         "2027-01-12 09:00"),
        # Aino is not on duty on Tuesday: the callback passes to Bertil when the line opens.
        (state(assigned_at=at("2027-01-11 14:40")), "2027-01-11 14:40",
         [AINO, shift(2, "2027-01-12 08:00", "2027-01-12 16:00")], ActionKind.HANDOVER, "2027-01-12 09:00"),
        (state(reminders_sent=3, last_reminder_at=at("2027-01-11 11:30")), "2027-01-11 11:30", AINO_WEEK,
         ActionKind.ESCALATE, "2027-01-11 11:30"),
        (state(reminders_sent=3, last_reminder_at=at("2027-01-11 11:30"), escalated=True), "2027-01-11 11:30",
         AINO_WEEK, ActionKind.REMIND, "2027-01-11 12:00"),
        # The worker was away all evening: the overdue reminder waits for the morning.
        (state(reminders_sent=1, last_reminder_at=at("2027-01-11 14:00")), "2027-01-11 20:00",
         [shift(1, "2027-01-11 08:00", "2027-01-13 16:00")], ActionKind.REMIND, "2027-01-12 09:00"),
        (state(reminders_sent=1, last_reminder_at=at("2027-01-11 10:30")), "2027-01-11 12:00",
         [shift(1, "2027-01-11 08:00", "2027-01-11 11:50"), BERTIL_MONDAY], ActionKind.HANDOVER, "2027-01-11 12:00"),
        # Aino's shift ends before the next reminder: hand over then, not remind.
        (state(), "2027-01-11 10:00", [shift(1, "2027-01-11 08:00", "2027-01-11 10:20"), BERTIL_MONDAY],
         ActionKind.HANDOVER, "2027-01-11 10:20"),
        # Aino left for lunch and nobody else is on: the callback waits for her return.
        (state(), "2027-01-11 12:00", [shift(1, "2027-01-11 08:00", "2027-01-11 11:50"),
                                       shift(1, "2027-01-11 13:00", "2027-01-11 16:00")],
         ActionKind.HANDOVER, "2027-01-11 13:00"),
        # ... and when she is back, she is reminded at once rather than handed over.
        (state(), "2027-01-11 13:00", [shift(1, "2027-01-11 08:00", "2027-01-11 11:50"),
                                       shift(1, "2027-01-11 13:00", "2027-01-11 16:00")],
         ActionKind.REMIND, "2027-01-11 13:00"),
        # Nobody else is on duty when Aino leaves: the handover waits for Bertil.
        (state(), "2027-01-11 11:00", [shift(1, "2027-01-11 08:00", "2027-01-11 10:50"), BERTIL_MONDAY_NOON],
         ActionKind.HANDOVER, "2027-01-11 12:00"),
    ],
)
def test_the_next_step_of_a_callback_follows_from_its_facts(callback, now, shifts, kind, due):
    action = plan_next_action(callback, at(now), OFFICE, POLICY, shifts)
    assert action.kind is kind
    assert action.due_at == (at(due) if due else None)
    assert action.reason


def test_a_planned_step_is_never_earlier_than_now_nor_at_night():
    callback = state(reminders_sent=2, last_reminder_at=at("2027-01-11 10:30"))
    for minutes in range(0, 24 * 60, 7):
        now = at("2027-01-11 00:00") + timedelta(minutes=minutes)
        action = plan_next_action(callback, now, OFFICE, POLICY, AINO_WEEK)
        assert action.due_at >= now
        local = action.due_at.astimezone(HELSINKI)
        assert 9 <= local.hour < 15, (now, action)


def test_a_night_callback_lives_a_whole_week_as_the_worker_would_drive_it():
    """Drive the plan as the job wiring does: jump to each due time, do the step, plan again."""
    from dataclasses import replace

    bertil_week = [shift(2, f"2027-01-{day:02d} 12:00", f"2027-01-{day:02d} 16:00", priority=2)
                   for day in range(11, 16)]
    shifts = AINO_WEEK + bertil_week
    callback = CallbackState("new", at("2027-01-10 22:00"))  # Sunday night
    now, log = at("2027-01-10 22:00"), []
    while now < at("2027-01-12 15:00"):
        action = plan_next_action(callback, now, OFFICE, POLICY, shifts)
        now = action.due_at
        log.append((action.kind, now.astimezone(HELSINKI).strftime("%a %H:%M")))
        if action.kind is ActionKind.ASSIGN:
            chosen = choose_assignee(on_duty(now, shifts), {}, None)
            callback = replace(callback, status="assigned", assignee_id=chosen.staff_id, assigned_at=now)
        elif action.kind is ActionKind.REMIND:
            callback = replace(callback, reminders_sent=callback.reminders_sent + 1, last_reminder_at=now)
        elif action.kind is ActionKind.ESCALATE:
            callback = replace(callback, escalated=True)
        elif action.kind is ActionKind.HANDOVER:
            chosen = choose_assignee(on_duty(now, shifts), {}, None, exclude=(callback.assignee_id,))
            callback = replace(callback, assignee_id=chosen.staff_id, assigned_at=now, reminders_sent=0,
                               last_reminder_at=None)
    assert log[:8] == [
        (ActionKind.ASSIGN, "Mon 09:00"),  # announced in the morning, to Aino who rings first
        (ActionKind.REMIND, "Mon 09:30"), (ActionKind.REMIND, "Mon 10:00"), (ActionKind.REMIND, "Mon 10:30"),
        (ActionKind.ESCALATE, "Mon 10:30"),  # after three reminders, once
        (ActionKind.REMIND, "Mon 11:00"), (ActionKind.REMIND, "Mon 11:30"), (ActionKind.REMIND, "Mon 12:00"),
    ]
    # Aino's shift runs to 16:00, after closing: the afternoon ends with reminders to her, and
    # on Tuesday morning she is on duty again, so no handover ever happens.
    assert (ActionKind.REMIND, "Mon 14:30") in log and (ActionKind.REMIND, "Tue 09:00") in log
    assert [entry for entry in log if entry[0] is ActionKind.ESCALATE] == [(ActionKind.ESCALATE, "Mon 10:30")]
    assert not [entry for entry in log if entry[0] is ActionKind.HANDOVER]
    assert all("09:00" <= clock < "15:00" for _, clock in (entry[1].split() for entry in log))


def test_escalating_after_zero_reminders_tells_the_supervisors_at_assignment():
    policy = CallbackPolicy.from_numbers(reminder_interval_seconds=1800, escalate_after_reminders=0)
    action = plan_next_action(state(), at("2027-01-11 10:00"), OFFICE, policy, AINO_WEEK)
    assert (action.kind, action.due_at) == (ActionKind.ESCALATE, at("2027-01-11 10:00"))


def test_reminders_due_about_the_same_time_go_in_one_sms():
    actions = {
        12: NextAction(ActionKind.REMIND, at("2027-01-11 10:30"), "reminder 1"),
        15: NextAction(ActionKind.REMIND, at("2027-01-11 10:28"), "reminder 2"),
        16: NextAction(ActionKind.REMIND, at("2027-01-11 11:00"), "reminder 1"),
        17: NextAction(ActionKind.HANDOVER, at("2027-01-11 10:30"), "duty ends"),
    }
    assert reminders_due_together(actions, at("2027-01-11 10:30"), timedelta(minutes=5)) == [15, 12]
    assert NextAction(ActionKind.REMIND, at("2027-01-11 10:30"), "r").is_due(at("2027-01-11 10:30"))
    assert not NextAction(ActionKind.REMIND, at("2027-01-11 10:30"), "r").is_due(at("2027-01-11 10:29"))


def test_rules_refuse_naive_times_and_impossible_states():
    with pytest.raises(NaiveTimeError):
        announce_at(datetime(2027, 1, 11, 10, 0), OFFICE)
    with pytest.raises(NaiveTimeError):
        CallbackState("new", datetime(2027, 1, 11, 10, 0))
    with pytest.raises(ValueError):
        CallbackState("lost", at("2027-01-11 10:00"))
    with pytest.raises(ValueError):
        NextAction(ActionKind.REMIND, None, "no time")
    with pytest.raises(ValueError):
        CallbackPolicy(timedelta(0), 3)


# --- calling back ----------------------------------------------------------------------------


@pytest.mark.parametrize(("attempts", "outcome"), [(1, None), (2, None), (3, "unreachable"), (4, "unreachable")])
def test_a_caller_is_unreachable_after_three_failed_callback_attempts(attempts, outcome):
    assert after_failed_attempt(attempts) == outcome


def test_a_failed_attempt_is_counted_from_one():
    with pytest.raises(ValueError):
        after_failed_attempt(0)


@pytest.mark.parametrize(
    ("caller", "expected"),
    [("+358401234567", True), ("+46701234567", True), ("+358931234567", False), (None, False), ("", False)],
)
def test_only_mobile_callers_get_the_confirmation_sms(caller, expected):
    assert caller_can_get_sms(caller) is expected
