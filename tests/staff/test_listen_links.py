"""A staff member opens the listen link in their SMS and hears the caller's message."""
from __future__ import annotations

import hashlib

import pytest
import requests
from sqlalchemy import select

from helpline.callbacks.listen_links import LINK_LIFETIME, latest_message, listen_url, revoke_links
from helpline.models import CallbackRequest, RecordingLink, Staff, VoiceMessage
from helpline.telephony.client import TwilioGateway

AUDIO = b"\xff\xfb\x90\x64" + b"caller's message" * 500


@pytest.fixture
def link_to(line, clock):
    """A fresh listen link to callback ``ref``'s latest message, made for ``staff``: its path."""

    def make(ref: int, staff: Staff | None = None) -> str:
        with line.db.session() as session:
            callback = session.get(CallbackRequest, ref)
            url = listen_url(session, latest_message(callback), staff, clock.now(), line.settings)
        assert url.startswith(line.settings.public_base_url + "/r/")
        return url.removeprefix(line.settings.public_base_url)

    return make


def test_the_link_streams_the_recording_fetched_from_twilio_with_our_credentials(
        team, make_callback, fake_twilio, link_to, client, line):
    sid = fake_twilio.add_recording(audio=AUDIO)
    ref = make_callback(assignee=team.aino, recording_sid=sid)
    response = client.get(link_to(ref, team.aino))

    assert response.status_code == 200
    assert response.mimetype == "audio/mpeg"
    assert response.get_data() == AUDIO
    assert response.headers["Content-Disposition"] == f'inline; filename="callback-{ref}.mp3"'
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Location" not in response.headers and b"twilio" not in response.get_data().lower()
    [fetch] = fake_twilio.requests_to("GET", f"/Recordings/{sid}.mp3")
    assert fetch.authorized and fetch.username == line.settings.twilio_account_sid
    assert fetch.path == f"/2010-04-01/Accounts/{line.settings.twilio_account_sid}/Recordings/{sid}.mp3"


def test_only_a_hash_of_the_token_is_stored_and_each_opening_is_counted(
        team, make_callback, fake_twilio, link_to, client, line, clock):
    ref = make_callback(assignee=team.aino, message=True)
    path = link_to(ref, team.aino)
    token = path.removeprefix("/r/")
    assert len(token) >= 22
    client.get(path)
    client.get(path)
    with line.db.sessionmaker() as session:
        [link] = session.scalars(select(RecordingLink)).all()
    assert link.token_sha256 == hashlib.sha256(token.encode()).hexdigest() != token
    assert (link.staff_id, link.opened_count, link.last_opened_at) == (team.aino.id, 2, clock.now())
    assert link.expires_at == clock.now() + LINK_LIFETIME


def test_the_link_expires_after_72_hours(team, make_callback, link_to, client, clock):
    ref = make_callback(assignee=team.aino, message=True)
    path = link_to(ref, team.aino)
    clock.advance(hours=71, minutes=59)
    assert client.get(path).status_code == 200
    clock.advance(minutes=1)
    response = client.get(path)
    assert response.status_code == 410
    assert response.get_data(as_text=True) == "Linkki on vanhentunut. / Länken har gått ut. / This link has expired.\n"


@pytest.mark.parametrize("token", ["AAAAAAAAAAAAAAAAAAAAAA", "x", "not*a*token*at*all*but*long", "a" * 200])
def test_a_forged_or_unknown_token_is_not_found(team, make_callback, link_to, client, token):
    link_to(make_callback(assignee=team.aino, message=True), team.aino)
    response = client.get(f"/r/{token}")
    assert response.status_code == 404
    assert response.get_data(as_text=True) == (
        "Linkkiä ei löydy. / Länken finns inte. / This link does not exist.\n")


def test_a_revoked_link_stops_working(team, make_callback, link_to, client, line, clock):
    ref = make_callback(assignee=team.aino, message=True)
    path = link_to(ref, team.aino)
    with line.db.session() as session:
        assert revoke_links(session, clock.now(), callback_id=ref, staff_id=team.aino.id) == 1
    assert client.get(path).status_code == 410


def test_passing_a_callback_revokes_the_passers_link(team, make_callback, link_to, client, text_line):
    ref = make_callback(assignee=team.aino, message=True)
    path = link_to(ref, team.aino)
    text_line(team.aino, f"PASS {ref}")
    assert client.get(path).status_code == 410


def test_a_recording_deleted_at_twilio_is_gone(team, make_callback, fake_twilio, link_to, client, line):
    sid = fake_twilio.add_recording(audio=AUDIO)
    ref = make_callback(assignee=team.aino, recording_sid=sid)
    path = link_to(ref, team.aino)
    # Deleted at Twilio (by a retention job, or by hand in the console).
    requests.delete(f"{fake_twilio.base_url}/2010-04-01/Accounts/{line.settings.twilio_account_sid}/Recordings/{sid}",
                    auth=(line.settings.twilio_account_sid, line.settings.twilio_auth_token), timeout=5)
    response = client.get(path)
    assert response.status_code == 410
    assert "The message is no longer stored." in response.get_data(as_text=True)


def test_twilio_being_unreachable_is_a_clear_error_not_a_redirect(team, make_callback, link_to, client, line):
    ref = make_callback(assignee=team.aino, message=True)
    path = link_to(ref, team.aino)
    nowhere = line.settings.with_overrides(twilio_api_base_url="http://127.0.0.1:9")  # nothing listens
    line.twilio = TwilioGateway.from_settings(nowhere)
    response = client.get(path)
    assert response.status_code == 502
    assert "Location" not in response.headers
    assert "try again shortly" in response.get_data(as_text=True)


def test_a_callback_with_several_messages_links_the_latest(team, make_callback, line, clock):
    ref = make_callback(assignee=team.aino, message=True)
    with line.db.session() as session:
        session.add(VoiceMessage(callback_id=ref, recording_sid="RE" + "b" * 32, recording_url="https://x/RE",
                                 recording_status="completed", created_at=clock.now()))
        session.add(VoiceMessage(callback_id=ref, recording_sid="RE" + "c" * 32, recording_url="https://x/RE",
                                 recording_status="absent", created_at=clock.now()))
    with line.db.sessionmaker() as session:
        assert latest_message(session.get(CallbackRequest, ref)).recording_sid == "RE" + "b" * 32


def test_no_link_is_made_without_a_usable_message_or_a_public_url(team, make_callback, line, clock):
    ref = make_callback(assignee=team.aino, message=True)
    with line.db.session() as session:
        message = session.get(CallbackRequest, ref).messages[0]
        assert listen_url(session, message, team.aino, clock.now(), line.settings.with_overrides(public_base_url="")) is None
        message.recording_status = "failed"
        assert listen_url(session, message, team.aino, clock.now(), line.settings) is None
        assert session.scalars(select(RecordingLink)).all() == []
