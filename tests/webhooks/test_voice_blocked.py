"""A blocked caller hears one short notice and is neither rung through, queued nor recorded; no
webhook of their call (the menu, a recording, the status callback) leaves anything to do."""
from __future__ import annotations

from datetime import timedelta

from helpline.telephony.prompts import FINNISH, SWEDISH

CALLER = "+358501234567"


def _counts_are_zero(counts) -> None:
    assert counts() == counts().__class__(calls=0, attempts=0, callbacks=0, messages=0, events=0)


def test_a_blocked_caller_hears_the_notice_and_is_neither_rung_through_queued_nor_recorded(
        simulator, staffed_line, staff_phones, make_block, elements, counts, queued_jobs):
    aino, bertil = staffed_line
    make_block(CALLER)

    result = simulator.call(CALLER, staff=staff_phones((aino, "accept"), (bertil, "accept")))

    assert result.rang == [] and result.answered_by is None and not result.recorded
    assert result.heard == [FINNISH.blocked, SWEDISH.blocked]
    assert "112" in result.heard[0]
    notice = result.documents[0]
    for verb in ("Dial", "Record", "Gather", "Enqueue", "Redirect"):
        assert elements([notice], verb) == [], verb
    assert len(elements([notice], "Hangup")) == 1
    _counts_are_zero(counts)  # no call row, no missed-call callback from the status callback
    assert queued_jobs() == []


def test_a_blocked_caller_in_national_form_is_blocked_when_calling_in_e164(
        simulator, staffed_line, line, clock, counts):
    from helpline.audit import Actor
    from helpline.blocks import store as blocks
    from helpline.phones import normalise

    with line.db.session() as session:
        blocks.add(session, secret_key=line.settings.secret_key, number=normalise("050 123 4567"), days=1,
                   reason="pranks", actor=Actor.system(), now=clock.now(), tz=line.settings.timezone)

    result = simulator.call(CALLER)

    assert result.heard == [FINNISH.blocked, SWEDISH.blocked] and result.rang == []
    _counts_are_zero(counts)


def test_after_hours_a_blocked_caller_leaves_no_message(simulator, office_hours, make_block, clock, at_helsinki,
                                                        counts):
    office_hours()
    clock.set(at_helsinki("2027-01-11 20:00"))
    make_block(CALLER)

    result = simulator.call(CALLER, press="3")

    assert not result.recorded and result.heard == [FINNISH.blocked, SWEDISH.blocked]
    _counts_are_zero(counts)


def test_the_other_webhooks_of_a_blocked_call_store_and_queue_nothing(simulator, staffed_line, make_block, settings,
                                                                      counts, queued_jobs, elements):
    """What a forged-by-nobody but odd Twilio might still send for that call: a menu digit, a
    recording (the action and its status callback), a dial result and the final status."""
    make_block(CALLER)
    base = {"AccountSid": settings.twilio_account_sid, "CallSid": "CA" + "b" * 32, "From": CALLER,
            "To": settings.twilio_phone_number, "CallStatus": "in-progress"}
    recording = {"RecordingSid": "RE" + "b" * 32, "RecordingDuration": "12",
                 "RecordingUrl": "https://api.twilio.com/2010-04-01/Recordings/RE" + "b" * 32}

    menu = simulator.deliver("/voice/language", {**base, "Digits": "2"})
    recorded = simulator.deliver("/voice/recorded", {**base, **recording, "Digits": "#"})
    recording_status = simulator.deliver("/voice/recording-status", {
        "AccountSid": settings.twilio_account_sid, "CallSid": base["CallSid"], **recording,
        "RecordingStatus": "completed"})
    dial = simulator.deliver("/voice/dial-result?attempt=1", {**base, "DialCallStatus": "completed",
                                                              "DialBridged": "true"})
    status = simulator.deliver("/voice/status", {**base, "CallStatus": "no-answer", "CallDuration": "0"})

    for response in (menu, recorded, recording_status, dial, status):
        assert response.status_code == 200 and response.is_xml  # and valid TwiML: the simulator checks
    assert [say.text for say in elements([menu.text], "Say")] == [FINNISH.blocked, SWEDISH.blocked]
    assert elements([dial.text], "Dial") == []
    _counts_are_zero(counts)
    assert queued_jobs() == []


def test_a_call_that_came_in_before_the_block_keeps_its_course(simulator, office_hours, make_block, stored):
    """The block applies to calls that come in after it: one already taking a message is stored."""
    office_hours()
    first = simulator.call(CALLER)
    make_block(CALLER)
    base = {"AccountSid": "AC" + "0" * 32, "CallSid": first.call_sid, "From": CALLER, "CallStatus": "completed"}

    simulator.deliver("/voice/status", {**base, "CallDuration": "30"})

    assert stored.call(first.call_sid).outcome == "voicemail"
    assert len(stored.callbacks()) == 1


def test_when_the_block_has_ended_the_caller_is_rung_through_again(
        simulator, staffed_line, staff_phones, make_block, clock):
    aino, bertil = staffed_line
    today = clock.now()
    clock.set(today - timedelta(days=1))
    make_block(CALLER, days=1)  # yesterday 10:00 until today 10:00
    clock.set(today)

    result = simulator.call(CALLER, staff=staff_phones((aino, "accept"), (bertil, "accept")))

    assert result.answered_by == aino.phone


def test_a_withheld_caller_is_never_taken_for_a_blocked_one(simulator, staffed_line, make_block, stored):
    make_block(CALLER)

    result = simulator.call(None)

    assert FINNISH.blocked not in result.heard
    assert stored.call(result.call_sid).caller is None


def test_retention_masking_the_caller_s_number_does_not_undo_the_block_and_removes_it_after_it_ended(
        simulator, office_hours, make_block, line, clock, counts):
    from sqlalchemy import select, update

    from helpline.models import BlockedNumber, CallbackRequest
    from helpline.queue.retention import MASKED, purge_expired

    office_hours()
    simulator.call(CALLER, leave_message_seconds=0)  # hangs up without a message: a callback
    with line.db.session() as session:
        session.execute(update(CallbackRequest).values(status="closed", closed_at=clock.now(), next_action=None))
    make_block(CALLER, days=180)
    clock.advance(days=100)

    report = purge_expired(line)

    assert report.callbacks_masked == 1 and report.blocks_removed == 0
    with line.db.sessionmaker() as session:
        assert session.scalar(select(CallbackRequest.caller)) == MASKED
    before = counts()
    again = simulator.call(CALLER)
    assert again.heard == [FINNISH.blocked, SWEDISH.blocked]
    assert counts() == before

    clock.advance(days=80 + line.settings.retention_days)  # ended 80 days on, then kept RETENTION_DAYS
    assert purge_expired(line).blocks_removed == 0
    clock.advance(days=1)
    assert purge_expired(line).blocks_removed == 1
    with line.db.sessionmaker() as session:
        assert session.scalar(select(BlockedNumber)) is None
