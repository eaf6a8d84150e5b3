"""The Calls page ("My calls"): staff wrap up the live calls they answered, supervisors anyone's,
within 24 hours; and the callback close form names the service a caller was referred to."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpline.models import Call, CallbackRequest, CallWrapUp, OutboundSms
from tests.web.conftest import post_form

_sids = itertools.count(1)


@pytest.fixture
def make_call(line, clock):
    def make(answered_by, *, minutes_ago: int = 30, caller: str = "+358501234567") -> int:
        started = clock.now() - timedelta(minutes=minutes_ago)
        with line.db.session() as session:
            call = Call(call_sid=f"CA{next(_sids):032x}", caller=caller, started_at=started, line_open=True,
                        outcome="answered", answered_by_id=answered_by.id, answered_at=started + timedelta(seconds=15),
                        ended_at=started + timedelta(minutes=12), conversation_seconds=705)
            session.add(call)
            session.flush()
            return call.id

    return make


def _wrap(line, call_id: int) -> CallWrapUp | None:
    with line.db.session() as session:
        return session.scalar(select(CallWrapUp).where(CallWrapUp.call_id == call_id))


def test_a_staff_member_sees_their_calls_and_wraps_one_up_as_referred(as_worker, worker, make_staff, make_call,
                                                                      make_service, line):
    aino = make_staff("Aino")
    mine = make_call(worker.staff)
    theirs = make_call(aino, caller="+358501119999")
    kriisi = make_service("KRIISI", "Kriisipuhelin")
    page = as_worker.get("/calls/").get_data(as_text=True)
    assert "Omat puheluni" in page and "1 puhelu odottaa kirjausta." in page
    assert f'href="/calls/{mine}"' in page and f'href="/calls/{theirs}"' not in page
    assert as_worker.get(f"/calls/{theirs}").status_code == 404
    form = as_worker.get(f"/calls/{mine}").get_data(as_text=True)
    assert "Kriisipuhelin (KRIISI)" in form and "Mahdollista 12.1.2027 09:42 asti." in form
    saved = post_form(as_worker, f"/calls/{mine}/wrap-up", {"outcome": "referred", "service_id": str(kriisi.id),
                                                            "topic": "ahdistus"}, token_from=f"/calls/{mine}")
    assert saved.status_code == 302
    wrap = _wrap(line, mine)
    assert (wrap.outcome, wrap.service_id, wrap.topic, wrap.staff_id, wrap.via) == (
        "referred", kriisi.id, "ahdistus", worker.staff.id, "web")
    assert "ohjattu muualle: Kriisipuhelin · ahdistus" in as_worker.get("/calls/").get_data(as_text=True)
    with line.db.session() as session:
        assert session.scalars(select(OutboundSms)).all() == []  # no SMS to a live call's caller


def test_the_form_refuses_a_service_without_referred_and_a_missing_outcome(as_worker, worker, make_call,
                                                                           make_service, line):
    call = make_call(worker.staff)
    kriisi = make_service()
    no_outcome = post_form(as_worker, f"/calls/{call}/wrap-up", {"topic": "x"}, token_from=f"/calls/{call}")
    assert no_outcome.status_code == 422 and "Valitse, miten se päättyi." in no_outcome.get_data(as_text=True)
    service_only = post_form(as_worker, f"/calls/{call}/wrap-up", {"outcome": "resolved", "service_id": kriisi.id},
                             token_from=f"/calls/{call}")
    assert service_only.status_code == 422
    assert "Palvelu valitaan vain, kun soittaja ohjattiin muualle." in service_only.get_data(as_text=True)
    assert _wrap(line, call) is None


def test_a_supervisor_wraps_up_anyone_s_call_but_not_after_24_hours(as_supervisor, make_staff, make_call, line,
                                                                    clock):
    aino = make_staff("Aino")
    recent = make_call(aino)
    old = make_call(aino, minutes_ago=25 * 60)
    page = as_supervisor.get("/calls/").get_data(as_text=True)
    assert "Aino" in page and "ei kirjattu" in page
    assert post_form(as_supervisor, f"/calls/{recent}/wrap-up", {"outcome": "resolved"},
                     token_from=f"/calls/{recent}").status_code == 302
    assert _wrap(line, recent).outcome == "resolved"
    assert "Tämän puhelun kirjausaika on päättynyt." in as_supervisor.get(f"/calls/{old}").get_data(as_text=True)
    late = post_form(as_supervisor, f"/calls/{old}/wrap-up", {"outcome": "resolved"}, token_from=f"/calls/{recent}")
    assert late.status_code == 302 and _wrap(line, old) is None


def test_closing_a_callback_on_its_page_may_name_the_service_and_the_caller_is_texted(
        as_worker, worker, make_callback, make_service, line):
    ref = make_callback("+358501234567", assignee=worker.staff)
    perhe = make_service("PERHE", "Kirkon perheneuvonta", phone="+358401234567")
    make_service("VANHA", "Vanha palvelu", active=False)
    page = as_worker.get(f"/callbacks/{ref}").get_data(as_text=True)
    assert "Kirkon perheneuvonta (PERHE)" in page and "Vanha palvelu" not in page
    wrong = post_form(as_worker, f"/callbacks/{ref}/close", {"outcome": "resolved", "service_id": perhe.id},
                      token_from=f"/callbacks/{ref}")
    assert wrong.status_code == 422
    closed = post_form(as_worker, f"/callbacks/{ref}/close", {"outcome": "referred", "service_id": perhe.id,
                                                              "topic": "perhe"}, token_from=f"/callbacks/{ref}")
    assert closed.status_code == 302
    detail = as_worker.get(f"/callbacks/{ref}").get_data(as_text=True)
    assert "Ohjattu palveluun Kirkon perheneuvonta" in detail
    assert "Soittajalle lähetettiin palvelun Kirkon perheneuvonta tiedot" in detail
    with line.db.session() as session:
        callback = session.get(CallbackRequest, ref)
        assert (callback.outcome, callback.service_id) == ("referred", perhe.id)
        [sms] = session.scalars(select(OutboundSms).where(OutboundSms.purpose == "referral")).all()
        assert sms.to_number == "+358501234567" and sms.body.startswith("Palvelu, josta puhuimme: Kirkon perheneuvonta.")
