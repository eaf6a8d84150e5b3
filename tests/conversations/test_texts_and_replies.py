"""A caller texts the line; the assignee gets the words, answers through the line with REPLY, and
closes with DONE: signed webhooks, the fake Twilio over HTTP, real RQ workers."""
from __future__ import annotations

from conftest import LINE_NUMBER, helsinki
from conversations.conftest import CALLER


def test_a_text_in_office_hours_opens_a_conversation_and_the_assignee_gets_the_words_with_the_reference(
        week_rota, text_line, tick, sms_to, stored, only_from_the_line):
    text_line(CALLER, "Hei, tarvitsisin jonkun jolle puhua. Onko joku paikalla?")
    tick()

    [callback] = stored.callbacks()
    assert (callback.channel, callback.status, callback.assignee_id) == ("sms", "assigned", week_rota.aino.id)
    assert callback.call_count == 0
    assert sms_to(week_rota.aino.phone) == [
        f'Tekstiviesti #{callback.id}: 050 1234567 (+358501234567) kirjoitti ma 11.1. klo 10.00: "Hei, tarvitsisin '
        f'jonkun jolle puhua. Onko joku paikalla?" Vastaa: VASTAA {callback.id} <teksti> / VALMIS {callback.id} / '
        f'OHITA {callback.id}']
    # No call-back promise to someone who wrote: the line answers when a person answers.
    assert sms_to(CALLER) == []
    assert stored.events(callback.id)[:2] == ["texted", "assigned"]
    only_from_the_line()


def test_the_assignee_replies_by_sms_the_caller_gets_it_from_the_line_and_it_is_the_first_response(
        week_rota, text_line, tick, sms_to, stored, clock, only_from_the_line):
    text_line(CALLER, "Hei, onko siellä ketään?")
    tick()
    ref = stored.callbacks()[0].id

    clock.advance(minutes=3)
    text_line(week_rota.aino, f"VASTAA {ref} Hei, täällä Aino. Kerro vain, mikä painaa :)")
    tick()

    assert sms_to(CALLER) == ["Hei, täällä Aino. Kerro vain, mikä painaa :)"]
    assert len(sms_to(week_rota.aino.phone)) == 1  # the assignment only: a reply that went needs no answer
    callback = stored.callback(ref)
    assert callback.status == "acknowledged"
    assert callback.acknowledged_at == helsinki("2027-01-11 10:03")
    assert stored.conversation(ref) == [("caller", "Hei, onko siellä ketään?"),
                                        ("line", "Hei, täällä Aino. Kerro vain, mikä painaa :)")]
    only_from_the_line()


def test_the_callers_later_texts_within_a_minute_reach_the_assignee_as_one_sms(
        week_rota, text_line, tick, sms_to, stored, clock):
    text_line(CALLER, "Hei")
    tick()
    ref = stored.callbacks()[0].id
    text_line(week_rota.aino, f"VASTAA {ref} Hei! Miten voin auttaa?")
    tick()

    clock.advance(minutes=2)
    text_line(CALLER, "En saa nukuttua.")
    tick(seconds=20)
    text_line(CALLER, "Olen ollut yksin koko viikon")
    tick(seconds=20)
    assert len(sms_to(week_rota.aino.phone)) == 1  # still gathering

    tick(seconds=25)  # a minute after the first of them
    forwarded = sms_to(week_rota.aino.phone)[1:]
    assert forwarded == [f'#{ref} 050 1234567 kirjoitti: klo 10.02 "En saa nukuttua." / klo 10.02 "Olen ollut yksin '
                         f'koko viikon" Vastaa: VASTAA {ref} <teksti>']
    tick(seconds=120)
    assert len(sms_to(week_rota.aino.phone)) == 2  # each text forwarded once


