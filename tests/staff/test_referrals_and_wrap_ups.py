"""The map of help by SMS: DONE 12 REF <service> refers a caller (who is texted the service's
details), and after a live call the staff member who answered is asked once how it ended and
answers WRAP."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from twiml_schema import assert_valid_twiml

from helpline.devtools.call_client import FlaskTransport, StaffPhone, TwilioCallSimulator
from helpline.models import Call, CallWrapUp, SmsOptOut

CALLER = "+358501234567"


@pytest.fixture
def kriisi(make_service):
    return make_service("KRIISI", "Kriisipuhelin", name_sv="Krisjouren", phone="+358925250111",
                        url="https://mielenterveysseura.fi", hours="24/7", open_on_holidays=True)


@pytest.fixture
def perhe(make_service):
    return make_service("PERHE", "Kirkon perheneuvonta", phone="+358401234567", hours="ma-pe 9-15")


# --- DONE 12 REF <service> ---------------------------------------------------------------------------

def test_done_ref_closes_as_referred_and_the_caller_is_texted_the_service_s_details(
        team, make_callback, kriisi, text_line, texts_to, stored):
    ref = make_callback(CALLER, assignee=team.aino, language="sv")
    text_line(team.aino, f"VALMIS {ref} REF kriisi soitin takaisin")
    assert texts_to(team.aino.phone) == [
        f"Soittopyyntö #{ref} suljettu: ohjattu palveluun Kriisipuhelin. Soittajalle lähti palvelun tiedot "
        "tekstiviestinä."]
    assert texts_to(CALLER) == [
        "Tjänsten vi talade om: Krisjouren. Tfn 09 25250111. mielenterveysseura.fi. Öppet dygnet runt alla dagar."]
    callback = stored.callback(ref)
    assert (callback.status, callback.outcome, callback.service_id, callback.note) == (
        "closed", "referred", kriisi.id, "soitin takaisin")
    [closed] = stored.events(ref, "closed")
    assert closed.detail == {"outcome": "referred", "via": "sms", "note": "soitin takaisin", "service_id": kriisi.id}


def test_a_unique_start_of_a_service_s_name_is_enough(team, make_callback, perhe, kriisi, text_line, texts_to, stored):
    ref = make_callback(CALLER, assignee=team.carol, language="en")
    text_line(team.carol, f"DONE {ref} REF kirkon perhe")
    assert texts_to(team.carol.phone) == [
        f"Callback #{ref} closed: referred to Kirkon perheneuvonta. The caller was texted the service's details."]
    assert texts_to(CALLER) == ["The service we talked about: Kirkon perheneuvonta. Phone 040 1234567. "
                                "Open Mon-Fri 9-15."]
    assert stored.callback(ref).service_id == perhe.id


def test_an_unknown_or_ambiguous_service_closes_nothing_and_the_reply_says_how_to_write_it(
        team, make_callback, make_service, text_line, texts_to, stored):
    make_service("PERHE", "Kirkon perheneuvonta")
    make_service("KERHO", "Kirkon perhekerho")
    ref = make_callback(CALLER, assignee=team.aino)
    text_line(team.aino, f"VALMIS {ref} REF lääkäri")
    text_line(team.aino, f"VALMIS {ref} REF kirkon")
    text_line(team.aino, f"VALMIS {ref} REF")
    assert texts_to(team.aino.phone) == [
        f'En löydä palvelua "lääkäri". Kirjoita sen koodi, esim. VALMIS {ref} REF KRIISI.',
        f'"kirkon" sopii moneen: KERHO, PERHE. Kirjoita koodi, esim. VALMIS {ref} REF KERHO.',
        f"Kirjoita palvelun koodi REF-sanan jälkeen, esim. VALMIS {ref} REF KRIISI."]
    assert stored.callback(ref).status == "assigned"
    assert texts_to(CALLER) == []


def test_a_referred_caller_whose_number_cannot_take_sms_gets_none_and_staff_are_told(
        team, make_callback, kriisi, text_line, texts_to, line, clock):
    landline = make_callback("+358912345678", assignee=team.aino)
    stopped = make_callback(CALLER, assignee=team.aino)
    with line.db.session() as session:
        session.add(SmsOptOut(number=CALLER, opted_out_at=clock.now(), source="stop-sms"))
    text_line(team.aino, f"VALMIS {landline} REF KRIISI")
    text_line(team.aino, f"VALMIS {stopped} REF KRIISI")
    assert texts_to(team.aino.phone) == [
        f"Soittopyyntö #{landline} suljettu: ohjattu palveluun Kriisipuhelin. Soittajalle ei voi lähettää "
        "tekstiviestiä.",
        f"Soittopyyntö #{stopped} suljettu: ohjattu palveluun Kriisipuhelin. Soittajalle ei voi lähettää "
        "tekstiviestiä."]
    assert texts_to("+358912345678") == [] and texts_to(CALLER) == []


def test_help_mentions_ref_and_wrap(team, text_line, texts_to):
    text_line(team.carol, "HELP")
    [reply] = texts_to(team.carol.phone)
    assert "DONE 12 REF KRIISI: referred to a service. WRAP RESOLVED/REFERRED: wrap up a call." in reply


# --- the wrap-up of a live call ------------------------------------------------------------------------

@pytest.fixture
def simulator(client, settings) -> TwilioCallSimulator:
    return TwilioCallSimulator(FlaskTransport(client), auth_token=settings.twilio_auth_token,
                               public_base_url=settings.public_base_url, account_sid=settings.twilio_account_sid,
                               line_number=settings.twilio_phone_number, validate_twiml=assert_valid_twiml)


@pytest.fixture
def answered_call(simulator, staffed_line):
    """A caller in office hours, answered by Aino (the first on the rota); returns the call's id."""
    aino, bertil = staffed_line

    def call(caller: str = CALLER, seconds: int = 250) -> int:
        result = simulator.call(caller, staff={aino.phone: StaffPhone(aino.phone, "accept"),
                                               bertil.phone: StaffPhone(bertil.phone, "accept")},
                                conversation_seconds=seconds)
        assert result.answered_by == aino.phone
        return result.call_sid

    return call


