"""Reading the rows of the queue's figures (:mod:`helpline.metrics.queue_figures`) and the line
as it is now (who is on a help-line call, how many callers wait) for the Today page."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.inbound.busy import CALL_BACK_ACTIVE_FOR, waiting_cutoff
from helpline.metrics.queue_figures import LiveLine, QueueFigures, QueueRow, longest_wait, queue_figures
from helpline.models import BusyState, Call, CallbackCall, Staff, StaffBusy
from helpline.models.callback_calls import ACTIVE_STATUSES



def queue_figures_between(session: Session, start: datetime, end: datetime) -> QueueFigures:
    """The queue's figures of the calls that started in [start, end) while the line was open."""
    rows = session.execute(select(Call.started_at, Call.answered_at, Call.queue_seconds, Call.queue_result).where(
        Call.started_at >= start, Call.started_at < end, Call.line_open.is_(True)))
    return queue_figures(QueueRow(*row) for row in rows)


def live_line(session: Session, now: datetime, queue_max_wait_seconds: int) -> LiveLine:
    """Who is on a help-line call and who waits, by the same rules the hunt and the queue use."""
    busy = session.execute(select(Staff.name, StaffBusy.state).join(Staff, Staff.id == StaffBusy.staff_id)
                           .where(StaffBusy.state.in_((BusyState.RINGING.value, BusyState.TALKING.value))))
    calling_back = session.scalars(select(Staff.name).join(CallbackCall, CallbackCall.staff_id == Staff.id).where(
        CallbackCall.status.in_(ACTIVE_STATUSES), CallbackCall.requested_at > now - CALL_BACK_ACTIVE_FOR))
    on_calls = sorted({*((name, state) for name, state in busy), *((name, "calling back") for name in calling_back)})
    queued = list(session.scalars(select(Call.queued_at).where(
        Call.queued_at.is_not(None), Call.queued_at > waiting_cutoff(now, queue_max_wait_seconds), Call.queue_left_at.is_(None),
        Call.ended_at.is_(None))))
    return LiveLine(on_calls=on_calls, waiting=len(queued), longest_wait_seconds=longest_wait(queued, now))
