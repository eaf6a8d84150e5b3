"""Feedback fixtures: the staff side's (signed SMS to the line, callbacks in the database, the
fake Twilio, real RQ workers) and ``deliver``, which does what the sweep does for SMS whose time
has come at the test's clock."""
from __future__ import annotations

from typing import Callable

import pytest

from helpline.dispatch import SEND_SMS_JOB, send_job_id
from helpline.sms.outbox import due_outbound
from staff.conftest import CALLER, make_callback, stored, team, text_line, texts_to, twilio_post  # noqa: F401
from twilio_line import fake_twilio, fake_twilio_hang_seconds, line, run_worker, worker_line  # noqa: F401

__all__ = ["CALLER"]


@pytest.fixture
def deliver(worker_line, clock, run_worker) -> Callable[[], int]:
    """Hand every SMS due at the clock's now to a send job, run the worker; how many were due."""

    def run() -> int:
        with worker_line.db.session() as session:
            ids = due_outbound(session, clock.now())
        for outbound_id in ids:
            worker_line.jobs.enqueue_now(SEND_SMS_JOB, outbound_id, job_id=send_job_id(outbound_id))
        run_worker()
        return len(ids)

    return run
