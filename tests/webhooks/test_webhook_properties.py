"""Property-based: whatever form Twilio's signed request carries (odd characters, huge or empty
values, unknown fields, a value where a number belongs), every webhook answers without a server
error: the voice and call-back webhooks 200 with TwiML that Twilio's schema accepts, the SMS
webhook an empty <Response/> (or 400 when Twilio's MessageSid is missing), the message status
webhook 204. And Twilio sending the same request again (it retries) changes nothing stored.

Hypothesis draws ten examples per webhook, each a few requests (after, or not, the call that
sets the scene) against a small line: two staff on duty, an open callback whose call-back rings
its assignee, the line open or closed. Every example starts from that same state, and the draws
are derandomized, so CI runs the same examples every time.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete, select
from twiml_schema import assert_valid_twiml

from conftest import ACCOUNT_SID, LINE_NUMBER, helsinki
from helpline.ids import parse_id
from helpline.models import Base, CallbackCall, CallbackRequest
from helpline.telephony.signatures import sign
from helpline.webhooks.sms import EMPTY_MESSAGING_RESPONSE

AINO, BERTIL, CALLER = "+358401110001", "+358401110002", "+358501234567"
CALL_SIDS = ("CA" + "1" * 32, "CA" + "2" * 32)
OPEN, CLOSED = helsinki("2027-01-11 10:00"), helsinki("2027-01-11 20:00")
BIG = "99999999999999999999999"  # a number no INTEGER column holds
PROPERTY_SETTINGS = settings(max_examples=10, derandomize=True, deadline=None, database=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                    HealthCheck.data_too_large])

# --- what Twilio might send -------------------------------------------------------------------------

# Any text a form can carry (no lone surrogates: a form is UTF-8), now and then very long.
odd = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=3).map(lambda chunk: chunk * 3000),
    st.sampled_from(["", " ", "0", "-1", BIG, "1e309", "NaN", "null", "true",
                     "\x00", "<Response/>", "%00", "é" * 5, "😀", "\r\n"]),
)


def field(*plausible: str) -> st.SearchStrategy[str]:
    """Mostly (three times in four) a value Twilio would send, otherwise anything at all."""
    return st.integers(0, 3).flatmap(lambda pick: odd if pick == 0 else st.sampled_from(plausible))


FIELDS: dict[str, st.SearchStrategy[str]] = {
    "AccountSid": field(ACCOUNT_SID),
    "CallSid": field(*CALL_SIDS),
    "ParentCallSid": field(*CALL_SIDS),
    "From": field(CALLER, AINO, BERTIL, "anonymous", "+266696687", "client:Anonymous", "+35891234567"),
    "To": field(LINE_NUMBER, AINO),
    "CallStatus": field("ringing", "in-progress", "completed", "busy", "no-answer", "failed", "canceled"),
    "Digits": field("1", "2", "3", "#", "12", ""),
    "DialCallStatus": field("completed", "answered", "busy", "no-answer", "failed", "canceled"),
    "DialCallSid": field("CA" + "3" * 32),
    "DialCallDuration": field("0", "7", "65", BIG),
    "DialBridged": field("true", "false"),
    "CallDuration": field("0", "42", BIG),
    "RecordingSid": field("RE" + "a" * 32, "RE" + "b" * 32),
    "RecordingUrl": field(f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/RE{'a' * 32}"),
    "RecordingDuration": field("0", "14", "121", BIG),
    "RecordingStatus": field("completed", "absent", "failed"),
    "MessageSid": field("SM" + "1" * 32, "SM" + "2" * 32),
    "SmsSid": field("SM" + "1" * 32),
    "Body": field("OK", "OK 1", "DONE 1 soitettu", "PASS 1", "CALL 1", "HELP", "STOP", "START", "5", "VALMIS #1",
                  "KLAR 1", "?"),
    "MessageStatus": field("queued", "sent", "delivered", "undelivered", "failed"),
    "ErrorCode": field("30003", "21610", "30008", BIG),
}
QUERY: dict[str, st.SearchStrategy[str]] = {
    "attempt": field("1", "2", "0", BIG),
    "call": field(*CALL_SIDS),
    "lang": field("fi", "sv", "en"),
    "callback": field("1", "2", BIG),
    "outbound": field("1", "2", BIG),
}
VOICE = ("/voice/incoming", "/voice/language", "/voice/dial-result", "/voice/screen", "/voice/screen-choice",
         "/voice/recorded", "/voice/recording-status", "/voice/status")
CALLS_BACK = ("/callbacks-out/bridge", "/callbacks-out/bridge-choice", "/callbacks-out/result",
              "/callbacks-out/status")
SMS = ("/sms/incoming", "/sms/status")


@st.composite
def twilio_request(draw, path: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """(path, query, form): each field we know present or not, now and then one of no name we know."""
    query = {name: draw(value) for name, value in QUERY.items() if draw(st.booleans())}
    form = {name: draw(value) for name, value in FIELDS.items() if draw(st.integers(0, 3))}
    form.update(draw(st.dictionaries(st.text(max_size=12), odd, max_size=2)))
    return path, query, form


def requests(path: str):
    """One to three requests to ``path``, after (or not) a call to the line that sets the scene."""
    scene = st.lists(twilio_request("/voice/incoming"), max_size=1)
    return st.tuples(scene, st.lists(twilio_request(path), min_size=1, max_size=3)).map(lambda parts: sum(parts, []))


# --- the line every example starts from ---------------------------------------------------------------

@pytest.fixture
def fresh_line(line, redis, office_hours, make_staff, make_shift, clock):
    """Put the line back as it was: the rota, one open callback of Aino's whose call-back rings her now."""

    def reset(moment) -> None:
        with line.db.session() as session:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(delete(table))
        redis.flushdb()
        clock.set(OPEN)
        office_hours()
        aino, bertil = make_staff("Aino", AINO), make_staff("Bertil", BERTIL, languages=("sv", "fi"))
        day = OPEN.replace(hour=0)
        make_shift(aino, day, day + timedelta(days=1), priority=1)
        make_shift(bertil, day, day + timedelta(days=1), priority=2)
        with line.db.session() as session:
            callback = CallbackRequest(caller=CALLER, language="fi", status="assigned", assignee_id=aino.id,
                                       created_at=OPEN, last_call_at=OPEN, assigned_at=OPEN,
                                       next_action="remind", next_action_at=OPEN + timedelta(minutes=30))
            session.add(callback)
            session.flush()
            session.add(CallbackCall(callback_id=callback.id, attempt_number=1, staff_id=aino.id, staff_phone=AINO,
                                     caller=CALLER, status="ringing_staff", requested_at=OPEN, placed_at=OPEN,
                                     staff_call_sid="CA" + "4" * 32))
        clock.set(moment)

    return reset


