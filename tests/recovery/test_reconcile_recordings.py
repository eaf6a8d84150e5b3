"""A caller's message reaches a callback request even when no webhook managed to store it."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import Call, CallbackRequest, VoiceMessage
from helpline.dispatch import job_queue
from helpline.queue.reconcile import reconcile_recordings
from helpline.telephony.signatures import sign
from twilio_line import fake_twilio, fake_twilio_hang_seconds, line  # noqa: F401 (shared fixtures)

CALLER = "+358401234567"


def _incoming(client, settings, call_sid: str, caller: str) -> None:
    params = {"CallSid": call_sid, "From": caller, "To": settings.twilio_phone_number, "CallStatus": "ringing",
              "AccountSid": settings.twilio_account_sid}
    url = settings.public_base_url + "/voice/incoming"
    response = client.post("/voice/incoming", data=params,
                           headers={"X-Twilio-Signature": sign(settings.twilio_auth_token, url, params)})
    assert response.status_code == 200


def _callbacks(line) -> list[CallbackRequest]:
    with line.db.sessionmaker() as session:
        rows = session.scalars(select(CallbackRequest)).all()
        for row in rows:
            _ = row.messages  # load while the session is open
        return rows


def test_a_message_whose_recording_webhooks_never_arrived_becomes_a_callback_request(
        line, client, settings, fake_twilio, redis, office_hours):
    office_hours()
    _incoming(client, settings, "CA" + "1" * 32, CALLER)
    recording_sid = fake_twilio.add_recording(call_sid="CA" + "1" * 32, duration=14)

    report = reconcile_recordings(line)

    assert report.adopted == [recording_sid]
    [callback] = _callbacks(line)
    assert callback.caller == CALLER
    assert [m.recording_sid for m in callback.messages] == [recording_sid]
    assert callback.messages[0].duration_seconds == 14
    assert callback.has_message
    queued = job_queue(redis).job_ids
    assert f"callback-{callback.id}-process" in queued


def test_a_call_our_server_never_saw_is_rebuilt_from_twilio_with_its_caller(line, fake_twilio, office_hours):
    office_hours()
    call_sid = "CA" + "2" * 32
    fake_twilio.add_inbound_call(call_sid, from_=CALLER, to=line.settings.twilio_phone_number)
    recording_sid = fake_twilio.add_recording(call_sid=call_sid, duration=30)

    report = reconcile_recordings(line)

    assert report.adopted == [recording_sid]
    with line.db.sessionmaker() as session:
        call = session.scalar(select(Call).where(Call.call_sid == call_sid))
        assert call is not None and call.caller == CALLER and call.outcome == "voicemail"
    [callback] = _callbacks(line)
    assert callback.caller == CALLER and callback.has_message


def test_reconciling_twice_or_after_the_webhooks_stored_it_changes_nothing(
        line, client, settings, fake_twilio, office_hours):
    office_hours()
    call_sid = "CA" + "3" * 32
    _incoming(client, settings, call_sid, CALLER)
    stored_sid = fake_twilio.add_recording(call_sid=call_sid, duration=9)
    params = {"CallSid": call_sid, "From": CALLER, "RecordingSid": stored_sid, "RecordingDuration": "9",
              "RecordingUrl": f"https://api.twilio.com/x/{stored_sid}", "AccountSid": settings.twilio_account_sid}
    url = settings.public_base_url + "/voice/recorded"
    assert client.post("/voice/recorded", data=params,
                       headers={"X-Twilio-Signature": sign(settings.twilio_auth_token, url, params)}).status_code == 200

    first = reconcile_recordings(line)
    second = reconcile_recordings(line)

    assert first.seen == 1 and first.adopted == [] and second.adopted == []
    with line.db.sessionmaker() as session:
        assert session.scalars(select(VoiceMessage.recording_sid)).all() == [stored_sid]
        assert len(session.scalars(select(CallbackRequest)).all()) == 1


def test_a_withheld_callers_recording_is_left_at_twilio_without_a_callback(line, fake_twilio, office_hours):
    office_hours()
    call_sid = "CA" + "4" * 32
    fake_twilio.add_inbound_call(call_sid, from_="anonymous", to=line.settings.twilio_phone_number)
    recording_sid = fake_twilio.add_recording(call_sid=call_sid)

    report = reconcile_recordings(line)

    assert report.adopted == [] and report.skipped == [recording_sid]
    assert _callbacks(line) == []


def test_when_twilio_cannot_be_reached_reconciliation_waits_for_the_next_run(line, fake_twilio, office_hours):
    office_hours()
    fake_twilio.add_inbound_call("CA" + "5" * 32, from_=CALLER, to=line.settings.twilio_phone_number)
    fake_twilio.add_recording(call_sid="CA" + "5" * 32)
    fake_twilio.stop()

    report = reconcile_recordings(line)

    assert report.seen == 0 and report.adopted == []
    assert _callbacks(line) == []
