"""The RQ job that folds stale or missing days of the figures again (helpline.metrics.rollup_store);
the sweep queues it every METRICS_EVERY. The figures are right without it (the pages compute from
rows whatever is not folded); it only keeps them fast."""
from __future__ import annotations

import logging

from helpline.metrics.rollup_store import refresh
from helpline.services import current_services

log = logging.getLogger(__name__)

# Batches (of rollup_store.DAYS_PER_BATCH days, one transaction each) per run: two years of a
# line's history on the first run; the next run goes on from there.
MAX_BATCHES = 24


def refresh_metrics_days() -> str:
    """RQ job: fold the stale and missing days, newest first. Safe to run any number of times."""
    line = current_services()
    folded = 0
    for _ in range(MAX_BATCHES):
        with line.db.session() as session:
            report = refresh(session, line.settings, line.clock.now())
        folded += report.folded
        if not report.left:
            break
    outcome = f"{folded} days folded, {report.left} left"
    log.info("figures: %s", outcome)
    return outcome
