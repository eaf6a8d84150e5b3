"""A supervisor's tool blocks a number for some days with a reason, lists and lifts blocks; staff
tokens can do none of it; every block and unblock is in the audit log, without the number."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from helpline.blocks.rules import number_hash
from helpline.models import AuditEntry, BlockedNumber


def _block(client, number="050 123 4567", days=7, reason="abusive calls"):
    return client.post("/api/blocked-numbers", json={"number": number, "days": days, "reason": reason})


def test_a_supervisor_blocks_a_number_in_national_form_and_sees_only_its_last_digits(supervisor, line, session):
    response = _block(supervisor)

    assert response.status_code == 201, response.get_json()
    block = response.get_json()
    assert block == {"id": block["id"], "number": "…567", "days": 7, "reason": "abusive calls",
                     "created_at": "2027-01-11T10:00:00+02:00", "ends_at": "2027-01-18T10:00:00+02:00",
                     "created_by": "Sari (supervisor)", "in_force": True}
    assert response.headers["Location"].endswith(f"/api/blocked-numbers/{block['id']}")
    assert supervisor.get(f"/api/blocked-numbers/{block['id']}").get_json() == block
    assert supervisor.get("/api/blocked-numbers").get_json() == {"blocked_numbers": [block]}
    stored = session.get(BlockedNumber, block["id"])
    assert stored.number_hash == number_hash(line.settings.secret_key, "+358501234567")
    assert "501234567" not in json.dumps({c.name: str(getattr(stored, c.name)) for c in BlockedNumber.__table__.c})


def test_the_same_number_in_e164_is_blocked_already(supervisor, error_of):
    assert _block(supervisor).status_code == 201
    again = _block(supervisor, number="+358501234567")
    assert again.status_code == 409
    assert "blocked already" in error_of(again)


def test_an_active_staff_member_s_phone_cannot_be_blocked(supervisor, make_staff, error_of):
    make_staff("Aino", "+358401110001")
    refused = _block(supervisor, number="040 111 0001")
    assert refused.status_code == 409 and "Aino" in error_of(refused)


def test_lifting_a_block_and_every_block_are_audited_without_the_number(supervisor, session):
    block_id = _block(supervisor).get_json()["id"]
    assert supervisor.delete(f"/api/blocked-numbers/{block_id}").status_code == 204
    assert supervisor.delete(f"/api/blocked-numbers/{block_id}").status_code == 404
    assert supervisor.get("/api/blocked-numbers").get_json() == {"blocked_numbers": []}

    removed, added = supervisor.get("/api/audit?entity=blocked_number").get_json()["entries"]
    assert (added["action"], added["entity_id"], added["actor"]) == ("create", block_id, "Sari (supervisor)")
    assert added["after"] == {"number": "…567", "days": 7, "reason": "abusive calls",
                              "ends_at": "2027-01-18T10:00:00+02:00"}
    assert (removed["action"], removed["before"], removed["after"]) == ("delete", added["after"], None)
    assert "501234567" not in json.dumps([added, removed])


def test_staff_tokens_may_neither_read_nor_change_blocks(supervisor, staff_member, own_staff_token, error_of):
    block_id = _block(supervisor).get_json()["id"]
    for client in (staff_member, own_staff_token):
        for response in (client.get("/api/blocked-numbers"), client.get(f"/api/blocked-numbers/{block_id}"),
                         _block(client, number="040 999 0000"), client.delete(f"/api/blocked-numbers/{block_id}")):
            assert response.status_code == 403, response.get_json()
            error_of(response)
    assert supervisor.get(f"/api/blocked-numbers/{block_id}").status_code == 200


def test_without_a_token_nothing_is_answered(anonymous):
    assert anonymous.get("/api/blocked-numbers").status_code == 401
    assert anonymous.post("/api/blocked-numbers", json={}).status_code == 401


@pytest.mark.parametrize(("body", "words"), [
    ({"number": "050 123 4567", "days": 7}, "reason is required"),
    ({"number": "050 123 4567", "reason": "x"}, "days is required"),
    ({"days": 7, "reason": "x"}, "number is required"),
    ({"number": "12", "days": 7, "reason": "x"}, "number: '12' is not a valid phone number"),
    ({"number": 501234567, "days": 7, "reason": "x"}, "number must be text"),
    ({"number": "050 123 4567", "days": 0, "reason": "x"}, "days must be between 1 and 365"),
    ({"number": "050 123 4567", "days": 366, "reason": "x"}, "days must be between 1 and 365"),
    ({"number": "050 123 4567", "days": 1.5, "reason": "x"}, "days must be a whole number"),
    ({"number": "050 123 4567", "days": True, "reason": "x"}, "days must be a whole number"),
    ({"number": "050 123 4567", "days": 7, "reason": "  "}, "reason must not be empty"),
    ({"number": "050 123 4567", "days": 7, "reason": "a\nb"}, "line break"),
    ({"number": "050 123 4567", "days": 7, "reason": "x" * 201}, "reason is too long"),
    ({"number": "050 123 4567", "days": 7, "reason": "x", "until": "2027-02-01"}, "unknown field 'until'"),
])
def test_a_block_that_cannot_be_made_is_refused_in_words_and_nothing_is_stored(body, words, supervisor, session,
                                                                               error_of):
    response = supervisor.post("/api/blocked-numbers", json=body)
    assert response.status_code == 422
    assert words in error_of(response)
    assert session.scalar(select(func.count()).select_from(BlockedNumber)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_body_that_is_not_a_json_object_is_400(supervisor):
    assert supervisor.post("/api/blocked-numbers", data="[1]", content_type="application/json").status_code == 400
    assert supervisor.post("/api/blocked-numbers", data="{", content_type="application/json").status_code == 400


def test_ids_past_what_the_database_holds_are_404(supervisor):
    assert supervisor.get(f"/api/blocked-numbers/{2**31}").status_code == 404
    assert supervisor.delete(f"/api/blocked-numbers/{2**63}").status_code == 404


def test_a_block_that_has_ended_is_out_of_the_list_but_readable_by_id(supervisor, clock):
    block_id = _block(supervisor, days=1).get_json()["id"]
    clock.advance(days=1)
    assert supervisor.get("/api/blocked-numbers").get_json() == {"blocked_numbers": []}
    assert supervisor.get(f"/api/blocked-numbers/{block_id}").get_json()["in_force"] is False
    assert _block(supervisor, days=1).status_code == 201  # and the number can be blocked again


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                 max_size=3), max_leaves=6)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(number=_JSON | st.text(alphabet="+0123456789 -()", max_size=20), days=_JSON | st.integers(-5, 400),
       reason=_JSON)
def test_whatever_a_tool_sends_as_a_block_it_gets_201_409_or_422_in_words_never_a_server_error(
        supervisor, number, days, reason):
    response = supervisor.post("/api/blocked-numbers", json={"number": number, "days": days, "reason": reason})
    assert response.status_code in (201, 409, 422), response.get_data(as_text=True)
    assert response.is_json
    if response.status_code != 201:
        assert set(response.get_json()) == {"error"}


@pytest.mark.parametrize("blocked", [True, False])
def test_a_blocked_caller_is_not_sent_the_feedback_question_when_their_callback_closes(
        blocked, supervisor, make_callback, make_block, session):
    from helpline.models import FeedbackRequest, OutboundSms

    callback = make_callback("+358501234567", status="assigned")
    if blocked:
        make_block("+358501234567")

    response = supervisor.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "resolved"})

    assert response.status_code == 200, response.get_json()
    asked = session.scalar(select(func.count()).select_from(FeedbackRequest))
    texted = session.scalar(select(func.count()).select_from(OutboundSms)
                            .where(OutboundSms.purpose == "caller_feedback"))
    assert (asked, texted) == ((0, 0) if blocked else (1, 1))
