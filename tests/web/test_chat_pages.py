"""The chat page in the visitor's language, and a chat on the callback's page: its thread refreshes
itself from JSON, and a reply from the page goes into the chat, never by SMS."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import OutboundSms
from tests.web.conftest import post_form

CHAT = {"X-Helpline-Chat": "1"}


def test_the_chat_page_speaks_the_browsers_language_unless_the_visitor_chooses(client):
    assert "Chatta med hjälplinjen" in client.get("/chat", headers={"Accept-Language": "sv-FI,sv;q=0.9"}).get_data(
        as_text=True)
    assert "Keskustele auttavan puhelimen kanssa" in client.get("/chat", headers={"Accept-Language": "de"}).get_data(
        as_text=True)
    english = client.get("/chat?lang=en", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "In an emergency, call 112." in english
    assert "<script>" not in english and "style=" not in english  # the CSP forbids inline script and style
    assert "Set-Cookie" not in client.get("/chat").headers  # no cookie until the visitor writes


def test_the_embed_script_is_plain_javascript_that_any_site_may_load(client):
    response = client.get("/chat/embed.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "/chat?lang=" in response.get_data(as_text=True)


def _chat(app, text: str) -> int:
    visitor = app.test_client()
    response = visitor.post("/chat/messages", json={"text": text}, headers=CHAT)
    return int(response.headers["Set-Cookie"].split("=", 1)[1].split(".", 1)[0]), visitor


def test_the_callbacks_page_refreshes_a_chat_from_json_and_a_reply_goes_into_the_chat(
        app, as_supervisor, line):
    ref, visitor = _chat(app, "Hei <script>alert(1)</script>")
    page = as_supervisor.get(f"/callbacks/{ref}").get_data(as_text=True)
    assert "thread.js" in page and f'data-url="/callbacks/{ref}/conversation.json"' in page
    assert "verkkochatin kävijä" in page and 'href="tel:' not in page

    assert post_form(as_supervisor, f"/callbacks/{ref}/reply", {"text": "Hei, Sari täällä."},
                     token_from=f"/callbacks/{ref}").status_code == 302
    thread = as_supervisor.get(f"/callbacks/{ref}/conversation.json").json
    assert [(m["sender"], m["text"]) for m in thread["messages"]] == [
        ("caller", "Hei <script>alert(1)</script>"), ("line", "Hei, Sari täällä.")]
    assert thread["messages"][1]["who"] == "Linja: Sari"
    assert [m["text"] for m in visitor.get("/chat/messages").json["messages"]][-1] == "Hei, Sari täällä."
    with line.db.sessionmaker() as session:
        assert session.scalars(select(OutboundSms)).all() == []


def test_staff_get_no_json_of_a_callback_not_theirs(app, as_worker):
    ref, _ = _chat(app, "Hei")
    assert as_worker.get(f"/callbacks/{ref}/conversation.json").status_code == 404
    assert as_worker.get("/callbacks/99999999999999999999/conversation.json").status_code == 404


def test_words_typed_in_the_chat_with_a_callers_number_are_shown_as_not_verified(app, as_supervisor,
                                                                                 make_callback):
    """A visitor who gives a number with an open callback writes into that callback (its caller's
    thread), but nothing proves the number is theirs: the page says where the words came from."""
    ref = make_callback("+358405551234", message=True)
    visitor = app.test_client()
    response = visitor.post("/chat/messages", json={"text": "Soittakaa tähän", "phone": "040 555 1234"},
                            headers=CHAT)
    assert response.json == {"state": "left"}

    label = "Verkkochatissa tällä numerolla (ei varmistettu)"
    page = as_supervisor.get(f"/callbacks/{ref}").get_data(as_text=True)
    assert label in page and "Soittakaa tähän" in page
    thread = as_supervisor.get(f"/callbacks/{ref}/conversation.json").json
    assert [(m["who"], m["text"]) for m in thread["messages"]] == [(label, "Soittakaa tähän")]