def test_done_closes_the_conversation_and_the_next_text_opens_a_new_one(
        week_rota, text_line, tick, sms_to, stored, clock, api):
    text_line(CALLER, "Tarvitsen apua")
    tick()
    first = stored.callbacks()[0].id
    text_line(week_rota.aino, f"VASTAA {first} Soitan sinulle nyt.")
    text_line(week_rota.aino, f"VALMIS {first} soitettu ja juteltu")
    tick()
    assert stored.callback(first).status == "closed"

    clock.advance(hours=2)
    text_line(CALLER, "Kiitos eilisestä, saisinko vielä puhua?")
    tick()
    callbacks = stored.callbacks()
    assert [(cb.id, cb.status) for cb in callbacks] == [(first, "closed"), (first + 1, "assigned")]
    body = api.get(f"/api/callbacks/{first}").get_json()
    assert [(entry["from"], entry["text"]) for entry in body["conversation"]] == [
        ("caller", "Tarvitsen apua"), ("line", "Soitan sinulle nyt.")]


def test_a_voicemail_callers_text_joins_their_callback_and_is_forwarded_to_its_assignee(
        week_rota, simulator, text_line, tick, sms_to, stored, clock, only_from_the_line):
    week_rota_staff = {week_rota.aino.phone}
    from helpline.devtools.call_client import StaffPhone

    simulator.call(CALLER, staff={phone: StaffPhone(phone, "no-answer") for phone in week_rota_staff},
                   leave_message_seconds=15)
    tick()
    [callback] = stored.callbacks()
    assert (callback.channel, callback.assignee_id) == ("voice", week_rota.aino.id)
    assert len(sms_to(CALLER)) == 1  # the call-back promise

    clock.advance(minutes=5)
    text_line(CALLER, "Unohdin sanoa: parhaiten tavoittaa iltapäivällä")
    tick(seconds=61)
    assert [cb.id for cb in stored.callbacks()] == [callback.id]  # joined, no second request
    aino = sms_to(week_rota.aino.phone)
    assert aino[-1] == (f'#{callback.id} 050 1234567 kirjoitti: klo 10.05 "Unohdin sanoa: parhaiten tavoittaa '
                        f'iltapäivällä" Vastaa: VASTAA {callback.id} <teksti>')
    assert len(sms_to(CALLER)) == 1  # no second promise, no automatic answer in office hours
    assert "texted" in stored.events(callback.id)
    only_from_the_line()


def test_a_reply_longer_than_three_segments_is_refused_with_a_message_saying_so(
        week_rota, text_line, tick, sms_to, stored):
    text_line(CALLER, "Hei")
    tick()
    ref = stored.callbacks()[0].id

    text_line(week_rota.aino, f"VASTAA {ref} " + "a" * 460)  # 460 GSM-7 characters: 4 segments
    text_line(week_rota.aino, f"VASTAA {ref} " + "😊" * 101)  # 202 UCS-2 units: 4 segments
    text_line(week_rota.aino, f"VASTAA {ref}")  # nothing to send
    text_line(week_rota.aino, f"VASTAA {ref} " + "a" * 459)  # exactly 3 segments: sent
    tick()

    refusal = (f"Vastaus #{ref} on liian pitkä (4 tekstiviestin osaa, enintään 3: noin 459 merkkiä, tai 201 jos "
               "mukana on hymiöitä). Sitä ei lähetetty. Lyhennä tai jaa kahteen.")
    empty = f"Viestissä ei ollut tekstiä soittajalle. Kirjoita esim. VASTAA {ref} Hei, soitan sinulle."
    assert sms_to(week_rota.aino.phone)[1:] == [refusal, refusal, empty]
    assert sms_to(CALLER) == ["a" * 459]
    assert [sender for sender, _ in stored.conversation(ref)] == ["caller", "line"]


