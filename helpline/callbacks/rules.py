"""Pure rules of the callback queue: who gets a callback, when they are reminded, when the
supervisors are told, when it passes to someone else, and what the caller is promised.

Every function takes plain data and an aware ``now``; nothing reads the clock, the database,
Redis or Twilio. The job wiring loads a :class:`CallbackState`, asks :func:`plan_next_action`
what is next and when, does it when it is due, writes the new state, and asks again. Because
the plan is recomputed from facts every time, a job that runs late, twice, or after a Redis
flush does the right thing: the answer depends only on the state and ``now``.

The rules, in words:

- A callback goes to someone on duty, never off duty, and not to a person who passed it during
  that same stretch of duty. Among those, a caller's chosen language wins first; then the
  fewest open callbacks; ties go to the rota's ringing order.
- Nothing is assigned, reminded, escalated or handed over while the line is closed: what falls
  due at night is done when the line next opens (a line with no opening hours at all has no
  night to protect, so there the time stands).
- The first reminder comes ``reminder_interval`` after the assignment, then one every interval
  after the last, until the callback is closed (acknowledged ones too: "OK" means "I am on it",
  the callback is still open). Once ``escalate_after`` reminders have gone out, the supervisors
  on duty are told, once per callback.
- When the assignee's stretch of duty ends with the callback open, it is handed over to someone
  on duty; when that falls at closing time, at the next opening (to the same person if they are
  on duty again then, in which case it is no handover at all).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Collection, Iterable, Literal, Mapping, Sequence

from helpline import phones
from helpline.rota.rules import DutyShift, LineCalendar, NaiveTimeError, line_status, next_opening, on_duty

UTC = timezone.utc
OPEN_STATUSES = ("new", "assigned", "acknowledged")
STATUSES = OPEN_STATUSES + ("closed",)
UNREACHABLE = "unreachable"
MAX_CALLBACK_ATTEMPTS = 3
# How many of an assignee's coming stretches of duty plan_next_action looks through for the
# moment their duty really ends (a fortnight of daily shifts, and a bound on the loop).
_HANDOVER_LOOKAHEAD_STRETCHES = 14


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveTimeError(f"{what} must be time-zone aware, got {moment!r}")
    return moment


def _utc(moment: datetime) -> datetime:
    # Two datetimes sharing a ZoneInfo compare by wall clock and ignore fold; UTC never lies.
    return moment.astimezone(UTC)


class ActionKind(StrEnum):
    ASSIGN = "assign"  # choose a staff member on duty and text them (the "announcement")
    REMIND = "remind"  # text the assignee again
    ESCALATE = "escalate"  # text the supervisors on duty
    HANDOVER = "handover"  # the assignee is off duty: pass it on, telling both
    # The caller's texts to the assignee: planned by conversation_rules.forward_due_at beside
    # plan_next_action, never by it.
    FORWARD = "forward"
    NONE = "none"  # closed: nothing more, ever


@dataclass(frozen=True)
class CallbackPolicy:
    """The numbers the rules need from settings (REMINDER_INTERVAL_SECONDS and
    ESCALATE_AFTER_REMINDERS), plus how often to look again when nobody can take a callback."""

    reminder_interval: timedelta
    escalate_after: int
    assign_retry: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.reminder_interval <= timedelta(0) or self.assign_retry <= timedelta(0):
            raise ValueError("the reminder interval and the assignment retry must be positive")
        if self.escalate_after < 0:
            raise ValueError("escalate_after must be zero or more")

    @classmethod
    def from_numbers(cls, reminder_interval_seconds: int, escalate_after_reminders: int) -> "CallbackPolicy":
        return cls(timedelta(seconds=reminder_interval_seconds), escalate_after_reminders)


@dataclass(frozen=True)
class CallbackState:
    """The facts of one callback that the rules look at.

    ``last_reminder_at`` is None until the first reminder. ``passes`` lists (staff id, when) for
    every PASS. On assignment and on handover the wiring sets ``assigned_at`` to now, resets
    ``reminders_sent`` to 0 and ``last_reminder_at`` to None; ``escalated`` stays.
    """

    status: str
    created_at: datetime
    assignee_id: int | None = None
    assigned_at: datetime | None = None
    acknowledged_at: datetime | None = None
    reminders_sent: int = 0
    last_reminder_at: datetime | None = None
    escalated: bool = False
    passes: tuple[tuple[int, datetime], ...] = field(default=())

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown callback status {self.status!r}; expected one of {STATUSES}")
        for name in ("created_at", "assigned_at", "acknowledged_at", "last_reminder_at"):
            value = getattr(self, name)
            if value is not None:
                _aware(value, name)
        if self.reminders_sent < 0:
            raise ValueError("reminders_sent cannot be negative")

    @property
    def is_open(self) -> bool:
        return self.status != "closed"


@dataclass(frozen=True)
class NextAction:
    """What to do next for a callback and when. ``due_at`` is never earlier than the ``now`` the
    plan was made at and falls while the line is open; it is None only for NONE."""

    kind: ActionKind
    due_at: datetime | None
    reason: str

    def __post_init__(self) -> None:
        if (self.kind is ActionKind.NONE) != (self.due_at is None):
            raise ValueError("only NONE has no due time")
        if self.due_at is not None:
            _aware(self.due_at, "due_at")

    def is_due(self, now: datetime) -> bool:
        return self.due_at is not None and _utc(self.due_at) <= _utc(now)


# --- who -------------------------------------------------------------------------------------


def choose_assignee(
    on_duty: Sequence[DutyShift],
    open_counts: Mapping[int, int],
    language: str | None,
    exclude: Collection[int] = (),
) -> DutyShift | None:
    """The staff member on duty who gets the callback, or None when nobody can take it.

    Only people in ``on_duty`` (what :func:`helpline.rota.rules.on_duty` returns for now) are
    considered, never an inactive or excluded one. When the caller chose a language, the people
    who speak it are preferred even over a lighter load; if nobody on duty speaks it, everyone
    is considered. Then the fewest open callbacks (``open_counts`` by staff id, missing = 0)
    wins, and ties go to ringing order (priority, earlier start, lower staff id).
    """
    candidates = [shift for shift in on_duty if shift.active and shift.staff_id not in exclude]
    if language:
        speakers = [shift for shift in candidates if language in shift.languages]
        candidates = speakers or candidates
    if not candidates:
        return None
    return min(candidates, key=lambda shift: (open_counts.get(shift.staff_id, 0), shift.priority,
                                              _utc(shift.starts_at), shift.staff_id))


def duty_ends_at(staff_id: int, shifts: Iterable[DutyShift], at: datetime) -> datetime | None:
    """When the stretch of duty that ``staff_id`` is on at ``at`` ends (back-to-back and
    overlapping shifts run on as one), or None when they are not on duty at ``at``."""
    _aware(at, "at")
    own = sorted((shift for shift in shifts if shift.staff_id == staff_id and shift.active),
                 key=lambda shift: _utc(shift.starts_at))
    covering = [shift for shift in own if shift.covers(at)]
    if not covering:
        return None
    end = max((shift.ends_at for shift in covering), key=_utc)
    for shift in own:
        if _utc(shift.starts_at) <= _utc(end) < _utc(shift.ends_at):
            end = shift.ends_at
    return end


def excluded_staff(passes: Iterable[tuple[int, datetime]], shifts: Iterable[DutyShift],
                   now: datetime) -> frozenset[int]:
    """Who may not be given the callback now: a PASS means "not me, not in this stretch of duty",
    so it holds until the stretch of duty the pass was sent in ends."""
    shifts = tuple(shifts)
    excluded = set()
    for staff_id, passed_at in passes:
        ends = duty_ends_at(staff_id, shifts, passed_at)
        if ends is not None and _utc(now) < _utc(ends):
            excluded.add(staff_id)
    return frozenset(excluded)


def handover_needed(state: CallbackState, on_duty_ids: Collection[int]) -> bool:
    """True when an assigned callback is open and its assignee is not on duty any more."""
    return state.status in ("assigned", "acknowledged") and state.assignee_id is not None \
        and state.assignee_id not in on_duty_ids


# --- when ------------------------------------------------------------------------------------


def announce_at(now: datetime, calendar: LineCalendar) -> datetime:
    """``now`` when the line is open, else its next opening: nothing is sent at night. With no
    opening scheduled at all, ``now`` (a callback never waits for hours that do not exist)."""
    _aware(now, "now")
    if line_status(now, calendar).open:
        return now.astimezone(calendar.timezone)
    opening = next_opening(now, calendar)
    return (opening or now).astimezone(calendar.timezone)


def next_reminder_at(last_sent_at: datetime, interval: timedelta, calendar: LineCalendar) -> datetime:
    """``interval`` (real elapsed time, across DST changes too) after the last SMS to the
    assignee, moved to the next opening when that instant falls while the line is closed."""
    _aware(last_sent_at, "last_sent_at")
    return announce_at(_utc(last_sent_at) + interval, calendar)


def should_escalate(reminders_sent: int, escalate_after: int, already_escalated: bool) -> bool:
    """Whether the supervisors must be told now: once, after ``escalate_after`` reminders."""
    return not already_escalated and reminders_sent >= escalate_after


def next_assignable_at(now: datetime, calendar: LineCalendar, shifts: Iterable[DutyShift], retry: timedelta, *,
                       passes: Iterable[tuple[int, datetime]] = (), exclude: Collection[int] = ()) -> datetime:
    """The first moment from ``now`` when the line is open and someone on duty may be given the
    callback: not in ``exclude`` and not holding a PASS of it at that moment. Only the shifts
    given are known (the wiring passes the coming days'); failing them, ``retry`` from now."""
    shifts = tuple(shift for shift in shifts if shift.active and shift.staff_id not in exclude)
    passes = tuple(passes)
    candidates = [announce_at(now, calendar)]
    candidates += [announce_at(shift.starts_at, calendar) for shift in shifts if _utc(shift.starts_at) > _utc(now)]
    for moment in sorted(candidates, key=_utc):
        passed = excluded_staff(passes, shifts, moment)
        if any(shift.staff_id not in passed for shift in on_duty(moment, shifts)):
            return moment
    return announce_at(_utc(now) + retry, calendar)


def _handover_at(staff_id: int, duty_end: datetime, shifts: Sequence[DutyShift], calendar: LineCalendar) -> datetime:
    """The first moment from ``duty_end`` when the line is open and ``staff_id`` is off duty: a
    shift that ends at closing time and starts again at the next opening is no handover."""
    moment = announce_at(duty_end, calendar)
    for _ in range(_HANDOVER_LOOKAHEAD_STRETCHES):
        next_end = duty_ends_at(staff_id, shifts, moment)
        if next_end is None:
            break
        moment = announce_at(next_end, calendar)
    return moment


def plan_next_action(state: CallbackState, now: datetime, calendar: LineCalendar,
                     policy: CallbackPolicy, shifts: Sequence[DutyShift]) -> NextAction:
    """What to do next for a callback and when, from its facts alone.

    ``shifts`` must cover ``now`` and the coming days (the assignee's current shift and anyone's
    upcoming ones): they tell who is on duty, when the assignee's duty ends, and when someone
    can next take a callback that nobody on duty now can. The kind is what is expected at
    ``due_at`` as things stand; at that time, plan again with the facts of then and do what that
    plan says (a due ASSIGN or HANDOVER that finds nobody to take it is simply planned again).
    """
    _aware(now, "now")
    if not state.is_open:
        return NextAction(ActionKind.NONE, None, "the callback is closed")
    if state.status == "new" or state.assignee_id is None:
        due = next_assignable_at(now, calendar, shifts, policy.assign_retry, passes=state.passes)
        return NextAction(ActionKind.ASSIGN, due, "waiting to be assigned to someone on duty")

    duty_end = duty_ends_at(state.assignee_id, shifts, now)
    if duty_end is None:
        # Due when someone can take it over, or when the assignee is back on duty (and the plan
        # made then says REMIND instead), whichever comes first.
        due = next_assignable_at(now, calendar, shifts, policy.assign_retry, passes=state.passes)
        return NextAction(ActionKind.HANDOVER, due, "the assignee is no longer on duty")
    if should_escalate(state.reminders_sent, policy.escalate_after, state.escalated):
        return NextAction(ActionKind.ESCALATE, announce_at(now, calendar),
                          f"{state.reminders_sent} reminders have gone unanswered")

    remind = next_reminder_at(state.last_reminder_at or state.assigned_at or now, policy.reminder_interval,
                              calendar)
    if _utc(remind) < _utc(now):  # overdue (the worker was away): now, or at the next opening
        remind = announce_at(now, calendar)
    handover = _handover_at(state.assignee_id, duty_end, shifts, calendar)
    # A reminder to someone whose duty is over would be wrong; the handover goes first.
    if _utc(handover) <= _utc(remind):
        return NextAction(ActionKind.HANDOVER, handover, "the assignee's duty ends")
    return NextAction(ActionKind.REMIND, remind, f"reminder {state.reminders_sent + 1}")


def reminders_due_together(actions: Mapping[int, NextAction], now: datetime, window: timedelta) -> list[int]:
    """The callbacks (of one assignee) whose reminders fall due by ``now + window``: one SMS
    can name them all. Oldest due first."""
    horizon = _utc(now) + window
    due = [(_utc(action.due_at), ref) for ref, action in actions.items()
           if action.kind is ActionKind.REMIND and action.due_at is not None and _utc(action.due_at) <= horizon]
    return [ref for _, ref in sorted(due)]


# --- callbacks that fail -----------------------------------------------------------------------


def after_failed_attempt(attempts: int, max_attempts: int = MAX_CALLBACK_ATTEMPTS) -> Literal["unreachable"] | None:
    """The outcome once ``attempts`` calls to the caller (this failed one included) have failed:
    ``"unreachable"`` at ``max_attempts``, otherwise None (the callback stays open)."""
    if attempts < 1:
        raise ValueError("count the failed attempt itself: attempts starts at 1")
    return UNREACHABLE if attempts >= max_attempts else None


def caller_can_get_sms(caller: str | None) -> bool:
    """The caller's confirmation SMS is never sent to a withheld or non-mobile number."""
    return bool(caller) and phones.is_mobile(caller)

