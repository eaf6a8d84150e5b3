"""The callback queue's RQ job: assign, remind, escalate and hand over, each exactly once.

``process_callback(callback_id)`` is queued after commit by the voice path (a new callback, a
repeat call, a new message), by PASS (:func:`helpline.callbacks.assignment.release_to_queue`) and by the
periodic sweep (:mod:`helpline.queue.sweep`) whenever the callback's ``next_action_at`` is due.
One run, in one transaction:

1. lock the callback's row (one run per callback at a time, however many workers);
2. text the caller their one confirmation, if not done yet;
3. ask :func:`helpline.callbacks.rules.plan_next_action` what is next; while that is due, do it
   (a guarded UPDATE, a CallbackEvent, the SMS rows) and ask again;
4. forward the caller's texts of a conversation to its assignee when that is due
   (:func:`helpline.queue.conversation_sms.forward_step`);
5. store the plan (``next_action``, ``next_action_at``: the earlier of the two) for the sweep, and
   ask RQ's scheduler to run the job again when it falls due
   (:meth:`helpline.dispatch.JobDispatcher.schedule_at`), so a reminder, an escalation, a
   forward or the announcement at the opening is on time to the second, not to the sweep's tick.

It commits all of that or nothing; the SMS are sent by their own jobs after the commit. A run
that comes twice, late or after a Redis flush finds the facts already written and does only
what is still due. Exceptions are not caught: RQ's Retry and the sweep try again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.callbacks import assignment as db
from helpline.callbacks.rules import (
    ActionKind, CallbackPolicy, CallbackState, NextAction, announce_at, choose_assignee, excluded_staff,
    plan_next_action, reminders_due_together,
)
from helpline.clock import wall_time
from helpline.config import Settings
from helpline.dispatch import after_commit_process_callback
from helpline.models import CallbackRequest, Role, Staff
from helpline.sms.outbox import is_opted_out
from helpline.queue import callback_sms as texts
from helpline.queue.conversation_sms import forward_step
from helpline.services import current_services
from helpline.rota.rules import DutyShift, LineCalendar, on_duty
from helpline.rota.load import load_calendar, load_shifts_between

log = logging.getLogger(__name__)

# Enough for assign -> (nothing due) or remind -> escalate in one run; a bound on the loop.
MAX_STEPS = 6
# How far ahead `shifts` reach: the rules look for the next person on duty and duty ends.
SHIFT_LOOKAHEAD = timedelta(days=15)
# Reminders to one person that fall due within this of each other go out as one SMS.
BUNDLE_WINDOW = timedelta(minutes=10)


def process_callback(callback_id: int) -> str:
    """RQ job: bring callback ``callback_id`` up to date. Returns what it did (RQ keeps it)."""
    line = current_services()
    now = line.clock.now()
    with line.db.session() as session:
        outcome = advance_callback(session, line.settings, callback_id, now)
    log.info("callback #%s: %s", callback_id, outcome)
    return outcome


@dataclass
class Run:
    """One run over one locked callback, with the calendar and shifts as of ``now``."""

    session: Session
    settings: Settings
    now: datetime
    callback: CallbackRequest
    calendar: LineCalendar
    shifts: list[DutyShift]
    policy: CallbackPolicy
    passes: tuple[tuple[int, datetime], ...] = field(default=())

    def state(self) -> CallbackState:
        return db.callback_state(self.callback, self.passes)

    def plan(self) -> NextAction:
        return plan_next_action(self.state(), self.now, self.calendar, self.policy, self.shifts)

    def reload(self) -> None:
        self.session.refresh(self.callback)
        self.passes = db.passes_of(self.session, self.callback.id)

    def on_duty(self) -> list[DutyShift]:
        return on_duty(self.now, self.shifts)

    def staff(self, staff_id: int | None) -> Staff | None:
        return self.session.get(Staff, staff_id) if staff_id is not None else None


def advance_callback(session: Session, settings: Settings, callback_id: int, now: datetime) -> str:
    """Do whatever is due for one callback at ``now`` and store what comes next (see module doc)."""
    callback = db.lock_callback(session, callback_id)
    db.custom_plans(session)  # the queries below must not grow with the closed history either
    if callback is None:
        return "no such callback"
    if not callback.is_open:
        db.store_plan(session, callback_id, NextAction(ActionKind.NONE, None, "closed"))
        return "closed: nothing more to do"
    run = _load(session, settings, callback, now)
    done = [texts.text_caller_once(session, settings, callback, run.calendar, now)]
    plan = run.plan()
    for _ in range(MAX_STEPS):
        if not plan.is_due(now):
            break
        outcome, changed = ACTIONS[plan.kind](run, plan)
        done.append(outcome)
        run.reload()
        previous, plan = plan, run.plan()
        if not changed and plan.is_due(now):
            # Due, but nobody could take it after all: look again later rather than spin.
            plan = NextAction(previous.kind, announce_at(now + run.policy.assign_retry, run.calendar),
                              f"{previous.reason}; nobody could take it at {now.isoformat()}")
            break
    forwarded, forward_plan = forward_step(session, settings, run.callback, run.calendar,
                                           {duty.staff_id for duty in run.on_duty()}, now)
    if forwarded:
        done.append(forwarded)
    if forward_plan is not None and (plan.due_at is None or forward_plan.due_at < plan.due_at):
        plan = forward_plan
    store_plan(session, callback_id, plan)
    done.append(f"next: {plan.kind.value}" + (f" at {plan.due_at.isoformat()}" if plan.due_at else ""))
    return "; ".join(done)


def store_plan(session: Session, callback_id: int, plan: NextAction) -> None:
    """Store the plan and, once ``session`` commits, have this job run again when it falls due
    (at the real time the line's clock reaches ``plan.due_at``). Nothing for a closed callback."""
    db.store_plan(session, callback_id, plan)
    if plan.due_at is not None:
        line = current_services()
        after_commit_process_callback(line.jobs, session, callback_id, at=wall_time(line.clock, plan.due_at))


def _load(session: Session, settings: Settings, callback: CallbackRequest, now: datetime) -> Run:
    passes = db.passes_of(session, callback.id)
    # From the earliest PASS: the rules need the shift it was sent in to know when it lapses.
    since = min([now] + [at for _, at in passes]) - timedelta(days=1)
    return Run(session=session, settings=settings, now=now, callback=callback,
               calendar=load_calendar(session, settings, now),
               shifts=load_shifts_between(session, since, now + SHIFT_LOOKAHEAD),
               policy=CallbackPolicy.from_numbers(settings.reminder_interval_seconds,
                                                  settings.escalate_after_reminders),
               passes=passes)


# --- the actions: each returns (what happened, whether anything changed) ------------------------------

def _choose(run: Run, *, also_exclude: set[int] = frozenset()) -> DutyShift | None:
    """Whom the rules choose; someone who has blocked the line's SMS (STOP) would never hear of
    it, so only when nobody else is on duty (then it escalates to the supervisors in time)."""
    exclude = set(excluded_staff(run.passes, run.shifts, run.now)) | set(also_exclude)
    on_duty_now = run.on_duty()
    unreachable = {duty.staff_id for duty in on_duty_now if is_opted_out(run.session, duty.phone)}
    db.lock_assignments(run.session)
    counts = db.open_counts(run.session)
    return (choose_assignee(on_duty_now, counts, run.callback.language, exclude | unreachable)
            or choose_assignee(on_duty_now, counts, run.callback.language, exclude))


def _assign(run: Run, plan: NextAction) -> tuple[str, bool]:
    chosen = _choose(run)
    if chosen is None:
        log.info("callback #%s: nobody on duty can take it now", run.callback.id)
        return "nobody on duty to assign it to", False
    if not db.assign(run.session, run.callback.id, chosen.staff_id, run.now):
        return "already assigned", True
    run.reload()
    staff = run.staff(chosen.staff_id)
    passer = run.staff(run.passes[-1][0]) if run.passes else None
    db.event(run.session, run.callback.id, "assigned", run.now, staff_id=staff.id, reason=plan.reason,
             **({"after_pass_by": passer.id} if passer else {}))
    texts.text_assignment(run.session, run.settings, run.callback, staff, run.now,
                          previous=passer.name if passer else None)
    return f"assigned to staff {staff.id}", True


def _hand_over(run: Run, plan: NextAction) -> tuple[str, bool]:
    previous = run.staff(run.callback.assignee_id)
    chosen = _choose(run, also_exclude={previous.id} if previous else set())
    if chosen is None or previous is None:
        log.info("callback #%s: its assignee is off duty and nobody on duty can take it over", run.callback.id)
        return "nobody on duty to hand it over to", False
    if not db.hand_over(run.session, run.callback.id, previous.id, chosen.staff_id, run.now):
        return "no longer held by the assignee", True
    run.reload()
    new = run.staff(chosen.staff_id)
    db.event(run.session, run.callback.id, "handed_over", run.now, staff_id=new.id, from_staff_id=previous.id,
             reason=plan.reason)
    texts.text_assignment(run.session, run.settings, run.callback, new, run.now, previous=previous.name,
                          purpose="handover")
    texts.text_handed_over(run.session, run.callback, previous, new, run.now)
    return f"handed over from staff {previous.id} to staff {new.id}", True


def _remind(run: Run, plan: NextAction) -> tuple[str, bool]:
    """Remind the assignee; their other reminders due within BUNDLE_WINDOW go in the same SMS."""
    callback, staff = run.callback, run.staff(run.callback.assignee_id)
    window = min(BUNDLE_WINDOW, run.policy.reminder_interval / 3)
    plans = {callback.id: plan}
    others = {other.id: other for other in run.session.scalars(
        select(CallbackRequest)
        .where(CallbackRequest.assignee_id == staff.id, CallbackRequest.status.in_(db.ASSIGNED_STATUSES),
               CallbackRequest.id != callback.id, CallbackRequest.next_action == ActionKind.REMIND.value,
               CallbackRequest.next_action_at <= run.now + window)
        .order_by(CallbackRequest.next_action_at, CallbackRequest.id).limit(texts.MAX_BUNDLE - 1)
        # Never wait for another callback's lock (a worker busy with it): no deadlocks, no waits.
        .with_for_update(skip_locked=True)
    )}
    for other in others.values():
        state = db.callback_state(other, db.passes_of(run.session, other.id))
        plans[other.id] = plan_next_action(state, run.now, run.calendar, run.policy, run.shifts)
    together = [callback.id] + [ref for ref in reminders_due_together(plans, run.now, window) if ref != callback.id]
    reminded: list[texts.Reminded] = []
    for ref in together:
        item = callback if ref == callback.id else others[ref]
        if db.count_reminder(run.session, ref, staff.id, item.reminders_sent, run.now):
            run.session.refresh(item)
            reminded.append(texts.Reminded(item, item.reminders_sent))
    if not reminded:
        return "reminder already counted", True
    refs = [item.callback.id for item in reminded]
    for item in reminded:
        db.event(run.session, item.callback.id, "reminded", run.now, staff_id=staff.id, number=item.number,
                 **({"together_with": [ref for ref in refs if ref != item.callback.id]} if len(refs) > 1 else {}))
    texts.text_reminder(run.session, staff, reminded, run.now)
    for item in reminded[1:]:  # the bundled ones plan again too (an escalation may be due now)
        other_plan = plan_next_action(db.callback_state(item.callback, db.passes_of(run.session, item.callback.id)),
                                      run.now, run.calendar, run.policy, run.shifts)
        if other_plan.is_due(run.now):
            db.store_plan(run.session, item.callback.id, other_plan)
            db.enqueue_process_after_commit(run.session, item.callback.id)
        else:
            store_plan(run.session, item.callback.id, other_plan)
    return f"reminder {reminded[0].number} to staff {staff.id}" + (
        f" (with #{', #'.join(map(str, refs[1:]))})" if len(refs) > 1 else ""), True


def _escalate(run: Run, plan: NextAction) -> tuple[str, bool]:
    """Tell the supervisors on duty, once; when none is on duty, say so in the history."""
    callback = run.callback
    if not db.mark_escalated(run.session, callback.id, run.now):
        return "already escalated", True
    supervisors = [duty for duty in run.on_duty()
                   if duty.role == Role.SUPERVISOR.value and duty.staff_id != callback.assignee_id]
    if not supervisors:
        log.warning("callback #%s is still open after %d reminders and no supervisor is on duty to tell",
                    callback.id, callback.reminders_sent)
        db.event(run.session, callback.id, "escalation_unheard", run.now, reminders=callback.reminders_sent,
                 reason="no supervisor on duty could be told")
        return "escalation: no supervisor on duty to tell", True
    assignee = run.staff(callback.assignee_id)
    for duty in supervisors:
        texts.text_escalation(run.session, run.settings, callback, run.staff(duty.staff_id), assignee, run.now)
    db.event(run.session, callback.id, "escalated", run.now, reminders=callback.reminders_sent,
             supervisors=[duty.staff_id for duty in supervisors])
    return f"escalated to supervisors {[duty.staff_id for duty in supervisors]}", True


ACTIONS: dict[ActionKind, Callable[[Run, NextAction], tuple[str, bool]]] = {
    ActionKind.ASSIGN: _assign,
    ActionKind.HANDOVER: _hand_over,
    ActionKind.REMIND: _remind,
    ActionKind.ESCALATE: _escalate,
}
