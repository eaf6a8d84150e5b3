"""The web chat (contract section 8): a visitor writes on /chat, staff answer by REPLY and on the
callback's page, the visitor's page polls; signed webhooks, the fake Twilio over HTTP, real RQ
workers and a real Redis."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import event, select

from helpline.callbacks.conversation_rules import (
    CHAT_PER_ADDRESS_PER_MINUTE, CHAT_PER_CONVERSATION_PER_MINUTE, CHAT_TEXT_MAX,
)
from helpline.models import CallbackEvent, ChatVisitor, ConversationMessage, OutboundSms
from helpline.queue.retention import purge_expired

CHAT = {"X-Helpline-Chat": "1"}


def say(client, text: str, **extra):
    return client.post("/chat/messages", json={"text": text, **extra}, headers=CHAT)


def poll(client, version: str = ""):
    response = client.get(f"/chat/messages?v={version}")
    assert response.status_code == 200
    return response.json


def texts_seen(client) -> list[tuple[str, str]]:
    return [(message["from"], message["text"]) for message in poll(client).get("messages", [])]


def test_the_first_message_opens_a_chat_callback_and_only_a_hash_of_the_browsers_secret_is_stored(
        client, week_rota, stored, line):
    response = say(client, "Hei, onko joku paikalla?")
    assert response.status_code == 201
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/chat" in cookie
    ref, secret = cookie.split(";")[0].split("=", 1)[1].split(".", 1)

    [callback] = stored.callbacks()
    assert (callback.id, callback.channel, callback.caller[:5]) == (int(ref), "chat", "chat:")
    with line.db.sessionmaker() as session:
        visitor = session.scalar(select(ChatVisitor))
    assert visitor.secret_hash == hashlib.sha256(secret.encode()).hexdigest() != secret
    assert texts_seen(client) == [("visitor", "Hei, onko joku paikalla?")]


def test_the_assignee_gets_the_words_by_sms_replies_by_sms_and_the_visitor_sees_it_and_another_browser_nothing(
        client, app, week_rota, tick, sms_to, stored, text_line, clock, only_from_the_line):
    say(client, "Hei, tarvitsen jonkun jolle puhua")
    tick()
    [callback] = stored.callbacks()
    assert callback.assignee_id == week_rota.aino.id
    [assignment] = sms_to(week_rota.aino.phone)
    assert assignment.startswith(f"Chat-viesti #{callback.id}: verkkochatin kävijä (chat) kirjoitti")
    assert '"Hei, tarvitsen jonkun jolle puhua"' in assignment

    version = poll(client)["v"]
    assert poll(client, version) == {"v": version, "changed": False}

    clock.advance(minutes=2)
    text_line(week_rota.aino, f"VASTAA {callback.id} Hei, täällä Aino. Kerro vain.")
    tick()
    seen = poll(client, version)
    assert seen["changed"] and seen["v"] != version
    assert [(m["from"], m["text"]) for m in seen["messages"]] == [
        ("visitor", "Hei, tarvitsen jonkun jolle puhua"), ("line", "Hei, täällä Aino. Kerro vain.")]
    assert stored.callback(callback.id).status == "acknowledged"

    stranger = app.test_client()
    assert poll(stranger) == {"state": "none"}
    stranger.set_cookie("helpline_chat", f"{callback.id}.not-the-secret", path="/chat")
    assert poll(stranger) == {"state": "gone"}
    # Only staff were ever texted: the visitor has no number.
    assert {sms.to_number for sms in stored.outbound()} == {week_rota.aino.phone}
    only_from_the_line()


def test_the_visitors_later_messages_reach_the_assignee_and_a_staff_reply_on_the_page_reaches_the_visitor(
        client, week_rota, tick, sms_to, stored, clock, line):
    from helpline.callbacks.actions import Actor
    from helpline.callbacks.replies import send_reply

    say(client, "Hei")
    tick()
    ref = stored.callbacks()[0].id
    clock.advance(minutes=1)
    say(client, "En saa nukuttua")
    tick(seconds=61)
    assert "En saa nukuttua" in sms_to(week_rota.aino.phone)[-1]
    with line.db.session() as session:
        send_reply(session, ref, "Olen tässä.", clock.now(), actor=Actor(week_rota.aino.id, False), via="web")
    assert texts_seen(client)[-1] == ("line", "Olen tässä.")


def test_an_idle_poll_reads_no_table_row(client, week_rota, line):
    say(client, "Hei")
    version = poll(client)["v"]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(line.db.engine, "before_cursor_execute", listener)
    try:
        for _ in range(5):
            assert poll(client, version)["changed"] is False
    finally:
        event.remove(line.db.engine, "before_cursor_execute", listener)
    assert statements == []


def test_a_poll_after_redis_lost_the_board_reads_the_database_once_and_is_cheap_again(client, week_rota, redis):
    say(client, "Hei")
    version = poll(client)["v"]
    redis.flushall()
    again = poll(client, version)
    assert again["changed"] and again["v"] != version and len(again["messages"]) == 1
    assert poll(client, again["v"])["changed"] is False


def test_the_visitor_ends_the_chat_their_browser_forgets_it_and_a_reply_is_refused(
        client, week_rota, tick, stored, text_line, sms_to):
    say(client, "Hei")
    tick()
    ref = stored.callbacks()[0].id
    response = client.post("/chat/end", json={}, headers=CHAT)
    assert response.json == {"state": "gone"} and "helpline_chat=;" in response.headers["Set-Cookie"]
    assert poll(client) == {"state": "none"}
    assert "chat_ended" in stored.events(ref)

    text_line(week_rota.aino, f"VASTAA {ref} Oletko vielä siellä?")
    tick()
    assert sms_to(week_rota.aino.phone)[-1].startswith(f"Vastausta #{ref} ei lähetetty: kävijä on lopettanut")
    assert [sender for sender, _ in stored.conversation(ref)] == ["caller"]


def test_a_closed_callback_is_gone_from_the_visitors_page_and_the_next_message_opens_a_new_chat(
        client, week_rota, tick, stored, text_line):
    say(client, "Hei")
    tick()
    first = stored.callbacks()[0].id
    text_line(week_rota.aino, f"VALMIS {first}")
    tick()
    assert poll(client) == {"state": "gone"}
    assert say(client, "Hei taas").status_code == 201
    assert [c.id for c in stored.callbacks() if c.is_open] != [first]
    assert texts_seen(client) == [("visitor", "Hei taas")]
    # Closing a chat asks no feedback by SMS: there is no number.
    assert not [sms for sms in stored.outbound() if sms.purpose == "caller_feedback"]


def test_outside_office_hours_the_page_says_when_the_line_opens_and_a_number_makes_it_a_callback(
        client, week_rota, clock, stored, tick, sms_to):
    from conftest import helsinki

    clock.set(helsinki("2027-01-11 19:00"))
    page = client.get("/chat?lang=en").get_data(as_text=True)
    assert "The line is closed now. It opens 12.1.2027 09:00." in page
    assert 'id="chat-phone"' in page
    response = say(client, "Please call me tomorrow", phone="040 555 1234")
    assert response.status_code == 201
    [callback] = stored.callbacks()
    assert (callback.caller, callback.channel) == ("+358405551234", "chat")
    tick()
    assert stored.callback(callback.id).assignee_id is None  # assigned at the opening
    assert sms_to("+358405551234") == []  # the page told them; no SMS they did not ask for
    clock.set(helsinki("2027-01-12 09:00"))
    tick()
    assert stored.callback(callback.id).assignee_id == week_rota.aino.id


def test_a_number_that_has_an_open_callback_gets_the_message_there_but_the_browser_may_not_read_it(
        client, week_rota, text_line, stored, tick, sms_to):
    text_line("+358405551234", "Soittakaa minulle")
    tick()
    response = say(client, "Minä taas, chatista", phone="+358405551234")
    assert response.status_code == 201 and response.json == {"state": "left"}
    assert "Set-Cookie" not in response.headers
    [callback] = stored.callbacks()
    assert stored.conversation(callback.id)[-1] == ("caller", "Minä taas, chatista")
    assert poll(client) == {"state": "none"}
    # The assignee is told these words came from the web chat: a typed number proves nothing.
    tick(seconds=61)  # a text waits a minute for others to go in one SMS
    forwarded = sms_to(week_rota.aino.phone)[-1]
    assert forwarded.startswith("#1 ") and '(verkkochatista, numeroa ei varmistettu) "Minä taas, chatista"' in forwarded


def test_a_blocked_number_left_in_the_chat_changes_nothing(client, week_rota, make_block, stored, tick, sms_to):
    make_block("+358405551234")
    response = say(client, "Soittakaa minulle", phone="040 555 1234")
    # Answered as a message left for a number's own callback: the sender learns nothing of the block.
    assert response.status_code == 201 and response.json == {"state": "left"}
    assert "Set-Cookie" not in response.headers
    tick()
    assert stored.callbacks() == []
    assert sms_to("+358405551234") == []


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 403),
    ({**CHAT, "Origin": "https://evil.example"}, 403),
    ({**CHAT, "Sec-Fetch-Site": "cross-site"}, 403),
    ({**CHAT, "Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}, 201),
])
def test_a_message_needs_the_chats_header_and_our_own_origin(client, week_rota, headers, status):
    assert client.post("/chat/messages", json={"text": "Hei"}, headers=headers).status_code == status
    assert client.post("/chat/end", json={}, headers={k: v for k, v in headers.items()}).status_code in (
        200 if status == 201 else 403,)


def test_messages_are_limited_in_length_and_per_minute(client, week_rota, clock):
    assert say(client, "x" * (CHAT_TEXT_MAX + 1)).json == {"error": "too_long"}
    assert say(client, " \n\x00 ").json == {"error": "empty"}
    assert say(client, "Hei", phone="not a number").json == {"error": "phone"}
    statuses = [say(client, f"viesti {n}").status_code for n in range(CHAT_PER_CONVERSATION_PER_MINUTE + 3)]
    # The first opens the chat; then the conversation's own limit counts.
    assert statuses.count(201) == 1 + CHAT_PER_CONVERSATION_PER_MINUTE
    assert statuses[-2:] == [429, 429]


def test_one_address_opens_at_most_so_many_chats_a_minute(app, week_rota):
    statuses = [say(app.test_client(), "Hei").status_code for _ in range(CHAT_PER_ADDRESS_PER_MINUTE + 2)]
    assert statuses.count(201) == CHAT_PER_ADDRESS_PER_MINUTE and statuses[-1] == 429


def test_retention_empties_a_chats_words_and_forgets_its_browser(client, week_rota, tick, stored, text_line, line,
                                                                  clock):
    from datetime import timedelta

    say(client, "Salaisuus")
    tick()
    ref = stored.callbacks()[0].id
    text_line(week_rota.aino, f"VASTAA {ref} Kiitos kun kirjoitit")
    text_line(week_rota.aino, f"VALMIS {ref}")
    tick()
    purge_expired(line, clock.now() + timedelta(days=line.settings.retention_days + 1))
    with line.db.sessionmaker() as session:
        assert set(session.scalars(select(ConversationMessage.text))) == {""}
        assert session.scalar(select(ChatVisitor)) is None
        assert "Salaisuus" not in " ".join(session.scalars(select(OutboundSms.body)))
        assert session.scalar(select(CallbackEvent).where(CallbackEvent.kind == "texted")) is not None


def test_no_sms_path_texts_a_chat_visitor_without_a_number(client, week_rota, stored, line, clock):
    from helpline.callbacks.call_back import _caller_may_get_sms
    from helpline.callbacks.rules import caller_can_get_sms
    from helpline.sms.outbox import queue_sms

    say(client, "Hei")
    [callback] = stored.callbacks()
    with line.db.session() as session:
        assert queue_sms(session, to=callback.caller, body="x", purpose="test", dedupe_key="chat-test",
                         now=clock.now()) is None
        assert not caller_can_get_sms(callback.caller) and not _caller_may_get_sms(session, callback.caller)


def test_an_unanswered_chat_is_reminded_escalated_and_handed_over_like_a_voicemail(
        client, office_hours, make_staff, make_shift, tick, sms_to, stored, line, clock):
    from conftest import helsinki

    office_hours()
    aino = make_staff("Aino", "+358401110001")
    sirpa = make_staff("Sirpa", "+358401110009", role="supervisor")
    bertil = make_staff("Bertil", "+358401110002")
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 12:00"), priority=1)
    make_shift(sirpa, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"), priority=5)
    make_shift(bertil, helsinki("2027-01-11 12:00"), helsinki("2027-01-11 15:00"), priority=1)
    say(client, "Hei, kirjoitan chatista")
    tick()
    ref = stored.callbacks()[0].id
    assert stored.callback(ref).assignee_id == aino.id
    for _ in range(line.settings.escalate_after_reminders):
        tick(seconds=line.settings.reminder_interval_seconds)
    assert [body for body in sms_to(aino.phone) if body.startswith("Muistutus")]
    [escalation] = sms_to(sirpa.phone)
    assert escalation.startswith(f"Valvojalle: soittopyyntö #{ref} (chat")

    tick(helsinki("2027-01-11 12:00"))
    assert stored.callback(ref).assignee_id == bertil.id
    assert '"Hei, kirjoitan chatista"' in sms_to(bertil.phone)[0]
    # The visitor was never texted, and the chat is still theirs to read.
    assert all(sms.to_number in (aino.phone, sirpa.phone, bertil.phone) for sms in stored.outbound())
    assert texts_seen(client) == [("visitor", "Hei, kirjoitan chatista")]


def test_the_api_reply_reaches_the_chat_and_is_refused_with_409_once_the_visitor_ended_it(client, week_rota, api,
                                                                                          stored):
    say(client, "Hei")
    ref = stored.callbacks()[0].id
    assert api.get(f"/api/callbacks/{ref}").json["channel"] == "chat"
    assert api.post(f"/api/callbacks/{ref}/reply", {"text": "Hei, täällä linja."}).status_code == 201
    assert texts_seen(client)[-1] == ("line", "Hei, täällä linja.")
    client.post("/chat/end", json={}, headers=CHAT)
    refused = api.post(f"/api/callbacks/{ref}/reply", {"text": "Oletko siellä?"})
    assert refused.status_code == 409 and "ended the chat" in refused.get_data(as_text=True)
