"""Outside office hours a caller who writes gets one automatic answer per closed period, and the
conversation is assigned at the opening; STOP and START from a caller hold for every text the line
would send them."""
from __future__ import annotations

from conftest import helsinki
from conversations.conftest import CALLER

CLOSED_ANSWER_TUESDAY = ("Kiitos viestistäsi. Linja on nyt kiinni. Päivystäjä vastaa sinulle, kun olemme taas "
                         "avoinna huomenna klo 9.00. Hätätilanteessa soita 112.")


def test_a_text_after_hours_gets_one_automatic_answer_and_is_assigned_with_its_words_at_the_opening(
        week_rota, text_line, tick, sms_to, stored, clock, api, only_from_the_line):
    clock.set(helsinki("2027-01-11 18:30"))
    text_line(CALLER, "Onko kukaan hereillä?")
    tick()
    assert sms_to(CALLER) == [CLOSED_ANSWER_TUESDAY]
    [callback] = stored.callbacks()
    assert (callback.status, callback.next_action, callback.next_action_at) == (
        "new", "assign", helsinki("2027-01-12 09:00"))

    for moment, words in (("2027-01-11 18:31", "Haloo?"), ("2027-01-11 23:50", "En saa unta"),
                          ("2027-01-12 07:00", "Huomenta")):
        clock.set(helsinki(moment))
        text_line(CALLER, words)
        tick()
    assert sms_to(CALLER) == [CLOSED_ANSWER_TUESDAY]  # one answer for the whole night
    assert sms_to(week_rota.aino.phone) == []  # nobody is woken at night

    tick(helsinki("2027-01-12 09:00"))
    [assignment] = sms_to(week_rota.aino.phone)
    assert assignment == (f'Tekstiviesti #{callback.id}: 050 1234567 (+358501234567) kirjoitti: klo 18.30 "Onko '
                          f'kukaan hereillä?" / klo 18.31 "Haloo?" / klo 23.50 "En saa unta" / klo 7.00 "Huomenta" '
                          f"Vastaa: VASTAA {callback.id} <teksti> / VALMIS {callback.id} / OHITA {callback.id}")
    conversation = api.get(f"/api/callbacks/{callback.id}").get_json()["conversation"]
    assert [(entry["from"], entry["automatic"], entry["staff_id"]) for entry in conversation][:2] == [
        ("caller", False, None), ("line", True, None)]
    # The automatic answer is not a reply: nobody has responded yet.
    assert stored.callback(callback.id).acknowledged_at is None

    tick(seconds=120)  # every text went with the assignment: none is forwarded again
    assert len(sms_to(week_rota.aino.phone)) == 1

    clock.set(helsinki("2027-01-12 16:00"))  # the next closed period gets its own answer
    text_line(CALLER, "Kiitos tästä päivästä")
    tick()
    assert sms_to(CALLER)[1:] == [CLOSED_ANSWER_TUESDAY]  # Wednesday's opening is "tomorrow" again
    only_from_the_line()


def test_an_auto_responder_answering_the_line_meets_one_answer_and_then_silence(
        week_rota, text_line, tick, sms_to, stored, clock):
    """The caller's phone answers every SMS it gets with 'I am on holiday'."""
    clock.set(helsinki("2027-01-15 20:00"))  # Friday evening: closed until Monday
    text_line(CALLER, "Hei, tarvitsisin apua")
    tick()
    answered = 0
    for _ in range(10):
        received = sms_to(CALLER)
        if len(received) == answered:
            break
        answered = len(received)
        clock.advance(minutes=1)
        text_line(CALLER, "Olen lomalla 24.1. asti. / I am on holiday until 24 Jan.")
        tick()
    assert answered == 1
    assert sms_to(week_rota.aino.phone) == []

    tick(helsinki("2027-01-18 09:00"))
    [assignment] = sms_to(week_rota.aino.phone)
    assert "Olen lomalla" in assignment  # the staff member sees what came, in one SMS
    assert len(stored.callbacks()) == 1


def test_a_caller_who_says_stop_mid_conversation_gets_no_more_texts_and_replies_are_refused(
        week_rota, text_line, tick, sms_to, stored, clock, api):
    text_line(CALLER, "Hei")
    tick()
    ref = stored.callbacks()[0].id
    text_line(week_rota.aino, f"VASTAA {ref} Hei, Aino tässä")
    tick()
    assert sms_to(CALLER) == ["Hei, Aino tässä"]

    # A reply is on its way when STOP comes: the outbox holds it back.
    text_line(week_rota.aino, f"VASTAA {ref} Voinko soittaa sinulle?")
    text_line(CALLER, "STOP")
    tick()
    assert sms_to(CALLER) == ["Hei, Aino tässä"]
    assert [row.status for row in stored.outbound(CALLER)] == ["sent", "suppressed"]
    assert sms_to(week_rota.aino.phone)[-1] == (
        f"#{ref}: soittaja 050 1234567 lähetti STOP, joten linja ei voi enää lähettää hänelle tekstiviestejä. Soita "
        f"tai sulje: VALMIS {ref}.")

    text_line(week_rota.aino, f"VASTAA {ref} Oletko kunnossa?")
    tick()
    assert sms_to(week_rota.aino.phone)[-1] == (
        f"Vastausta #{ref} ei lähetetty: soittaja on kieltänyt tekstiviestit (STOP). Soita tai sulje: VALMIS {ref}.")
    response = api.post(f"/api/callbacks/{ref}/reply", {"text": "Oletko kunnossa?"})
    assert response.status_code == 409 and "STOP" in response.get_json()["error"]
    clock.set(helsinki("2027-01-11 20:00"))
    text_line(CALLER, "Olen ok")  # after hours, but no automatic answer to a number that said STOP
    tick()
    assert sms_to(CALLER) == ["Hei, Aino tässä"]
    assert stored.callback(ref).status == "acknowledged"  # the conversation itself goes on

    clock.set(helsinki("2027-01-12 09:30"))
    text_line(CALLER, "START")
    text_line(week_rota.aino, f"VASTAA {ref} Hyvä kuulla. Soitan sinulle kymmeneltä.")
    tick()
    assert sms_to(CALLER)[-1] == "Hyvä kuulla. Soitan sinulle kymmeneltä."
    assert {"caller_opted_out", "caller_opted_in"} <= set(stored.events(ref))
    assert response.status_code == 409


def test_a_caller_with_stop_on_record_who_writes_is_still_heard(week_rota, text_line, tick, sms_to, stored, clock):
    text_line(CALLER, "STOP")
    clock.advance(minutes=1)
    text_line(CALLER, "Voiko joku soittaa minulle?")
    tick()
    [callback] = stored.callbacks()
    assert callback.assignee_id == week_rota.aino.id
    assert "Voiko joku soittaa minulle?" in sms_to(week_rota.aino.phone)[0]
    assert sms_to(CALLER) == []
