"""The figures of a period as the pages, the API and the reports show them: read from the stored
day rollups where they are fresh, computed from rows for the rest.

A period is cut into local days. A whole day before yesterday that is stored and fresh
(helpline.metrics.rollup_store.fresh_days) is read as it is; every other stretch (today and
yesterday, a day with a change not yet folded again, a partial day at either end of the period,
days never folded) has its rows loaded and folded on the spot (rollup_store.fold_span). The
days' values are added per local ISO week and the weeks into the period, and the figures rebuilt
from them (helpline.metrics.rollup), equal to what helpline.metrics.load.metrics_from_rows
computes from every row (tests/metrics/test_period.py). So a year costs its 365 stored days,
not its calls, once the refresh has folded them.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.metrics import export, rollup
from helpline.metrics.compute import Metrics, Period, Week, week_label, week_starts
from helpline.metrics.feedback_rows import load_feedback
from helpline.metrics.identity import CallerKeys
from helpline.metrics.load import collection_paused, load_callbacks, load_calls, load_services, load_staff
from helpline.metrics.queue_load import queue_figures_between
from helpline.metrics.response import ResponseTarget
from helpline.metrics.rollup_store import days_period, fold_span, fresh_days
from helpline.rota.rules import local_datetime


# Each stretch not stored costs one load of its rows (about a dozen queries); past this many, the
# whole period is loaded once instead (as many days are marked after a retention run, say).
MAX_GAPS = 12


def _whole_days(period: Period, settings: Settings, now: datetime) -> tuple[date, date]:
    """[first, end): the local days wholly inside ``period`` that may be stored (before
    yesterday, by ``now``); an empty range when there are none."""
    tz = settings.timezone
    first = period.start.astimezone(tz).date()
    if local_datetime(first, 0, tz) < period.start:
        first += timedelta(days=1)
    end = period.end.astimezone(tz).date()  # the day holding the end: whole only if it starts there
    end = min(end, now.astimezone(tz).date() - timedelta(days=1))
    return first, max(first, end)


def _gaps(period: Period, stored: list[date], settings: Settings) -> list[Period]:
    """The stretches of ``period`` that no stored day covers."""
    gaps, start = [], period.start
    for day in sorted(stored):
        covered = days_period(day, day + timedelta(days=1), settings)
        if covered.start > start:
            gaps.append(Period(start, covered.start))
        start = covered.end
    if start < period.end:
        gaps.append(Period(start, period.end))
    return gaps


def day_values(session: Session, settings: Settings, period: Period, now: datetime) -> dict[date, dict[str, Any]]:
    """Each local day of ``period`` that has anything -> its value (rollup.PARTS), stored or
    folded from rows now (for the part of the day inside the period)."""
    first, end = _whole_days(period, settings, now)
    values = fresh_days(session, settings, first, end)
    gaps = _gaps(period, list(values), settings)
    if len(gaps) > MAX_GAPS:  # stale days scattered all over: one load of the period costs less
        return fold_span(session, settings, period, by_day=False)
    for gap in gaps:
        values.update(fold_span(session, settings, gap, by_day=False))
    return values


def metrics_for(session: Session, settings: Settings, period: Period, now: datetime) -> Metrics:
    """The figures of ``period`` (and of each local ISO week in it) as the database has them at ``now``."""
    tz = settings.timezone
    with collection_paused():
        values = day_values(session, settings, period, now)
        weeks = week_starts(period, tz)
        week_days = [weeks[0].astimezone(tz).date()] + [start.astimezone(tz).date() for start in weeks[1:]]
        by_week: list[list[dict[str, Any]]] = [[] for _ in weeks]
        for day, value in values.items():
            by_week[max(0, bisect_right(week_days, day) - 1)].append(value)
        totals = [rollup.add_days(days) for days in by_week]
        staff, services = load_staff(session), load_services(session)
        target = ResponseTarget(settings.callback_target_hours)

        def figures(total: dict[str, Any], start: datetime, end: datetime):
            return rollup.figures(total, start, end, staff=staff, services=services, target=target, now=now)

        ends = [*weeks[1:], period.end]
        return Metrics(
            timezone=tz.key, computed_at=now,
            period=figures(rollup.add_days(totals), period.start, period.end),  # the weeks added
            weeks=tuple(Week(week_label(start, tz), figures(total, start, end))
                        for start, end, total in zip(weeks, ends, totals)))


CSV_KINDS = ("figures", "calls", "callbacks", "feedback")


def csv_export(session: Session, settings: Settings, period: Period, kind: str, now: datetime) -> str:
    """The CSV the API and the Figures page offer: the figures, or the anonymised calls,
    callbacks or caller feedback of ``period``. ``kind`` is one of CSV_KINDS."""
    if kind == "feedback":
        return export.feedback_csv(load_feedback(session, period), settings.timezone)
    if kind == "calls":
        return export.calls_csv(load_calls(session, period, CallerKeys(settings.secret_key)), settings.timezone)
    if kind == "callbacks":
        return export.callbacks_csv(load_callbacks(session, period), settings.timezone)
    return export.figures_csv(metrics_for(session, settings, period, now),
                              queue_figures_between(session, period.start, period.end))
