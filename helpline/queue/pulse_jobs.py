"""The RQ job of the monthly wellbeing pulse (helpline.feedback.pulse); the sweep queues it."""
from __future__ import annotations

import logging

from helpline.feedback.pulse import send_round
from helpline.services import current_services

log = logging.getLogger(__name__)


def send_pulse_round() -> str:
    """RQ job: ask whoever is due this month's pulse question. Safe to run any number of times."""
    line = current_services()
    with line.db.session() as session:
        outcome = send_round(session, line.settings, line.clock.now())
    log.info("wellbeing pulse: %s", outcome)
    return outcome
