"""A number that replied STOP (Twilio 21610) gets nothing more, and the supervisors are told."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from helpline.models import OutboundSms, SmsOptOut, Staff
from helpline.sms.outbox import clear_opt_out, is_opted_out


def test_staff_who_replied_stop_get_no_more_sms_and_the_supervisor_on_duty_is_told(
        staffed_line, make_staff, make_shift, clock, text, run_worker, fake_twilio, line):
    aino, _bertil = staffed_line
    now = clock.now()
    sanna = make_staff("Sanna", "+358401110009", role="supervisor")
    make_shift(sanna, now - timedelta(hours=2), now + timedelta(hours=4))
    off_duty = make_staff("Olli", "+358401110010", role="supervisor")  # no shift today
    fake_twilio.fail_next("21610", to=aino.phone)

    assignment = text(aino.phone, "Callback #5: 040 1234567 called at 09:12.", key="assign-5")
    run_worker()  # the alert is queued by the failing job and sent in the same burst

    with line.db.sessionmaker() as session:
        row = session.get(OutboundSms, assignment.id)
        assert (row.status, row.error_code) == ("failed", 21610)
        [opt_out] = session.scalars(select(SmsOptOut)).all()
        assert (opt_out.number, opt_out.source, opt_out.opted_out_at) == (aino.phone, "twilio-21610", now)
        assert session.get(Staff, aino.id).sms_opted_out_at == now
        [alert] = session.scalars(select(OutboundSms).where(OutboundSms.purpose == "opt_out_alert")).all()
        assert (alert.to_number, alert.staff_id, alert.status) == (sanna.phone, sanna.id, "sent")
    [told] = fake_twilio.messages_to(sanna.phone)
    assert "Aino" in told["body"] and "STOP" in told["body"]
    assert fake_twilio.messages_to(off_duty.phone) == []

    reminder = text(aino.phone, "Reminder: callback #5 is still open.", key="remind-5-1")
    run_worker()
    with line.db.sessionmaker() as session:
        assert session.get(OutboundSms, reminder.id).status == "suppressed"
    assert fake_twilio.messages_to(aino.phone) == []
    assert len(fake_twilio.requests_to("POST", "/Messages.json")) == 2  # Aino's refused one, Sanna's alert


def test_a_number_that_texts_start_again_can_be_texted(staffed_line, clock, text, run_worker, fake_twilio, line):
    aino, _ = staffed_line
    fake_twilio.fail_next("21610", to=aino.phone)
    text(aino.phone, "first", key="first")
    run_worker()
    with line.db.session() as session:
        assert is_opted_out(session, aino.phone)
        assert clear_opt_out(session, aino.phone)
    text(aino.phone, "second", key="second")
    run_worker()
    assert [m["body"] for m in fake_twilio.messages_to(aino.phone)] == ["second"]
    with line.db.sessionmaker() as session:
        assert session.get(Staff, aino.id).sms_opted_out_at is None
