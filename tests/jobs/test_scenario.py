"""One callback's whole life, end to end: a voicemail through the webhooks, a real RQ worker,
the sweep, the fake Twilio over HTTP, and a clock the test moves."""
from __future__ import annotations

from conftest import helsinki
from jobs.conftest import MOBILE_CALLER
from sqlalchemy import select

from helpline.models import FeedbackRequest


def test_a_voicemail_is_assigned_texted_reminded_escalated_and_after_done_the_line_falls_silent(
        simulator, week_rota, run_worker, tick, clock, bodies, fake_twilio, history, staff_texts, line):
    aino, sirpa = week_rota.aino, week_rota.sirpa

    result = simulator.call(MOBILE_CALLER)  # nobody answers: the caller leaves a message
    assert result.recorded
    run_worker()

    [assignment] = bodies(aino.phone)
    assert "#1" in assignment and "050 1234567" in assignment and MOBILE_CALLER in assignment
    assert "10.00" in assignment
    [confirmation] = bodies(MOBILE_CALLER)
    assert "tänään ennen klo 15.00" in confirmation
    assert bodies(sirpa.phone) == []

    # Reminders every 30 minutes while open; the third brings in the supervisor, once.
    assert not tick(helsinki("2027-01-11 10:29"))
    assert len(bodies(aino.phone)) == 1
    for number, moment in enumerate(["10:30", "11:00", "11:30", "12:00"], start=1):
        tick(helsinki(f"2027-01-11 {moment}"))
        assert len(bodies(aino.phone)) == 1 + number, moment
        assert "#1" in bodies(aino.phone)[-1]
    [escalation] = bodies(sirpa.phone)
    assert "#1" in escalation and "Aino" in escalation
    assert len(bodies(MOBILE_CALLER)) == 1

    # "OK": still open, so the reminders go on (acknowledged is not handled); "DONE" ends it.
    tick(helsinki("2027-01-11 12:10"))
    staff_texts(aino, "OK 1")
    run_worker()
    assert bodies(aino.phone)[-1].startswith("Kuitattu #1")
    tick(helsinki("2027-01-11 12:30"))
    assert "Muistutus" in bodies(aino.phone)[-1]
    clock.set(helsinki("2027-01-11 12:40"))
    staff_texts(aino, "VALMIS 1 soitettu, kaikki hyvin")
    run_worker()
    assert bodies(aino.phone)[-1].startswith("Soittopyyntö #1 suljettu")
    kinds = [kind for kind, _ in history(1)]
    assert kinds == ["call", "message", "caller_texted", "assigned", "reminded", "reminded", "reminded", "escalated",
                     "reminded", "acknowledged", "reminded", "closed"]

    # Half an hour after DONE the caller gets the one feedback question, and answers it.
    sent = len(fake_twilio.messages)
    report = tick(helsinki("2027-01-11 13:10"))
    assert (report.callbacks_due, report.sms_due) == (0, 1)
    [_confirmation, question] = bodies(MOBILE_CALLER)
    assert "1-5" in question
    staff_texts(MOBILE_CALLER, "5 kiitos avusta")
    with line.db.session() as session:
        feedback = session.scalar(select(FeedbackRequest).where(FeedbackRequest.callback_id == 1))
        assert (feedback.score, feedback.comment) == (5, "kiitos avusta")

    # Then silence: nothing more, to anyone, however far the clock moves.
    for moment in ["2027-01-11 14:59", "2027-01-12 09:00", "2027-01-18 09:00", "2027-03-01 12:00"]:
        report = tick(helsinki(moment))
        assert (report.callbacks_due, report.sms_due) == (0, 0), moment
    assert len(fake_twilio.messages) == sent + 1
    assert len(bodies(MOBILE_CALLER)) == 2