def _wrap_up(line, call_sid: str) -> CallWrapUp | None:
    with line.db.session() as session:
        call_id = session.scalar(select(Call.id).where(Call.call_sid == call_sid))
        return session.scalar(select(CallWrapUp).where(CallWrapUp.call_id == call_id))


def test_after_a_live_call_the_one_who_answered_is_asked_once_and_wraps_it_up_by_sms(
        staffed_line, answered_call, perhe, text_line, texts_to, line, clock):
    aino, bertil = staffed_line
    sid = answered_call(seconds=250)
    assert texts_to(aino.phone) == [
        "Puhelu ma 11.1. klo 10.00 (4 min): miten se päättyi? Vastaa KIRJAA HOIDETTU [aihe] tai KIRJAA OHJATTU "
        "<koodi> [aihe]."]
    assert texts_to(bertil.phone) == []
    clock.advance(minutes=3)
    text_line(aino, "KIRJAA ohjattu PERHE perheen huolet")
    assert texts_to(aino.phone)[1:] == [
        "Kirjattu: puhelu ma 11.1. klo 10.00 ohjattu eteenpäin palveluun Kirkon perheneuvonta, aihe: perheen huolet. "
        "Kiitos!"]
    wrap = _wrap_up(line, sid)
    assert (wrap.outcome, wrap.service_id, wrap.topic, wrap.staff_id, wrap.via) == (
        "referred", perhe.id, "perheen huolet", aino.id, "sms")
    assert texts_to(CALLER) == []  # a live call's caller heard it on the phone: no SMS to them


def test_wrap_applies_to_the_newest_call_not_yet_wrapped_up_and_says_how_many_are_left(
        staffed_line, answered_call, text_line, texts_to, line, clock):
    aino, _ = staffed_line
    first = answered_call("+358501110001")
    clock.advance(minutes=30)
    second = answered_call("+358501110002")
    text_line(aino, "WRAP resolved loneliness")
    text_line(aino, "WRAP referred doctor")  # no service by that name: all of it is the topic
    text_line(aino, "WRAP resolved")
    replies = texts_to(aino.phone)[2:]
    # Replies come in the language of the command word (WRAP: English).
    assert replies == [
        "Noted: your call Mon 11 Jan 10:30 resolved, topic: loneliness. Thank you! 1 more to wrap up.",
        "Noted: your call Mon 11 Jan 10:00 referred on, topic: doctor. Thank you!",
        "You have no calls to wrap up from the last 24 hours."]
    assert (_wrap_up(line, second).outcome, _wrap_up(line, first).topic) == ("resolved", "doctor")


def test_wrap_more_than_24_hours_after_the_call_finds_nothing_to_wrap_up(
        staffed_line, answered_call, text_line, texts_to, line, clock):
    aino, _ = staffed_line
    sid = answered_call()
    clock.advance(hours=24, minutes=1)
    text_line(aino, "KIRJAA hoidettu")
    assert texts_to(aino.phone)[-1] == "Sinulla ei ole kirjaamattomia puheluita viimeisen vuorokauden ajalta."
    assert _wrap_up(line, sid) is None


def test_wrap_without_an_outcome_gets_the_usage(team, text_line, texts_to):
    text_line(team.bertil, "NOTERA kanske")
    assert texts_to(team.bertil.phone) == ["Skriv NOTERA LÖST [ämne] eller NOTERA HÄNVISAD <kod> [ämne]."]


def test_no_wrap_up_sms_when_wrap_up_sms_is_off_yet_wrap_still_works(
        staffed_line, answered_call, text_line, texts_to, line):
    line.settings = line.settings.with_overrides(wrap_up_sms=False)
    aino, _ = staffed_line
    sid = answered_call()
    assert texts_to(aino.phone) == []
    text_line(aino, "kirjaa hoidettu")
    assert texts_to(aino.phone) == ["Kirjattu: puhelu ma 11.1. klo 10.00 hoidettu. Kiitos!"]
    assert _wrap_up(line, sid).outcome == "resolved"


def test_a_staff_member_who_said_stop_gets_no_wrap_up_question(staffed_line, answered_call, texts_to, line, clock):
    aino, _ = staffed_line
    with line.db.session() as session:
        session.add(SmsOptOut(number=aino.phone, opted_out_at=clock.now(), source="stop-sms"))
    answered_call()
    assert texts_to(aino.phone) == []
