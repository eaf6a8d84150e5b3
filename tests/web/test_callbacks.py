"""The callback pages: the list and its filters, a callback's history, closing it, and its player."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpline.devtools.fake_twilio import FakeTwilio
from helpline.models import CallbackEvent, CallbackRequest, MessageStatusEvent, OutboundSms
from tests.web.conftest import post_form

AUDIO = b"ID3" + b"a caller's voice" * 300


@pytest.fixture
def fake_twilio(settings, clock):
    with FakeTwilio(settings.twilio_account_sid, settings.twilio_auth_token, clock=clock.now) as fake:
        yield fake


@pytest.fixture
def twilio_line(line, fake_twilio):
    line.settings = line.settings.with_overrides(twilio_api_base_url=fake_twilio.base_url)
    return line


def test_a_supervisor_filters_the_list_by_status_assignee_and_message(as_supervisor, make_callback, make_staff):
    aino = make_staff("Aino")
    with_message = make_callback("+358401000001", message=True)
    aino_s = make_callback("+358401000002", assignee=aino)
    closed = make_callback("+358401000003", status="closed")

    def refs(query: str) -> set[int]:
        page = as_supervisor.get(f"/callbacks/?{query}").get_data(as_text=True)
        return {ref for ref in (with_message, aino_s, closed) if f'href="/callbacks/{ref}"' in page}

    assert refs("") == {with_message, aino_s}
    assert refs("status=closed") == {closed}
    assert refs("status=all") == {with_message, aino_s, closed}
    assert refs(f"assignee={aino.id}") == {aino_s}
    assert refs("assignee=none") == {with_message}
    assert refs("message=with") == {with_message}
    assert refs("message=without") == {aino_s}
    assert refs("status=all&from=2027-01-12") == set()


def test_staff_see_only_the_callbacks_assigned_to_them(as_worker, worker, make_callback, make_staff):
    aino = make_staff("Aino")
    mine = make_callback("+358401000001", assignee=worker.staff)
    theirs = make_callback("+358401000002", assignee=aino)
    page = as_worker.get("/callbacks/?status=all").get_data(as_text=True)
    assert f"/callbacks/{mine}" in page and f"/callbacks/{theirs}" not in page
    # An assignee filter does not widen what staff see.
    assert f"/callbacks/{theirs}" not in as_worker.get(f"/callbacks/?assignee={aino.id}").get_data(as_text=True)
    assert as_worker.get(f"/callbacks/{theirs}").status_code == 404
    assert as_worker.get(f"/callbacks/{mine}").status_code == 200


def test_the_detail_shows_the_whole_history_with_sms_delivery(as_supervisor, line, clock, make_callback, make_staff):
    aino = make_staff("Aino", "+358401110001")
    ref = make_callback(assignee=aino, message=True)
    now = clock.now()
    with line.db.session() as session:
        sms = OutboundSms(to_number=aino.phone, body="Soittopyyntö #1", purpose="assignment", callback_id=ref,
                          staff_id=aino.id, status="delivered", twilio_sid="SM1", dedupe_key="a1", created_at=now,
                          sent_at=now)
        session.add(sms)
        session.flush()
        session.add_all([
            MessageStatusEvent(message_sid="SM1", status="sent", outbound_id=sms.id, received_at=now),
            MessageStatusEvent(message_sid="SM1", status="delivered", outbound_id=sms.id,
                               received_at=now + timedelta(seconds=4)),
            CallbackEvent(callback_id=ref, at=now + timedelta(minutes=2), kind="acknowledged", staff_id=aino.id,
                          detail={"via": "sms"}),
            CallbackEvent(callback_id=ref, at=now + timedelta(minutes=3), kind="something_new",
                          detail={"why": "a later feature"}),
        ])
    page = as_supervisor.get(f"/callbacks/{ref}").get_data(as_text=True)
    for words in ("Soitti linjalle", "Jätti viestin (12 s)", "Annettu henkilölle Aino", "Tekstiviesti: Aino",
                  "tehtävänanto", "Tila: toimitettu", "lähetetty → 10:00 toimitettu", "Aino kuittasi sen",
                  "tekstiviestillä", "something new", "why: a later feature"):
        assert words in page, words
    assert page.index("Soitti linjalle") < page.index("Aino kuittasi sen") < page.index("something new")


def test_a_supervisor_closes_a_callback_through_the_shared_transition(as_supervisor, supervisor, line, make_callback):
    ref = make_callback(message=True)
    response = post_form(as_supervisor, f"/callbacks/{ref}/close",
                         {"outcome": "referred", "topic": "loneliness", "note": "Referred to the parish."},
                         token_from=f"/callbacks/{ref}")
    assert response.status_code == 302
    with line.db.session() as session:
        callback = session.get(CallbackRequest, ref)
        assert (callback.status, callback.outcome, callback.topic, callback.note) == (
            "closed", "referred", "loneliness", "Referred to the parish.")
        assert callback.next_action is None
        closed = session.scalar(select(CallbackEvent).where(CallbackEvent.callback_id == ref,
                                                            CallbackEvent.kind == "closed"))
        assert closed.staff_id == supervisor.id and closed.detail["via"] == "web"
    page = as_supervisor.get(f"/callbacks/{ref}").get_data(as_text=True)
    assert "Suljettu: ohjattu muualle" in page and "Sulje soittopyyntö" not in page


def test_closing_twice_changes_nothing_the_second_time(as_supervisor, line, make_callback):
    ref = make_callback()
    token_page = f"/callbacks/{ref}"
    post_form(as_supervisor, f"/callbacks/{ref}/close", {"outcome": "resolved", "note": "first"}, token_from=token_page)
    second = post_form(as_supervisor, f"/callbacks/{ref}/close", {"outcome": "unreachable", "note": "second"},
                       token_from=token_page)
    assert second.status_code == 302
    with line.db.session() as session:
        assert session.get(CallbackRequest, ref).note == "first"
    assert "oli jo suljettu" in as_supervisor.get(token_page).get_data(as_text=True)


def test_the_close_form_needs_an_outcome_and_a_short_enough_topic(as_supervisor, line, make_callback):
    ref = make_callback()
    no_outcome = post_form(as_supervisor, f"/callbacks/{ref}/close", {"note": "x"}, token_from=f"/callbacks/{ref}")
    assert no_outcome.status_code == 422
    assert "Valitse, miten se päättyi." in no_outcome.get_data(as_text=True)
    long_topic = post_form(as_supervisor, f"/callbacks/{ref}/close", {"outcome": "resolved", "topic": "x" * 81},
                           token_from=f"/callbacks/{ref}")
    assert long_topic.status_code == 422
    with line.db.session() as session:
        assert session.get(CallbackRequest, ref).status == "new"


def test_closing_without_the_csrf_token_is_refused(as_supervisor, line, make_callback):
    ref = make_callback()
    assert as_supervisor.post(f"/callbacks/{ref}/close", data={"outcome": "resolved"}).status_code == 400
    with line.db.session() as session:
        assert session.get(CallbackRequest, ref).status == "new"


def test_staff_close_their_own_callback_but_not_someone_elses(as_worker, worker, line, make_callback, make_staff):
    aino = make_staff("Aino")
    mine = make_callback("+358401000001", assignee=worker.staff)
    theirs = make_callback("+358401000002", assignee=aino)
    ok = post_form(as_worker, f"/callbacks/{mine}/close", {"outcome": "resolved"}, token_from=f"/callbacks/{mine}")
    refused = post_form(as_worker, f"/callbacks/{theirs}/close", {"outcome": "resolved"},
                        token_from=f"/callbacks/{mine}")
    assert ok.status_code == 302 and refused.status_code == 404
    with line.db.session() as session:
        assert session.get(CallbackRequest, mine).status == "closed"
        assert session.get(CallbackRequest, theirs).status == "assigned"


def test_the_player_streams_the_recording_through_the_app(as_supervisor, twilio_line, fake_twilio, make_callback):
    sid = fake_twilio.add_recording(audio=AUDIO)
    ref = make_callback(recording_sid=sid)
    page = as_supervisor.get(f"/callbacks/{ref}").get_data(as_text=True)
    with twilio_line.db.session() as session:
        message_id = session.get(CallbackRequest, ref).messages[0].id
    src = f"/callbacks/{ref}/messages/{message_id}/audio"
    assert f'<audio controls preload="none" src="{src}">' in page
    response = as_supervisor.get(src)
    assert response.status_code == 200 and response.mimetype == "audio/mpeg"
    assert response.get_data() == AUDIO
    assert response.headers["Cache-Control"] == "private, no-store"
    [fetch] = fake_twilio.requests_to("GET", f"/Recordings/{sid}.mp3")
    assert fetch.authorized


def test_the_recording_needs_a_signed_in_user_allowed_to_see_the_callback(client, as_worker, twilio_line, fake_twilio,
                                                                          make_callback, make_staff, app):
    sid = fake_twilio.add_recording(audio=AUDIO)
    ref = make_callback(assignee=make_staff("Aino"), recording_sid=sid)
    with twilio_line.db.session() as session:
        message_id = session.get(CallbackRequest, ref).messages[0].id
    src = f"/callbacks/{ref}/messages/{message_id}/audio"
    assert as_worker.get(src).status_code == 404
    assert app.test_client().get(src).status_code == 302
    assert fake_twilio.requests_to("GET", f"/Recordings/{sid}.mp3") == []
