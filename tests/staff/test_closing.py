"""Closing a callback by SMS (DONE) and through the API is one and the same transition."""
from __future__ import annotations

import pytest

from helpline.tokens import create_token


@pytest.fixture
def api_close(client, line, clock):
    """Close through the API with a staff token of the callback's holder (staff close their own)."""

    def close(ref: int, holder, **body):
        with line.db.session() as session:
            token = create_token(session, f"{holder.name}'s laptop", "staff", clock.now(), staff_id=holder.id)
        return client.post(f"/api/callbacks/{ref}/close", json={"outcome": "resolved", **body},
                           headers={"Authorization": f"Bearer {token}"})

    return close


def test_a_callback_closed_through_the_api_is_refused_by_done_as_already_closed(
        team, make_callback, text_line, texts_to, stored, api_close):
    ref = make_callback(assignee=team.aino)
    assert api_close(ref, team.aino, note="Soitettu takaisin.").status_code == 200
    text_line(team.aino, f"VALMIS {ref} toinen muistiinpano")
    assert texts_to(team.aino.phone) == [f"Soittopyyntö #{ref} on jo suljettu."]
    callback = stored.callback(ref)
    assert (callback.note, callback.outcome) == ("Soitettu takaisin.", "resolved")
    assert [event.detail["via"] for event in stored.events(ref, "closed")] == ["api"]


def test_a_callback_closed_by_done_cannot_be_closed_again_through_the_api(
        team, make_callback, text_line, stored, api_close, clock):
    ref = make_callback(assignee=team.carol)
    text_line(team.carol, f"DONE {ref} talked it through")
    clock.advance(minutes=5)
    response = api_close(ref, team.carol, outcome="referred")
    assert response.status_code == 409
    assert response.get_json()["error"] == (
        f"callback #{ref} is already closed (at 2027-01-11T10:00:00+02:00, resolved)")
    [closed] = stored.events(ref, "closed")
    assert (closed.staff_id, closed.detail) == (team.carol.id, {"outcome": "resolved", "via": "sms",
                                                                "note": "talked it through"})


def test_done_on_an_unassigned_callback_closes_it(team, make_callback, text_line, stored):
    ref = make_callback()
    text_line(team.bertil, f"klar {ref} ringde tillbaka från min egen telefon")
    callback = stored.callback(ref)
    assert (callback.status, callback.outcome, callback.assignee_id) == ("closed", "resolved", None)
