"""Queueing and sending: one row, one job, one message at Twilio."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from helpline.models import OutboundSms
from helpline.dispatch import SEND_SMS_JOB, send_job_id
from helpline.sms.outbox import due_outbound, queue_sms
from helpline.dispatch import job_queue
from helpline.services import build_services

from .conftest import CALLER


def _rows(line) -> list[OutboundSms]:
    with line.db.sessionmaker() as session:
        return list(session.scalars(select(OutboundSms).order_by(OutboundSms.id)))


def test_a_caller_gets_the_queued_sms_once_from_the_line_number(text, run_worker, fake_twilio, line):
    sms = text(CALLER, "Thank you, we will call you back today before 15:00.")
    assert sms.status == "queued"
    assert fake_twilio.messages == []  # nothing leaves before a worker runs

    run_worker()

    [message] = fake_twilio.messages
    assert (message["to"], message["from"], message["body"]) == (
        CALLER, line.settings.twilio_phone_number, "Thank you, we will call you back today before 15:00.")
    [create] = fake_twilio.requests_to("POST", "/Messages.json")
    assert create.authorized and create.username == line.settings.twilio_account_sid
    assert create.form["StatusCallback"] == f"{line.settings.public_base_url}/sms/status?outbound={sms.id}"
    [row] = _rows(line)
    assert (row.status, row.twilio_sid, row.attempts) == ("sent", message["sid"], 1)
    assert row.sent_at == line.clock.now()


def test_the_sms_goes_to_the_api_base_url_with_basic_auth(text, run_worker, fake_twilio, line):
    text()
    run_worker()
    # The fake only answers requests that reached it (TWILIO_API_BASE_URL) with our credentials.
    [create] = fake_twilio.requests_to("POST", "/Messages.json")
    assert create.path == f"/2010-04-01/Accounts/{line.settings.twilio_account_sid}/Messages.json"
    assert create.authorized


def test_queueing_the_same_message_twice_sends_it_once(text, run_worker, fake_twilio, line):
    first = text(CALLER, "Reminder: callback #7 is open.", key="reminder-7-1")
    second = text(CALLER, "Reminder: callback #7 is open.", key="reminder-7-1")
    run_worker()
    assert first.id == second.id
    assert len(_rows(line)) == 1
    assert len(fake_twilio.messages_to(CALLER)) == 1


def test_a_send_job_run_twice_sends_the_sms_once(text, run_worker, fake_twilio, line):
    sms = text()
    # The same job in Redis twice (a sweep re-queued it), then once more after it was sent.
    line.jobs.enqueue_now(SEND_SMS_JOB, sms.id, job_id=send_job_id(sms.id))
    line.jobs.enqueue_now(SEND_SMS_JOB, sms.id, job_id=f"again-{sms.id}")
    run_worker()
    line.jobs.enqueue_now(SEND_SMS_JOB, sms.id, job_id=send_job_id(sms.id))
    run_worker()
    assert len(fake_twilio.messages_to(CALLER)) == 1
    assert len(fake_twilio.requests_to("POST", "/Messages.json")) == 1
    assert _rows(line)[0].attempts == 1


def test_a_withheld_number_gets_no_sms_and_no_row(worker_line, clock):
    with worker_line.db.session() as session:
        assert queue_sms(session, to="anonymous", body="hi", purpose="caller_confirmation",
                         dedupe_key="confirm-1", now=clock.now()) is None
    assert _rows(worker_line) == []


@pytest.mark.parametrize("body, key, problem", [
    ("", "k", "empty body"),
    ("x" * 1601, "k", "1600"),
    ("hello", "", "dedupe_key"),
])
def test_a_programming_error_in_queue_sms_is_refused_clearly(worker_line, clock, body, key, problem):
    with worker_line.db.session() as session, pytest.raises(ValueError, match=problem):
        queue_sms(session, to=CALLER, body=body, purpose="test", dedupe_key=key, now=clock.now())


def test_an_sms_queued_while_redis_is_down_is_sent_by_the_sweep(line, clock, redis, sweep, run_worker, fake_twilio):
    # The web process cannot reach Redis: the row commits, the job is lost.
    cut_off = build_services(line.settings.with_overrides(redis_url="redis://127.0.0.1:1/0"), clock=clock)
    from helpline.services import use_services

    with use_services(cut_off), cut_off.db.session() as session:
        sms = queue_sms(session, to=CALLER, body="Your request was received.", purpose="caller_confirmation",
                        dedupe_key="confirm-9", now=clock.now())
    cut_off.db.dispose()
    assert job_queue(redis).count == 0
    with line.db.sessionmaker() as session:
        assert due_outbound(session, clock.now()) == [sms.id]

    assert sweep() == [sms.id]
    run_worker()
    assert [m["body"] for m in fake_twilio.messages_to(CALLER)] == ["Your request was received."]
    with line.db.sessionmaker() as session:
        assert due_outbound(session, clock.now()) == []
