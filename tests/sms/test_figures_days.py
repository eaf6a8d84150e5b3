"""The send path's Core statements (claim, suppress, sent) change an SMS's status on the day it
was queued: a day of the figures already folded is marked stale, so the Figures page never shows
the status the SMS had when the day was folded (helpline.models.metrics, rollup_store)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from helpline.metrics.load import metrics_from_rows
from helpline.metrics.period import metrics_for
from helpline.metrics.rollup_store import day_period, refresh
from helpline.models import MetricsDay, MetricsStale


def test_an_sms_sent_days_after_it_was_queued_is_counted_as_sent_on_its_day(text, run_worker, worker_line, clock):
    text()  # queued on Monday 11 January, 10:00; no worker runs yet
    clock.advance(days=3)
    with worker_line.db.session() as session:
        assert refresh(session, worker_line.settings, clock.now()).folded == 1  # Monday, with the SMS pending
        assert session.get(MetricsDay, date(2027, 1, 11)).parts["sms"]

    run_worker()

    period = day_period(date(2027, 1, 11), worker_line.settings)
    with worker_line.db.session() as session:
        assert session.scalar(select(func.count()).select_from(MetricsStale)) >= 1
        figures = metrics_for(session, worker_line.settings, period, clock.now())
        assert (figures.period.sms.sent, figures.period.sms.pending) == (1, 0)
        assert figures == metrics_from_rows(session, worker_line.settings, period, clock.now())
