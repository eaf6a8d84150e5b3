"""A conversation by text lives the life of a voicemail callback: reminded, escalated, handed over
at the end of a shift, given back with PASS, closed with DONE; the caller's words follow it."""
from __future__ import annotations

from conftest import helsinki
from conversations.conftest import CALLER


def test_an_unanswered_conversation_is_reminded_and_escalated_like_a_voicemail(
        office_hours, make_staff, make_shift, text_line, tick, sms_to, stored, clock, line):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    sirpa = make_staff("Sirpa", "+358401110009", role="supervisor")
    for person in (aino, sirpa):
        make_shift(person, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"), priority=1 if person is aino else 5)
    text_line(CALLER, "Hei")
    tick()
    ref = stored.callbacks()[0].id
    interval = line.settings.reminder_interval_seconds
    for _ in range(line.settings.escalate_after_reminders):
        tick(seconds=interval)
    reminders = [body for body in sms_to(aino.phone) if body.startswith("Muistutus")]
    assert len(reminders) == line.settings.escalate_after_reminders
    [escalation] = sms_to(sirpa.phone)
    assert escalation.startswith(f"Valvojalle: soittopyyntö #{ref} (050 1234567")
    assert stored.events(ref).count("escalated") == 1


def test_at_the_end_of_a_shift_the_conversation_and_its_words_pass_to_the_next_person(
        office_hours, make_staff, make_shift, text_line, tick, sms_to, stored, clock):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    bertil = make_staff("Bertil", "+358401110002", languages=("sv", "fi"))
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 12:00"), priority=1)
    make_shift(bertil, helsinki("2027-01-11 12:00"), helsinki("2027-01-11 15:00"), priority=1)
    clock.set(helsinki("2027-01-11 11:40"))
    text_line(CALLER, "Hei, voisiko joku soittaa?")
    tick()
    ref = stored.callbacks()[0].id
    clock.set(helsinki("2027-01-11 11:59"))
    text_line(CALLER, "Olen kotona iltaan asti")  # forwarding would be due at 12:00: after Aino's shift

    tick(helsinki("2027-01-11 12:00"))
    assert stored.callback(ref).assignee_id == bertil.id
    [handed] = sms_to(bertil.phone)
    assert handed.startswith(f"Överlämnad till dig från Aino. SMS #{ref}: 050 1234567 (+358501234567) skrev: "
                             'kl. 11.40 "Hei, voisiko joku soittaa?" / kl. 11.59 "Olen kotona iltaan asti"')
    assert sms_to(aino.phone)[-1].startswith(f"Soittopyyntö #{ref} (050 1234567) siirtyi: Bertil hoitaa sen")
    assert not any("Olen kotona" in body for body in sms_to(aino.phone))
    tick(seconds=120)
    assert len(sms_to(bertil.phone)) == 1  # the words came with the handover, once


def test_pass_gives_the_conversation_to_someone_else_with_the_words(
        week_rota, text_line, tick, sms_to, stored, clock):
    text_line(CALLER, "Tarvitsen apua")
    tick()
    ref = stored.callbacks()[0].id
    text_line(week_rota.aino, f"OHITA {ref}")
    tick()
    assert stored.callback(ref).assignee_id == week_rota.sirpa.id
    assert '"Tarvitsen apua"' in sms_to(week_rota.sirpa.phone)[0]


def test_a_chatty_caller_is_forwarded_at_most_ten_sms_an_hour_and_nothing_is_lost(
        week_rota, text_line, tick, sms_to, stored, clock):
    text_line(CALLER, "Hei")
    tick()
    ref = stored.callbacks()[0].id
    for minute in range(1, 31):  # a text every two minutes for an hour
        clock.advance(minutes=2)
        text_line(CALLER, f"viesti {minute}")
        tick()
    forwarded = [body for body in sms_to(week_rota.aino.phone)[1:] if body.startswith(f"#{ref}")]
    assert len(forwarded) == 10  # (reminders besides: nobody has answered)
    tick(helsinki("2027-01-11 11:03"))  # the first forward left at 10:04: the window has no room yet
    assert len([body for body in sms_to(week_rota.aino.phone) if body.startswith(f"#{ref}")]) == 10
    tick(helsinki("2027-01-11 11:04"))  # the rest, in one SMS
    forwarded = [body for body in sms_to(week_rota.aino.phone)[1:] if body.startswith(f"#{ref}")]
    assert len(forwarded) == 11
    words = " ".join(forwarded)
    assert all(f'"viesti {n}"' in words for n in range(1, 31))
    assert len(stored.conversation(ref)) == 31
