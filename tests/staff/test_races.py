"""Commands racing each other on PostgreSQL: a callback changes once, whoever wins.

(On SQLite one writer holds the whole database, so these races cannot happen there; the suite
runs these with TEST_DATABASE_URL set.)
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, insert

from helpline.models import CallbackCall


@pytest.fixture(autouse=True)
def _postgres_only(postgres_url):
    if postgres_url is None:
        pytest.skip("a race between transactions needs PostgreSQL (set TEST_DATABASE_URL)")


def test_two_calls_for_one_callback_at_once_ring_one_phone(team, make_callback, text_line, run_worker, staff_legs,
                                                           texts_to, line, clock):
    ref = make_callback(assignee=team.aino)
    competitor: dict[str, int] = {}

    def sanna_calls_first(session, flush_context, instances):
        # Just before Aino's CALL stores attempt 1, Sanna's CALL (another process) commits its own.
        if any(isinstance(row, CallbackCall) for row in session.new) and not competitor:
            with line.db.engine.begin() as connection:
                competitor["id"] = connection.execute(insert(CallbackCall).values(
                    callback_id=ref, attempt_number=1, staff_id=team.sanna.id, staff_phone=team.sanna.phone,
                    caller="+358401234567", language="fi", status="requested", requested_at=clock.now(),
                    counted_as_failed=False)).inserted_primary_key[0]

    event.listen(line.db.sessionmaker, "before_flush", sanna_calls_first)
    try:
        text_line(team.aino, f"SOITA {ref}")
    finally:
        event.remove(line.db.sessionmaker, "before_flush", sanna_calls_first)
    assert texts_to(team.aino.phone) == [f"Soitto soittopyyntöön #{ref} on jo käynnissä."]
    with line.db.sessionmaker() as session:
        assert [row.id for row in session.query(CallbackCall)] == [competitor["id"]]


def test_two_dones_at_once_close_the_callback_once(team, make_callback, app, twilio_post, texts_to, stored, line):
    ref = make_callback(assignee=team.aino)
    barrier = threading.Barrier(2)
    results: list[int] = []

    def done(staff, sid: str) -> None:
        from helpline.telephony.signatures import sign

        params = {"MessageSid": sid, "From": staff.phone, "To": line.settings.twilio_phone_number,
                  "Body": f"VALMIS {ref} {staff.name}"}
        signature = sign(line.settings.twilio_auth_token, line.settings.public_base_url + "/sms/incoming", params)
        client = app.test_client()
        barrier.wait()
        results.append(client.post("/sms/incoming", data=params, headers={"X-Twilio-Signature": signature}).status_code)

    threads = [threading.Thread(target=done, args=(team.aino, "SM" + "a" * 32)),
               threading.Thread(target=done, args=(team.sanna, "SM" + "b" * 32))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [200, 200]
    [closed] = stored.events(ref, "closed")
    winner = team.aino if closed.staff_id == team.aino.id else team.sanna
    loser = team.sanna if winner is team.aino else team.aino
    assert stored.callback(ref).note == f"{winner.name}"
    assert texts_to(winner.phone) == [f"Soittopyyntö #{ref} suljettu. Kiitos!"]
    assert texts_to(loser.phone) == [f"Soittopyyntö #{ref} on jo suljettu."]
