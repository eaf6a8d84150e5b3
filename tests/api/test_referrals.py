"""Closing a callback as referred may name a service: the caller is then texted its details, once,
and never when the number cannot take an SMS or said STOP."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import CallbackEvent, OutboundSms, SmsOptOut


def _sms(line):
    with line.db.session() as session:
        return [(sms.to_number, sms.purpose, sms.body) for sms in
                session.scalars(select(OutboundSms).order_by(OutboundSms.id))]


def test_a_callback_closed_as_referred_to_a_service_texts_the_caller_its_details(supervisor, make_callback,
                                                                                  make_service, line):
    service = make_service("PERHE", "Kirkon perheneuvonta", name_en="Church family counselling",
                           phone="+358401234567", url="https://evl.fi/perheneuvonta")
    callback = make_callback("+358501112222", status="assigned", language="en")
    response = supervisor.post(f"/api/callbacks/{callback.id}/close",
                               json={"outcome": "referred", "service_id": service.id, "topic": "family"})
    assert response.status_code == 200
    assert response.get_json()["service_id"] == service.id
    referral = [sms for sms in _sms(line) if sms[1] == "referral"]
    assert referral == [("+358501112222", "referral",
                         "The service we talked about: Church family counselling. Phone 040 1234567. "
                         "evl.fi/perheneuvonta. Open Mon-Fri 9-15.")]
    with line.db.session() as session:
        kinds = [e.kind for e in session.scalars(select(CallbackEvent).where(CallbackEvent.callback_id == callback.id)
                                                 .order_by(CallbackEvent.id))]
        assert kinds == ["closed", "referral_texted"]


def test_no_referral_sms_goes_to_a_fixed_line_or_a_number_that_said_stop(supervisor, make_callback, make_service,
                                                                          line, clock):
    service = make_service()
    fixed = make_callback("+358912345678", status="assigned")  # a Helsinki landline
    stopped = make_callback("+358501113333", status="assigned")
    with line.db.session() as session:
        session.add(SmsOptOut(number="+358501113333", opted_out_at=clock.now(), source="stop-sms"))
    for callback in (fixed, stopped):
        assert supervisor.post(f"/api/callbacks/{callback.id}/close",
                               json={"outcome": "referred", "service_id": service.id}).status_code == 200
    assert [sms for sms in _sms(line) if sms[1] == "referral"] == []
    with line.db.session() as session:
        reasons = [e.detail["reason"] for e in session.scalars(
            select(CallbackEvent).where(CallbackEvent.kind == "referral_not_texted").order_by(CallbackEvent.id))]
        assert reasons == ["the number cannot get SMS (withheld, masked or not a mobile)", "the caller said STOP"]


def test_a_service_named_with_another_outcome_or_retired_is_refused_and_nothing_closes(supervisor, make_callback,
                                                                                       make_service, error_of, line):
    retired = make_service("VANHA", active=False)
    callback = make_callback(status="assigned")
    wrong = supervisor.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "resolved", "service_id": retired.id})
    assert wrong.status_code == 422
    assert error_of(wrong) == "service_id: a service can only be named when the outcome is referred"
    gone = supervisor.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "referred", "service_id": retired.id})
    assert error_of(gone) == f"service_id: service {retired.id} is retired; refer to one in use"
    assert supervisor.get(f"/api/callbacks/{callback.id}").get_json()["status"] == "assigned"
    assert _sms(line) == []


def test_closing_again_sends_no_second_referral_sms(supervisor, make_callback, make_service, line):
    service = make_service()
    callback = make_callback("+358501114444", status="assigned")
    body = {"outcome": "referred", "service_id": service.id}
    assert supervisor.post(f"/api/callbacks/{callback.id}/close", json=body).status_code == 200
    assert supervisor.post(f"/api/callbacks/{callback.id}/close", json=body).status_code == 409
    assert len([sms for sms in _sms(line) if sms[1] == "referral"]) == 1
