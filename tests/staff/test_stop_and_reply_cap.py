"""STOP and START from staff phones, and the cap that keeps two machines from texting each other for ever."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from helpline.models import SmsOptOut, Staff
from helpline.sms.outbox import queue_sms
from helpline.inbound.sms import REPLY_CAP, REPLY_WINDOW


def test_stop_gets_no_reply_and_after_it_the_line_sends_the_staff_member_nothing(
        team, make_callback, text_line, texts_to, stored, worker_line, clock, line):
    ref = make_callback(assignee=team.aino)
    text_line(team.aino, "STOP")
    assert texts_to(team.aino.phone) == []  # Twilio answers STOP itself, at the carrier level

    with line.db.sessionmaker() as session:
        assert session.get(Staff, team.aino.id).sms_opted_out_at == clock.now()
        assert session.scalar(select(SmsOptOut.source).where(SmsOptOut.number == team.aino.phone)) == "stop-sms"
    # Commands still work, silently; and nothing else the line queues for her goes out either.
    text_line(team.aino, f"OK {ref}")
    with worker_line.db.session() as session:
        queue_sms(session, to=team.aino.phone, body=f"Muistutus: soittopyyntö #{ref} on yhä auki.",
                  purpose="reminder", dedupe_key=f"reminder-{ref}-1", now=clock.now(), staff_id=team.aino.id)
    assert texts_to(team.aino.phone) == []
    assert stored.callback(ref).status == "acknowledged"
    assert [row.status for row in stored.outbound(team.aino.phone)] == ["suppressed"]


def test_the_supervisors_on_duty_are_told_when_a_staff_member_stops_sms(
        team, text_line, texts_to, make_shift, clock):
    make_shift(team.sanna, clock.now() - timedelta(hours=2), clock.now() + timedelta(hours=4))
    text_line(team.bertil, "stop")
    text_line(team.bertil, "STOP")  # a second STOP is no news
    assert texts_to(team.sanna.phone) == [
        "Huom: Bertil (040 1110002) esti linjan tekstiviestit (STOP). Viestit eivät mene perille ennen kuin hän "
        "lähettää START."]


def test_start_turns_sms_back_on_with_a_short_confirmation(team, text_line, texts_to, line):
    text_line(team.carol, "STOP")
    text_line(team.carol, "START")
    assert texts_to(team.carol.phone) == ["SMS from the line are back on. To stop them: STOP."]
    with line.db.sessionmaker() as session:
        assert session.get(Staff, team.carol.id).sms_opted_out_at is None
        assert session.scalar(select(SmsOptOut).where(SmsOptOut.number == team.carol.phone)) is None


def test_stop_from_a_caller_is_remembered_without_a_reply(text_line, texts_to, line, worker_line, clock):
    caller = "+358405556677"
    text_line(caller, "STOP")
    with worker_line.db.session() as session:
        queue_sms(session, to=caller, body="Yritimme soittaa sinulle takaisin.", purpose="caller_unreachable",
                  dedupe_key="unreachable-1", now=clock.now())
    assert texts_to(caller) == []


def test_an_auto_responder_answering_every_reply_meets_silence_after_five(
        team, text_line, texts_to, fake_twilio, stored, clock):
    """Aino's phone answers every SMS with 'I am driving'; each answer is an unknown command."""
    text_line(team.aino, "OK")  # her only message; she has no open callback
    answered = 0
    for _ in range(20):
        replies = texts_to(team.aino.phone)
        if len(replies) == answered:
            break
        answered = len(replies)
        clock.advance(seconds=20)
        text_line(team.aino, "Ajan autoa, vastaan myöhemmin. / I'm driving, I'll reply later.")
    assert answered == REPLY_CAP
    assert len(stored.inbound()) == REPLY_CAP + 1  # every message is still stored

    # Ten minutes after the storm, she is answered again.
    clock.advance(seconds=REPLY_WINDOW.total_seconds())
    text_line(team.aino, "HELP")
    replies = texts_to(team.aino.phone)
    assert len(replies) == REPLY_CAP + 1 and replies[-1].startswith("Komennot:")


def test_the_reply_cap_is_per_number(team, text_line, texts_to):
    for _ in range(REPLY_CAP + 2):
        text_line(team.aino, "HELP")
    text_line(team.bertil, "HELP")
    assert len(texts_to(team.aino.phone)) == REPLY_CAP
    assert len(texts_to(team.bertil.phone)) == 1