@pytest.fixture
def stored_state(line):
    """Every row of every table, as plain values: what a replay must leave exactly as it was."""

    def snapshot() -> dict[str, list[tuple[Any, ...]]]:
        with line.db.sessionmaker() as session:
            return {table.name: [tuple(row) for row in session.execute(
                        select(table).order_by(*table.primary_key.columns))]
                    for table in Base.metadata.sorted_tables}

    return snapshot


@pytest.fixture
def send(client, settings):
    def post(path: str, query: dict[str, str], form: dict[str, str]):
        target = path + (f"?{urlencode(query)}" if query else "")
        signature = sign(settings.twilio_auth_token, settings.public_base_url + target, form)
        return client.post(target, data=form, headers={"X-Twilio-Signature": signature})

    return post


def check_answer(path: str, query: dict[str, str], form: dict[str, str], response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)
    if path == "/sms/status":
        # Our own StatusCallback URL names the outbound row; one that names no possible row is a
        # URL we never gave out (404), anything else is taken (204) whatever the form holds.
        names_no_row = query.get("outbound", "") != "" and parse_id(query["outbound"]) is None
        assert response.status_code == (404 if names_no_row else 204)
    elif path == "/sms/incoming":
        if form.get("MessageSid") or form.get("SmsSid"):
            assert (response.status_code, response.get_data(as_text=True)) == (200, EMPTY_MESSAGING_RESPONSE)
        else:
            assert response.status_code == 400  # Twilio always sends one; without it, nothing to store
    else:
        assert (response.status_code, response.mimetype) == (200, "text/xml")
        assert_valid_twiml(response.get_data())


def run(path, data, fresh_line, send, stored_state, caplog) -> None:
    """Draw the line open or closed and a few requests to ``path``; send each, then send it again."""
    fresh_line(data.draw(st.sampled_from([OPEN, CLOSED]), label="now"))
    caplog.clear()
    for target, query, form in data.draw(requests(path), label="requests"):
        check_answer(target, query, form, send(target, query, form))
        before = stored_state()
        check_answer(target, query, form, send(target, query, form))  # Twilio retries: the same request again
        assert stored_state() == before, f"a replay of {target} changed what is stored"
    crashes = [record for record in caplog.records if record.exc_info]
    assert not crashes, "a webhook failed inside (its fallback answered): " + crashes[0].getMessage()


@pytest.fixture(autouse=True)
def _log_errors(caplog):
    caplog.set_level(logging.ERROR)


@pytest.mark.parametrize("path", VOICE)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_voice_webhook_answers_valid_twiml_to_any_signed_form_and_a_replay_changes_nothing(
        path, data, fresh_line, send, stored_state, caplog):
    run(path, data, fresh_line, send, stored_state, caplog)


@pytest.mark.parametrize("path", CALLS_BACK)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_call_back_webhook_answers_valid_twiml_to_any_signed_form_and_a_replay_changes_nothing(
        path, data, fresh_line, send, stored_state, caplog):
    run(path, data, fresh_line, send, stored_state, caplog)


@pytest.mark.parametrize("path", SMS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_an_sms_webhook_answers_empty_to_any_signed_form_and_a_replay_changes_nothing(
        path, data, fresh_line, send, stored_state, caplog):
    run(path, data, fresh_line, send, stored_state, caplog)
