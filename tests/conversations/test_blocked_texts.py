"""A text from a blocked number changes nothing: it opens or joins no conversation, gets no answer
(not even the automatic one at night), wakes nobody, and is kept without its number or words."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from conftest import helsinki
from conversations.conftest import CALLER
from helpline.models import InboundSms, SmsOptOut


def _inbound(line) -> list[InboundSms]:
    with line.db.sessionmaker() as session:
        return list(session.scalars(select(InboundSms).order_by(InboundSms.id)))


def test_a_text_from_a_blocked_number_opens_no_conversation_and_gets_no_answer(
        week_rota, make_block, text_line, tick, sms_to, stored, clock, line):
    make_block(CALLER)

    for moment in ("2027-01-11 10:00", "2027-01-11 20:00"):  # open, then closed (the automatic answer)
        clock.set(helsinki(moment))
        text_line(CALLER, "Soita minulle heti")
        tick()

    assert stored.callbacks() == []
    assert stored.outbound() == [] and sms_to(CALLER) == [] and sms_to(week_rota.aino.phone) == []
    kept = _inbound(line)
    assert [(row.from_number, row.body) for row in kept] == [("blocked", ""), ("blocked", "")]


def test_a_blocked_caller_s_text_joins_not_even_the_callback_they_left_before_the_block(
        week_rota, make_block, text_line, tick, sms_to, stored, clock):
    text_line(CALLER, "Tarvitsen apua")
    tick()
    [callback] = stored.callbacks()
    before = stored.conversation(callback.id)
    sent = len(sms_to(week_rota.aino.phone))
    make_block(CALLER)

    clock.advance(minutes=5)
    text_line(CALLER, "Miksi kukaan ei vastaa?")
    tick(seconds=120)

    assert stored.conversation(callback.id) == before
    assert len(sms_to(week_rota.aino.phone)) == sent  # nothing forwarded


def test_stop_from_a_blocked_number_is_still_remembered(week_rota, make_block, text_line, tick, line, stored):
    make_block(CALLER)

    text_line(CALLER, "STOP")
    tick()

    with line.db.sessionmaker() as session:
        assert session.scalar(select(SmsOptOut.number)) == CALLER
    assert stored.callbacks() == []


def test_a_repeated_delivery_of_a_blocked_text_is_still_one(week_rota, make_block, text_line, line):
    make_block(CALLER)
    sid = text_line(CALLER, "Hei")
    text_line(CALLER, "Hei", sid=sid)
    assert len(_inbound(line)) == 1


def test_once_the_block_has_ended_a_text_opens_a_conversation_again(
        week_rota, make_block, text_line, tick, stored, clock):
    monday = clock.now()
    clock.set(monday - timedelta(days=3))
    make_block(CALLER, days=3)
    clock.set(monday)

    text_line(CALLER, "Hei taas")
    tick()

    [callback] = stored.callbacks()
    assert stored.conversation(callback.id)[0] == ("caller", "Hei taas")


def test_twilio_gets_the_empty_answer_for_a_blocked_sender_s_text(week_rota, make_block, client, line):
    from helpline.telephony.signatures import sign

    make_block(CALLER)
    params = {"MessageSid": "SM" + "e" * 32, "AccountSid": line.settings.twilio_account_sid, "From": CALLER,
              "To": line.settings.twilio_phone_number, "Body": "Hei"}
    signature = sign(line.settings.twilio_auth_token, line.settings.public_base_url + "/sms/incoming", params)

    response = client.post("/sms/incoming", data=params, headers={"X-Twilio-Signature": signature})

    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert response.get_data(as_text=True) == '<?xml version="1.0" encoding="UTF-8"?><Response/>'
