"""Staff text the line: OK, DONE, PASS, HELP in Finnish, Swedish and English (contract §4)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from helpline.models import CallbackRequest, OutboundSms

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


@pytest.mark.parametrize(("words", "reply"), [
    ("OK {ref}", "Kuitattu #{ref}."),
    ("ok #{ref}.", "Kuitattu #{ref}."),
    ("Kuittaa {ref}", "Kuitattu #{ref}."),
    ("kvittera #{ref}", "Kvitterad #{ref}."),
    ("ACK {ref}", "Acknowledged #{ref}."),
])
def test_a_staff_member_acknowledges_their_callback_in_any_of_the_three_languages(
        team, make_callback, text_line, texts_to, stored, clock, words, reply):
    ref = make_callback(assignee=team.aino)
    response = text_line(team.aino, words.format(ref=ref))

    assert response.get_data(as_text=True) == EMPTY_TWIML and response.mimetype == "text/xml"
    callback = stored.callback(ref)
    assert (callback.status, callback.acknowledged_at) == ("acknowledged", clock.now())
    [body] = texts_to(team.aino.phone)
    assert body.startswith(reply.format(ref=ref))
    [acknowledged] = stored.events(ref, "acknowledged")
    assert acknowledged.staff_id == team.aino.id


def test_a_second_ok_keeps_the_first_response_time(team, make_callback, text_line, stored, clock):
    ref = make_callback(assignee=team.aino)
    text_line(team.aino, f"OK {ref}")
    first = clock.now()
    clock.advance(minutes=20)
    text_line(team.aino, f"OK {ref}")
    assert stored.callback(ref).acknowledged_at == first
    assert len(stored.events(ref, "acknowledged")) == 1


def test_a_command_without_a_reference_means_the_senders_only_open_callback(
        team, make_callback, text_line, texts_to, stored):
    make_callback("+358401234500", assignee=team.bertil)  # someone else's does not make it ambiguous
    ref = make_callback(assignee=team.bertil, status="closed")
    ref = make_callback(assignee=team.aino)
    text_line(team.aino, "ok")
    assert stored.callback(ref).status == "acknowledged"
    assert texts_to(team.aino.phone)[0].startswith(f"Kuitattu #{ref}.")


def test_a_command_without_a_reference_when_the_sender_has_several_open_asks_which(
        team, make_callback, text_line, texts_to, stored):
    first = make_callback("+358401234501", assignee=team.bertil)
    second = make_callback("+358401234502", assignee=team.bertil)
    text_line(team.bertil, "KLAR")
    assert texts_to(team.bertil.phone) == [f"Du har flera öppna: #{first}, #{second}. Lägg till numret, t.ex. OK {first}."]
    assert {stored.callback(first).status, stored.callback(second).status} == {"assigned"}


def test_a_command_without_a_reference_when_the_sender_has_none_open_says_so(team, text_line, texts_to):
    text_line(team.carol, "DONE")
    assert texts_to(team.carol.phone) == ["You have no open callbacks."]


@pytest.mark.parametrize(("words", "note", "reply"), [
    ("VALMIS #{ref} soitin, kaikki hyvin", "soitin, kaikki hyvin", "Soittopyyntö #{ref} suljettu. Kiitos!"),
    ("klar {ref}", None, "Återuppringning #{ref} stängd. Tack!"),
    ("Done {ref}: talked for 20 min, will call again next week", "talked for 20 min, will call again next week",
     "Callback #{ref} closed. Thank you!"),
])
def test_done_closes_the_callback_as_resolved_with_the_note(team, make_callback, text_line, texts_to, stored, clock,
                                                            words, note, reply):
    ref = make_callback(assignee=team.aino)
    text_line(team.aino, words.format(ref=ref))
    callback = stored.callback(ref)
    assert (callback.status, callback.outcome, callback.note, callback.closed_at) == (
        "closed", "resolved", note, clock.now())
    assert (callback.next_action, callback.next_action_at) == (None, None)
    [closed] = stored.events(ref, "closed")
    assert (closed.staff_id, closed.detail["via"], closed.detail["outcome"]) == (team.aino.id, "sms", "resolved")
    assert texts_to(team.aino.phone) == [reply.format(ref=ref)]


def test_pass_gives_the_callback_back_to_be_assigned_to_someone_else(team, make_callback, text_line, texts_to, stored):
    ref = make_callback(assignee=team.aino)
    text_line(team.aino, f"OHITA {ref}")
    callback = stored.callback(ref)
    assert (callback.status, callback.assignee_id) == ("new", None)
    [passed] = stored.events(ref, "passed")
    assert passed.staff_id == team.aino.id
    assert texts_to(team.aino.phone)[0] == f"Soittopyyntö #{ref} palautettu, se annetaan toiselle päivystäjälle."


@pytest.mark.parametrize(("words", "start"), [
    ("HELP", "Komennot: OK 12 kuittaa"),  # Aino's own language: the word is shared
    ("hjälp", "Kommandon: OK 12 kvitterar"),
    ("?", "Komennot:"),
])
def test_help_lists_the_commands(team, text_line, texts_to, words, start):
    text_line(team.aino, words)
    [body] = texts_to(team.aino.phone)
    assert body.startswith(start)


def test_help_answers_an_english_speaker_in_english(team, text_line, texts_to):
    text_line(team.carol, "help")
    assert texts_to(team.carol.phone)[0].startswith("Commands: OK 12 acknowledges")


@pytest.mark.parametrize(("words", "reply"), [
    ("Kiitos tiedosta", 'En tunne komentoa "Kiitos". Kirjoita esim. OK 12, VALMIS 12, OHITA 12 tai APUA.'),
    ("#{ref} OK", "Kirjoita komento ennen numeroa, esim. OK {ref} tai VALMIS {ref}."),
    ("OK #abc", '"#abc" ei ole soittopyynnön numero. Kirjoita esim. OK 12 tai OK #12.'),
    ("VALMIS {ref} {ref}", "Yksi numero viestiä kohden, esim. VALMIS {ref}. Lähetä muille omat viestit."),
])
def test_a_message_that_is_not_a_command_gets_a_reply_saying_how_to_write_it(
        team, make_callback, text_line, texts_to, stored, words, reply):
    ref = make_callback(assignee=team.aino)
    text_line(team.aino, words.format(ref=ref))
    assert texts_to(team.aino.phone) == [reply.format(ref=ref)]
    assert stored.callback(ref).status == "assigned"


def test_a_staff_member_cannot_touch_someone_elses_callback(team, make_callback, text_line, texts_to, stored):
    ref = make_callback(assignee=team.aino)
    for words in (f"OK {ref}", f"DONE {ref}", f"PASS {ref}", f"CALL {ref}"):
        text_line(team.carol, words)
    assert texts_to(team.carol.phone) == [f"Callback #{ref} is assigned to someone else."] * 4
    callback = stored.callback(ref)
    assert (callback.status, callback.assignee_id) == ("assigned", team.aino.id)
    assert stored.events(ref) == []


def test_a_supervisor_may_acknowledge_and_close_someone_elses_callback_but_not_pass_it(
        team, make_callback, text_line, texts_to, stored):
    ref = make_callback(assignee=team.aino)
    text_line(team.sanna, f"OHITA {ref}")
    text_line(team.sanna, f"OK {ref}")
    callback = stored.callback(ref)
    assert (callback.status, callback.assignee_id) == ("acknowledged", team.aino.id)
    [acknowledged] = stored.events(ref, "acknowledged")
    assert (acknowledged.staff_id, acknowledged.detail["for_staff_id"]) == (team.sanna.id, team.aino.id)
    text_line(team.sanna, f"VALMIS {ref} hoidin itse")
    assert stored.callback(ref).outcome == "resolved"
    assert texts_to(team.sanna.phone) == [f"Soittopyyntö #{ref} on toisen päivystäjän.",
                                          f"Kuitattu #{ref}. Kun asia on hoidettu, vastaa VALMIS {ref}.",
                                          f"Soittopyyntö #{ref} suljettu. Kiitos!"]


def test_anyone_on_the_team_may_take_a_callback_nobody_holds_with_ok(team, make_callback, text_line, stored, clock):
    ref = make_callback()  # taken at night, not assigned yet
    text_line(team.bertil, f"ok {ref}")
    callback = stored.callback(ref)
    assert (callback.status, callback.assignee_id, callback.assigned_at, callback.acknowledged_at) == (
        "acknowledged", team.bertil.id, clock.now(), clock.now())
    assert callback.next_action_at == clock.now()  # the worker plans Bertil's reminders at once
    # It is Bertil's now: Aino cannot close it, Bertil can.
    text_line(team.aino, f"DONE {ref}")
    assert stored.callback(ref).status == "acknowledged"


@pytest.mark.parametrize(("status", "reply"), [
    ("closed", "Soittopyyntö #{ref} on jo suljettu."),
    (None, "Soittopyyntöä #{ref} ei löydy."),
])
def test_a_command_about_a_closed_or_missing_callback_is_refused_in_words(
        team, make_callback, text_line, texts_to, status, reply):
    ref = make_callback(assignee=team.aino, status="closed") if status else 4711
    text_line(team.aino, f"VALMIS {ref}")
    assert texts_to(team.aino.phone) == [reply.format(ref=ref)]


def test_an_unknown_senders_texts_are_never_commands_but_a_conversation_with_the_line(
        team, make_callback, text_line, texts_to, stored, line):
    ref = make_callback(assignee=team.aino)
    for words in (f"DONE {ref}", "HELP", "hello?", "START"):
        response = text_line("+358409998877", words)
        assert response.get_data(as_text=True) == EMPTY_TWIML
    assert texts_to("+358409998877") == []  # no office hours set up: no automatic answer either
    assert stored.callback(ref).status == "assigned"
    assert stored.outbound() == []
    inbound = stored.inbound()
    assert [(sms.body, sms.staff_id) for sms in inbound][:1] == [(f"DONE {ref}", None)]  # stored, for the record
    with line.db.sessionmaker() as session:
        texter = session.scalar(select(CallbackRequest).where(CallbackRequest.caller == "+358409998877"))
        assert texter.channel == "sms"
        assert [message.text for message in texter.conversation] == [f"DONE {ref}", "HELP", "hello?", "START"]


def test_a_staff_member_who_has_left_commands_nothing_and_gets_no_reply(team, make_callback, text_line, texts_to,
                                                                        stored):
    ref = make_callback(assignee=team.olli)
    text_line(team.olli, f"DONE {ref}")
    text_line(team.olli, "HELP")
    assert texts_to(team.olli.phone) == []
    assert stored.callback(ref).status == "assigned"


def test_twilio_delivering_the_same_sms_twice_changes_it_once_and_replies_once(
        team, make_callback, text_line, texts_to, stored):
    ref = make_callback(assignee=team.aino)
    for _ in range(3):
        text_line(team.aino, f"VALMIS {ref}", sid="SM" + "7" * 32)
    assert texts_to(team.aino.phone) == [f"Soittopyyntö #{ref} suljettu. Kiitos!"]
    assert len(stored.events(ref, "closed")) == 1
    assert len(stored.inbound()) == 1
    [reply] = stored.outbound(team.aino.phone)
    assert reply.dedupe_key == "reply:SM" + "7" * 32


def test_an_unsigned_or_forged_sms_is_refused_and_stored_nowhere(team, make_callback, client, twilio_post, stored):
    ref = make_callback(assignee=team.aino)
    params = {"MessageSid": "SM" + "1" * 32, "From": team.aino.phone, "To": "+358931234567", "Body": f"DONE {ref}"}
    assert client.post("/sms/incoming", data=params).status_code == 403
    assert twilio_post("/sms/incoming", params, token="someone-elses-token").status_code == 403
    assert stored.inbound() == [] and stored.callback(ref).status == "assigned"


def test_an_sms_without_a_message_sid_is_a_bad_request(team, twilio_post):
    response = twilio_post("/sms/incoming", {"From": team.aino.phone, "Body": "HELP"})
    assert (response.status_code, response.get_data(as_text=True)) == (400, "Bad request: MessageSid is required\n")


def test_replies_are_queued_sms_from_the_line_with_the_staff_member_named(team, text_line, texts_to, stored, line):
    text_line(team.aino, "HELP")
    texts_to(team.aino.phone)
    [reply] = stored.outbound(team.aino.phone)
    assert (reply.purpose, reply.staff_id, reply.status) == ("command_reply", team.aino.id, "sent")
    assert isinstance(reply, OutboundSms)