def test_a_reply_to_someone_elses_conversation_or_a_closed_one_is_refused(
        week_rota, make_staff, make_shift, text_line, tick, sms_to, stored, clock):
    olli = make_staff("Olli", "+358401110007")
    make_shift(olli, clock.now().replace(hour=9), clock.now().replace(hour=15), priority=9)
    text_line(CALLER, "Hei")
    tick()
    ref = stored.callbacks()[0].id
    text_line(olli, f"VASTAA {ref} Hei, tässä Olli")
    text_line(week_rota.aino, f"VALMIS {ref}")
    text_line(week_rota.aino, f"VASTAA {ref} Vielä yksi asia")
    tick()
    assert sms_to(olli.phone) == [f"Soittopyyntö #{ref} on toisen päivystäjän."]
    assert sms_to(week_rota.aino.phone)[-1] == f"Soittopyyntö #{ref} on jo suljettu."
    assert sms_to(CALLER) == []


def test_vastaa_ok_copied_from_an_sms_acknowledges_instead_of_texting_the_caller(
        week_rota, text_line, tick, sms_to, stored):
    text_line(CALLER, "Hei")
    tick()
    ref = stored.callbacks()[0].id
    text_line(week_rota.aino, f"Vastaa OK {ref}")
    tick()
    assert stored.callback(ref).status == "acknowledged"
    assert sms_to(CALLER) == []


def test_help_tells_staff_how_to_reply(week_rota, text_line, tick, sms_to):
    text_line(week_rota.aino, "APUA")
    tick()
    [help_text] = sms_to(week_rota.aino.phone)
    assert help_text.endswith("VASTAA 12 <teksti> lähettää soittajalle tekstiviestin linjan numerosta.")


def test_the_shared_number_is_the_only_sender_the_caller_ever_sees(
        week_rota, text_line, tick, fake_twilio, stored, api):
    text_line(CALLER, "Hei")
    tick()
    ref = stored.callbacks()[0].id
    text_line(week_rota.aino, f"VASTAA {ref} Hei, Aino tässä, numeroni on 040 111 0001")
    assert api.post(f"/api/callbacks/{ref}/reply", {"text": "Hei, tässä linja"}).status_code == 201
    tick()
    to_caller = fake_twilio.messages_to(CALLER)
    assert [message["from"] for message in to_caller] == [LINE_NUMBER, LINE_NUMBER]
    assert all(week_rota.aino.phone not in (message["from"], message["to"]) for message in to_caller)


def test_yes_from_a_caller_who_never_said_stop_is_part_of_the_conversation(
        week_rota, text_line, tick, sms_to, stored, clock):
    text_line(CALLER, "Hi, could someone talk with me?")
    tick()
    ref = stored.callbacks()[0].id
    text_line(week_rota.aino, f"REPLY {ref} Hello, may I call you now?")
    clock.advance(minutes=1)
    text_line(CALLER, "Yes")
    tick(seconds=61)
    assert [text for _, text in stored.conversation(ref)] == [
        "Hi, could someone talk with me?", "Hello, may I call you now?", "Yes"]
    assert sms_to(week_rota.aino.phone)[-1] == f'#{ref} 050 1234567 kirjoitti: klo 10.01 "Yes" Vastaa: VASTAA {ref} <teksti>'


def test_a_caller_who_wrote_and_then_calls_gets_the_call_back_promise(
        week_rota, simulator, text_line, tick, sms_to, stored, clock):
    from helpline.devtools.call_client import StaffPhone

    text_line(CALLER, "Hei")
    tick()
    assert sms_to(CALLER) == []
    clock.advance(minutes=10)
    simulator.call(CALLER, staff={week_rota.aino.phone: StaffPhone(week_rota.aino.phone, "no-answer"),
                                  week_rota.sirpa.phone: StaffPhone(week_rota.sirpa.phone, "no-answer")})
    tick()
    [callback] = stored.callbacks()
    assert (callback.channel, callback.call_count) == ("sms", 1)
    assert len(sms_to(CALLER)) == 1 and "soitamme sinulle" in sms_to(CALLER)[0]
