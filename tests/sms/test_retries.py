"""When Twilio fails: backoff on 429/5xx, no retry for bad numbers, checked retries after timeouts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from rq.registry import ScheduledJobRegistry

from helpline.models import OutboundSms
from helpline.dispatch import send_job_id
from helpline.dispatch import job_queue
from helpline.queue.sms_jobs import MAX_ATTEMPTS, SENDING_LEASE
from helpline.telephony.client import TwilioGateway

from .conftest import CALLER


def _row(line, outbound_id: int) -> OutboundSms:
    with line.db.sessionmaker() as session:
        return session.get(OutboundSms, outbound_id)


def _rq_will_retry(redis, outbound_id: int) -> bool:
    registry = ScheduledJobRegistry(queue=job_queue(redis))
    return send_job_id(outbound_id) in registry.get_job_ids()


def test_a_server_error_is_retried_after_backoff_and_the_caller_gets_one_sms(
        text, run_worker, sweep, fake_twilio, line, clock, redis):
    sms = text()
    fake_twilio.fail_next("500")

    run_worker()

    row = _row(line, sms.id)
    assert (row.status, row.attempts, row.error_code) == ("queued", 1, 20500)
    assert row.next_attempt_at == clock.now() + timedelta(seconds=10)
    assert _rq_will_retry(redis, sms.id)  # the exception reached RQ's Retry
    assert sweep() == []  # not due yet

    clock.advance(seconds=10)
    assert sweep() == [sms.id]
    run_worker()

    row = _row(line, sms.id)
    assert (row.status, row.attempts, row.error_code) == ("sent", 2, None)
    assert len(fake_twilio.requests_to("POST", "/Messages.json")) == 2
    assert [m["sid"] for m in fake_twilio.messages_to(CALLER)] == [row.twilio_sid]


def test_too_many_requests_backs_off_longer_each_time(text, run_worker, sweep, fake_twilio, line, clock):
    sms = text()
    fake_twilio.fail_next("429", times=2)

    run_worker()
    assert _row(line, sms.id).next_attempt_at == clock.now() + timedelta(seconds=10)
    clock.advance(seconds=10)
    sweep()
    run_worker()
    assert _row(line, sms.id).next_attempt_at == clock.now() + timedelta(seconds=30)

    clock.advance(seconds=29)
    assert sweep() == []
    clock.advance(seconds=1)
    assert sweep() == [sms.id]
    run_worker()
    row = _row(line, sms.id)
    assert (row.status, row.attempts) == ("sent", 3)
    assert len(fake_twilio.messages_to(CALLER)) == 1


def test_a_message_twilio_keeps_refusing_is_given_up_after_the_last_attempt(
        text, run_worker, sweep, fake_twilio, line, clock):
    sms = text()
    fake_twilio.fail_next("503", times=None)
    run_worker()
    for _ in range(MAX_ATTEMPTS - 1):
        clock.set(_row(line, sms.id).next_attempt_at)
        assert sweep() == [sms.id]
        run_worker()

    row = _row(line, sms.id)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert row.error_message.startswith(f"gave up after {MAX_ATTEMPTS} attempts")
    clock.advance(days=1)
    assert sweep() == []
    assert len(fake_twilio.requests_to("POST", "/Messages.json")) == MAX_ATTEMPTS


@pytest.mark.parametrize("code", ["21211", "21614"])
def test_a_bad_number_fails_at_once_and_is_never_retried(text, run_worker, sweep, fake_twilio, line, clock,
                                                         redis, code):
    sms = text()
    fake_twilio.fail_next(code)
    run_worker()

    row = _row(line, sms.id)
    assert (row.status, row.error_code, row.attempts) == ("failed", int(code), 1)
    assert not _rq_will_retry(redis, sms.id)
    clock.advance(hours=1)
    assert sweep() == []
    assert len(fake_twilio.requests_to("POST", "/Messages.json")) == 1


@pytest.fixture
def impatient_gateway(worker_line):
    """A gateway that gives up on Twilio after half a second (the fake hangs for three)."""
    worker_line.twilio = TwilioGateway.from_settings(worker_line.settings, timeout=0.5)


def test_a_timeout_after_twilio_took_the_sms_is_not_sent_again(
        impatient_gateway, text, run_worker, sweep, fake_twilio, line, clock):
    sms = text()
    fake_twilio.fail_next("timeout")  # Twilio stores it, but its answer comes too late

    run_worker()
    row = _row(line, sms.id)
    assert (row.status, row.twilio_sid) == ("queued", None)
    assert row.check_twilio_since == clock.now()
    [stored] = fake_twilio.messages_to(CALLER)

    clock.advance(seconds=10)
    sweep()
    run_worker()

    row = _row(line, sms.id)
    assert (row.status, row.twilio_sid, row.check_twilio_since) == ("sent", stored["sid"], None)
    assert len(fake_twilio.requests_to("POST", "/Messages.json")) == 1  # checked, not resent
    [check] = fake_twilio.requests_to("GET", "/Messages.json")
    assert (check.query["To"], check.query["From"]) == (CALLER, line.settings.twilio_phone_number)
    assert len(fake_twilio.messages_to(CALLER)) == 1


def test_a_checked_retry_sends_when_twilio_never_got_the_sms(text, run_worker, fake_twilio, line, clock):
    sms = text()
    with line.db.session() as session:  # an earlier attempt timed out before Twilio stored anything
        session.get(OutboundSms, sms.id).check_twilio_since = clock.now() - timedelta(minutes=1)

    run_worker()

    assert [(r.method, r.path.rsplit("/", 1)[1]) for r in fake_twilio.requests] == [
        ("GET", "Messages.json"), ("POST", "Messages.json")]
    assert _row(line, sms.id).status == "sent"
    assert len(fake_twilio.messages_to(CALLER)) == 1


def test_an_sms_whose_worker_died_mid_send_is_checked_and_not_sent_twice(
        text, run_worker, sweep, fake_twilio, line, clock):
    sms = text()
    # A worker claimed it, reached Twilio, and died before writing down the answer.
    dead_worker = TwilioGateway.from_settings(line.settings)
    sent = dead_worker.send_sms(to=CALLER, body=sms.body)
    with line.db.session() as session:
        row = session.get(OutboundSms, sms.id)
        row.status, row.attempts, row.last_attempt_at = "sending", 1, clock.now()
        row.next_attempt_at = clock.now() + SENDING_LEASE
    assert sweep() == []  # still within the dead worker's claim

    clock.advance(seconds=SENDING_LEASE.total_seconds())
    assert sweep() == [sms.id]
    run_worker()

    row = _row(line, sms.id)
    assert (row.status, row.twilio_sid, row.attempts) == ("sent", sent.sid, 2)
    assert len(fake_twilio.messages_to(CALLER)) == 1


def test_the_31st_sms_to_one_number_within_an_hour_is_suppressed(text, run_worker, fake_twilio, line, clock):
    assert line.settings.sms_max_per_recipient_per_hour == 30
    for number in range(30):
        text(CALLER, f"Reminder {number}", key=f"storm-{number}")
    run_worker()
    assert len(fake_twilio.messages_to(CALLER)) == 30

    storm = text(CALLER, "Reminder 30", key="storm-30")
    other = text("+358401999999", "Someone else's reminder", key="other-1")
    run_worker()

    row = _row(line, storm.id)
    assert row.status == "suppressed" and "rate limit" in row.error_message
    assert len(fake_twilio.messages_to(CALLER)) == 30
    assert _row(line, other.id).status == "sent"

    clock.advance(hours=1, seconds=1)  # the thirty are now more than an hour old
    later = text(CALLER, "Reminder 31", key="storm-31")
    run_worker()
    assert _row(line, later.id).status == "sent"
