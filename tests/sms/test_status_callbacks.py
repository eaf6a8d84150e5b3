"""Twilio's message status callbacks: signed, stored once, and only ever moving a message forward."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from helpline.models import MessageStatusEvent, OutboundSms
from helpline.queue.sms_status import REDELIVERY_DELAY

from .conftest import CALLER


def _sent_sms(text, run_worker, line) -> OutboundSms:
    sms = text()
    run_worker()
    with line.db.sessionmaker() as session:
        return session.get(OutboundSms, sms.id)


def _status(line, outbound_id: int) -> tuple[str, int | None]:
    with line.db.sessionmaker() as session:
        row = session.get(OutboundSms, outbound_id)
        return row.status, row.error_code


def _callback(sms: OutboundSms, status: str, **extra: str) -> tuple[str, dict[str, str]]:
    params = {"MessageSid": sms.twilio_sid, "SmsSid": sms.twilio_sid, "MessageStatus": status,
              "SmsStatus": status, "To": sms.to_number, "AccountSid": "AC" + "0" * 32, **extra}
    return f"/sms/status?outbound={sms.id}", params


def _events(line) -> list[tuple[str, str]]:
    with line.db.sessionmaker() as session:
        return [(e.message_sid, e.status) for e in session.scalars(select(MessageStatusEvent).order_by(MessageStatusEvent.id))]


def test_a_delivered_report_marks_the_callers_sms_delivered(text, run_worker, line, twilio_post):
    sms = _sent_sms(text, run_worker, line)
    assert twilio_post(*_callback(sms, "sent")).status_code == 204
    assert _status(line, sms.id) == ("sent", None)
    assert twilio_post(*_callback(sms, "delivered")).status_code == 204
    assert _status(line, sms.id) == ("delivered", None)
    assert _events(line) == [(sms.twilio_sid, "sent"), (sms.twilio_sid, "delivered")]


def test_a_repeated_callback_is_stored_once(text, run_worker, line, twilio_post):
    sms = _sent_sms(text, run_worker, line)
    for _ in range(3):
        assert twilio_post(*_callback(sms, "delivered")).status_code == 204
    assert _events(line) == [(sms.twilio_sid, "delivered")]


def test_a_late_sent_report_never_undoes_delivered(text, run_worker, line, twilio_post):
    sms = _sent_sms(text, run_worker, line)
    twilio_post(*_callback(sms, "delivered"))
    twilio_post(*_callback(sms, "sent"))
    twilio_post(*_callback(sms, "queued"))
    assert _status(line, sms.id) == ("delivered", None)
    assert len(_events(line)) == 3  # every report is kept, even the ones that change nothing


def test_a_forged_status_callback_is_refused_and_changes_nothing(text, run_worker, line, twilio_post, client):
    sms = _sent_sms(text, run_worker, line)
    path, params = _callback(sms, "failed", ErrorCode="30007")
    assert twilio_post(path, params, token="not-our-auth-token").status_code == 403
    assert client.post(path, data=params).status_code == 403  # no signature at all
    assert _status(line, sms.id) == ("sent", None)
    assert _events(line) == []


def test_an_unreachable_handset_gets_the_sms_again_later(text, run_worker, sweep, line, twilio_post, clock,
                                                          fake_twilio):
    sms = _sent_sms(text, run_worker, line)
    twilio_post(*_callback(sms, "undelivered", ErrorCode="30003"))
    assert _status(line, sms.id) == ("undelivered", 30003)

    assert sweep() == []  # not at once: the phone is off
    clock.advance(seconds=REDELIVERY_DELAY.total_seconds())
    [again] = sweep()
    run_worker()

    with line.db.sessionmaker() as session:
        retry = session.get(OutboundSms, again)
        assert (retry.to_number, retry.body, retry.status) == (sms.to_number, sms.body, "sent")
        assert retry.twilio_sid != sms.twilio_sid
    assert len(fake_twilio.messages_to(CALLER)) == 2
    # Twilio repeating the undelivered report does not queue a third one.
    twilio_post(*_callback(sms, "undelivered", ErrorCode="30003"))
    with line.db.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(OutboundSms)) == 2


def test_a_number_that_does_not_exist_is_not_retried(text, run_worker, sweep, line, twilio_post, clock):
    sms = _sent_sms(text, run_worker, line)
    twilio_post(*_callback(sms, "undelivered", ErrorCode="30005"))  # unknown destination handset
    assert _status(line, sms.id) == ("undelivered", 30005)
    clock.advance(hours=1)
    assert sweep() == []


def test_a_callback_names_the_message_whose_create_request_timed_out(text, line, twilio_post, run_worker,
                                                                     sweep, clock, fake_twilio):
    sms = text()
    with line.db.session() as session:  # the create request timed out; Twilio has it as SM...
        row = session.get(OutboundSms, sms.id)
        row.status, row.attempts, row.check_twilio_since = "queued", 1, clock.now()
        row.next_attempt_at = clock.now() + timedelta(seconds=10)
    sid = "SM" + "a" * 32
    assert twilio_post(f"/sms/status?outbound={sms.id}", {"MessageSid": sid, "MessageStatus": "sent"}).status_code == 204

    with line.db.sessionmaker() as session:
        row = session.get(OutboundSms, sms.id)
        assert (row.status, row.twilio_sid) == ("sent", sid)
    clock.advance(seconds=10)
    assert sweep() == []
    run_worker()
    assert fake_twilio.requests == []  # nothing was sent again, nothing even checked


def test_a_callback_for_a_message_we_do_not_know_is_kept_and_answered(line, twilio_post):
    response = twilio_post("/sms/status", {"MessageSid": "SM" + "b" * 32, "MessageStatus": "delivered"})
    assert response.status_code == 204
    assert _events(line) == [("SM" + "b" * 32, "delivered")]


def test_a_status_callback_naming_an_outbound_id_no_database_can_hold_is_not_found(app, line, twilio_post):
    app.config["TESTING"] = False  # a 500 would be a response, not an exception
    params = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered", "AccountSid": "AC" + "0" * 32}
    for outbound in (str(2**31), str(2**63), "9" * 40, "abc"):
        assert twilio_post(f"/sms/status?outbound={outbound}", params).status_code == 404, outbound
    assert _events(line) == []
    assert twilio_post(f"/sms/status?outbound={2**31 - 1}", params).status_code == 204  # in range, just unknown


def test_an_error_code_no_database_column_could_hold_is_kept_as_none(line, twilio_post, caplog):
    response = twilio_post(f"/sms/status?outbound={2**31 - 1}",
                           {"MessageSid": "SM" + "c" * 32, "MessageStatus": "failed", "ErrorCode": "9" * 30})
    assert response.status_code == 204
    assert not [record for record in caplog.records if record.exc_info]
