"""What every decision of a call works with: one transaction, the settings, the jobs, ``now``.

:func:`in_transaction` runs a decision in one committed transaction. Unique rows (a call's
CallSid, a dial attempt's number, a recording's RecordingSid, a caller's one open callback
request) make a racing duplicate fail with an IntegrityError; the whole unit of work is then run
again, and finds and uses the winner's row.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpline import phones
from helpline.blocks.store import is_blocked
from helpline.rota import load as schedule
from helpline.config import Settings
from helpline.models import Call, CallOutcome
from helpline.dispatch import JobDispatcher
from helpline.services import Services

log = logging.getLogger(__name__)
T = TypeVar("T")

TERMINAL_CALL_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})


@dataclass(frozen=True)
class Context:
    session: Session
    settings: Settings
    jobs: JobDispatcher
    now: datetime

    @property
    def default_language(self) -> str:
        return self.settings.caller_languages[0]


@dataclass(frozen=True)
class CallParams:
    """What every voice webhook of the caller's leg tells us about the call."""

    call_sid: str
    from_value: str = ""
    to: str = ""
    status: str = ""


def in_transaction(line: Services, decide: Callable[[Context], T], *, attempts: int = 3) -> T:
    """Run ``decide`` in one committed transaction; re-run it when a unique index lost a race."""
    for attempt in range(1, attempts + 1):
        try:
            with line.db.session() as session:
                return decide(Context(session, line.settings, line.jobs, line.clock.now()))
        except IntegrityError:
            if attempt == attempts:
                raise
            log.info("a concurrent webhook wrote the same row first; re-reading (attempt %d)", attempt)
    raise AssertionError("unreachable")


def find_call(ctx: Context, call_sid: str) -> Call | None:
    return ctx.session.scalar(select(Call).where(Call.call_sid == call_sid))


def call_for(ctx: Context, params: CallParams, *, started_at: datetime | None = None) -> Call:
    """The call by CallSid; created from the request when unknown (a lost or early row)."""
    call = find_call(ctx, params.call_sid)
    if call is not None:
        return call
    started_at = started_at or ctx.now
    status = schedule.status_at(ctx.session, ctx.settings, started_at)
    caller = phones.caller_id(params.from_value)
    call = Call(call_sid=params.call_sid, caller=caller, caller_withheld=caller is None, to_number=params.to,
                started_at=started_at, line_open=status.open, line_reason=status.reason,
                last_status=params.status, outcome=CallOutcome.IN_PROGRESS.value)
    ctx.session.add(call)
    ctx.session.flush()  # a racing duplicate delivery fails here and is re-run
    return call


def store_call(ctx: Context, params: CallParams) -> None:
    """The call by CallSid stored when unknown, as :func:`call_for` does, without loading it: one
    Core ``INSERT ... ON CONFLICT DO NOTHING`` (a replay, or a racing duplicate, inserts nothing
    and keeps the first delivery's row). For the first answer of a call that needs no more of
    its row than that it is stored (the language menu)."""
    status = schedule.status_at(ctx.session, ctx.settings, ctx.now)
    caller = phones.caller_id(params.from_value)
    connection = ctx.session.connection()
    statement = _STORE_CALL["postgresql" if connection.dialect.name == "postgresql" else "sqlite"]
    connection.execute(statement, {
        "call_sid": params.call_sid, "caller": caller, "caller_withheld": caller is None, "to_number": params.to,
        "started_at": ctx.now, "line_open": status.open, "line_reason": status.reason,
        "last_status": params.status, "outcome": CallOutcome.IN_PROGRESS.value,
    })


# Built once: the statement's columns come from the parameters (the others take their defaults).
_STORE_CALL = {name: insert(Call.__table__).on_conflict_do_nothing(index_elements=[Call.__table__.c.call_sid])
               for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))}


def refused_caller(ctx: Context, params: CallParams) -> bool:
    """:func:`refused`, asking the cheap question first: a caller blocked now, whose call (rarely)
    we may have stored before the block."""
    if not is_blocked(ctx.session, ctx.settings.secret_key, phones.caller_id(params.from_value), ctx.now):
        return False
    return find_call(ctx, params.call_sid) is None


def refused(ctx: Context, params: CallParams) -> bool:
    """A call from a blocked number: one we keep no row of, from a number blocked now.

    A blocked caller's call is never stored, so every later webhook of it (the language menu, a
    recording, the status callback that would leave a missed-call callback) finds no row and is
    refused here too, and starts nothing. A call that came in before the block keeps its course.
    """
    if find_call(ctx, params.call_sid) is not None:
        return False
    return is_blocked(ctx.session, ctx.settings.secret_key, phones.caller_id(params.from_value), ctx.now)
