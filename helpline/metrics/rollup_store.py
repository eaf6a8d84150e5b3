"""The stored day rollups (MetricsDay): fold days from the tables, read a period's days.

WORK IN PROGRESS (issue 15, item 1): nothing calls refresh_days yet (no job, no sweep) and the
pages still compute from rows; see docs/architecture.md, "Figures from day rollups".

A day is refreshed whole: its rows are loaded with the same loaders as the pages use
(helpline.metrics.load) for [local midnight, next local midnight) and folded by
helpline.metrics.rollup. Refreshing is idempotent, so a job, a repeat of it and the sweep may
all refresh the same day.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.metrics import rollup
from helpline.metrics.compute import Period
from helpline.metrics.load import load_calendar_for, load_rows
from helpline.metrics.response import Deadlines, ResponseTarget
from helpline.models import MetricsDay
from helpline.rota.rules import local_datetime


def day_period(day: date, settings: Settings) -> Period:
    tz = settings.timezone
    return Period(local_datetime(day, 0, tz), local_datetime(day + timedelta(days=1), 0, tz))


def refresh_days(session: Session, settings: Settings, days: Iterable[date], now: datetime) -> int:
    """Fold each of ``days`` again from the tables and store it. Returns how many."""
    done = 0
    for day in sorted(set(days)):
        period = day_period(day, settings)
        rows, history = load_rows(session, settings, period)
        deadlines = Deadlines(load_calendar_for(session, settings, period), ResponseTarget(settings.callback_target_hours))
        parts = rollup.fold_day(rows, rollup.Context(settings.timezone, deadlines, tuple(history)), day)
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(MetricsDay).values(day=day, layout=rollup.LAYOUT, parts=parts, refreshed_at=now)
        session.execute(statement.on_conflict_do_update(
            index_elements=["day"],
            set_={"layout": statement.excluded.layout, "parts": statement.excluded.parts,
                  "refreshed_at": statement.excluded.refreshed_at}))
        done += 1
    return done


def period_total(session: Session, first: date, end: date) -> dict[str, Any] | None:
    """The added value of the local days [first, end), or None while any of them is missing or
    of an older layout (then the caller refreshes them, or computes from rows)."""
    return period_totals(session, [(first, end)])[0]


def period_totals(session: Session, spans: Sequence[tuple[date, date]]) -> list[dict[str, Any] | None]:
    """period_total of each span (a year and its weeks, say), reading each stored day once."""
    if not spans:
        return []
    stored = dict(session.execute(
        select(MetricsDay.day, MetricsDay.parts).where(
            MetricsDay.day >= min(first for first, _ in spans), MetricsDay.day < max(end for _, end in spans),
            MetricsDay.layout == rollup.LAYOUT)).all())
    return rollup.add_spans(stored, spans)
