"""Calls answered live: the rota is rung in order, each staff leg is screened, and only a
press of 1 followed by a bridged conversation counts as answered."""
from __future__ import annotations

import pytest

from helpline.models import CallOutcome, DialAttemptResult

CALLER = "+358501234567"


def test_a_caller_in_office_hours_is_answered_by_the_first_staff_member_on_duty(
        simulator, staffed_line, staff_phones, stored, elements, settings):
    aino, bertil = staffed_line

    result = simulator.call(CALLER, staff=staff_phones((aino, "accept"), (bertil, "accept")))

    assert result.rang == [aino.phone]
    assert result.answered_by == aino.phone
    assert result.heard[0] == "Tervetuloa kirkon auttavaan puhelimeen. Jos olet välittömässä vaarassa, soita hätänumeroon 112."
    assert result.staff_heard == ["Auttavan puhelimen puhelu. Paina 1 ottaaksesi puhelun vastaan."]
    [dial] = elements(result.documents, "Dial")
    assert dial.get("answerOnBridge") == "true"
    assert dial.get("timeout") == str(settings.ring_timeout_seconds)
    assert dial.get("callerId") == settings.twilio_phone_number
    assert dial.get("action") == f"{settings.public_base_url}/voice/dial-result?attempt=1"
    call = stored.call(result.call_sid)
    assert call.outcome == CallOutcome.ANSWERED
    assert call.answered_by_id == aino.id
    assert call.conversation_seconds == 95
    assert call.line_open and call.caller == CALLER
    assert call.ended_at is not None and call.last_status == "completed"
    [attempt] = stored.attempts(result.call_sid)
    assert attempt.result == DialAttemptResult.CONNECTED and attempt.accepted_at is not None
    assert stored.callbacks() == []


@pytest.mark.parametrize("first_phone", ["no-answer", "busy", "decline"])
def test_when_the_first_staff_member_does_not_take_the_call_the_second_one_does(
        first_phone, simulator, staffed_line, staff_phones, stored):
    aino, bertil = staffed_line

    result = simulator.call(CALLER, staff=staff_phones((aino, first_phone), (bertil, "accept")))

    assert result.rang == [aino.phone, bertil.phone]
    assert result.answered_by == bertil.phone
    first, second = stored.attempts(result.call_sid)
    expected = {"no-answer": DialAttemptResult.NO_ANSWER, "busy": DialAttemptResult.BUSY,
                "decline": DialAttemptResult.NOT_ACCEPTED}[first_phone]
    assert (first.result, first.accepted_at) == (expected, None)
    assert second.result == DialAttemptResult.CONNECTED
    assert stored.call(result.call_sid).answered_by_id == bertil.id
    assert stored.callbacks() == []


def test_a_personal_voicemail_that_picks_up_but_never_presses_1_does_not_take_the_call(
        simulator, staffed_line, staff_phones, stored):
    aino, bertil = staffed_line

    result = simulator.call(CALLER, staff=staff_phones((aino, "voicemail"), (bertil, "accept")))

    assert result.answered_by == bertil.phone
    first, second = stored.attempts(result.call_sid)
    assert first.result == DialAttemptResult.NOT_ACCEPTED and first.dial_call_status == "completed"
    assert stored.call(result.call_sid).answered_by_id == bertil.id


def test_when_only_voicemail_boxes_pick_up_the_caller_is_asked_for_a_message(
        simulator, staffed_line, staff_phones, stored):
    aino, bertil = staffed_line

    result = simulator.call(CALLER, staff=staff_phones((aino, "voicemail"), (bertil, "voicemail")))

    assert result.rang == [aino.phone, bertil.phone]
    assert result.answered_by is None and result.recorded
    assert "Valitettavasti kukaan ei juuri nyt ehtinyt vastata." in result.heard_text()
    call = stored.call(result.call_sid)
    assert call.outcome == CallOutcome.VOICEMAIL and call.answered_by_id is None
    [callback] = stored.callbacks()
    assert callback.caller == CALLER and callback.has_message


def test_a_caller_who_chooses_swedish_rings_a_swedish_speaker_first_and_the_choice_is_kept(
        simulator, staffed_line, staff_phones, stored):
    aino, bertil = staffed_line

    result = simulator.call(CALLER, press="2", staff=staff_phones((aino, "no-answer"), (bertil, "no-answer")))

    assert result.rang == [bertil.phone, aino.phone]
    assert "Vi kopplar dig till jouren. Ett ögonblick." in result.heard
    assert "Tyvärr kunde ingen svara just nu." in result.heard_text()
    call = stored.call(result.call_sid)
    assert (call.language, call.language_chosen) == ("sv", True)
    [callback] = stored.callbacks()
    assert callback.language == "sv"


def test_staff_hear_which_language_the_caller_chose(simulator, staffed_line, staff_phones):
    aino, bertil = staffed_line

    result = simulator.call(CALLER, press="3", staff=staff_phones((aino, "accept")))

    assert result.staff_heard == ["Auttavan puhelimen puhelu. Paina 1 ottaaksesi puhelun vastaan. "
                                  "Soittaja valitsi kieleksi englannin."]
    assert "We are connecting you to the person on duty. One moment, please." in result.heard


def test_a_caller_who_presses_nothing_at_the_menu_goes_on_in_finnish(simulator, staffed_line, staff_phones, stored):
    aino, _ = staffed_line

    result = simulator.call(CALLER, press=None, staff=staff_phones((aino, "accept")))

    assert result.answered_by == aino.phone
    call = stored.call(result.call_sid)
    assert (call.language, call.language_chosen) == ("fi", False)


def test_a_line_with_one_language_skips_the_menu_and_rings_staff_straight_away(
        line, simulator, staffed_line, staff_phones, elements, stored):
    line.settings = line.settings.with_overrides(caller_languages=("fi",))
    aino, _ = staffed_line

    result = simulator.call(CALLER, press="2", staff=staff_phones((aino, "accept")))

    assert elements(result.documents, "Gather")[0].get("action").endswith("/voice/screen-choice?call="
                                                                           f"{result.call_sid}&attempt=1")
    assert not any("svenska" in heard for heard in result.heard)
    first_document = result.documents[0]
    assert "<Dial" in first_document and "Tervetuloa" in first_document
    assert result.answered_by == aino.phone
    assert (stored.call(result.call_sid).language, stored.call(result.call_sid).language_chosen) == ("fi", False)


def test_a_caller_who_hangs_up_while_staff_phones_ring_gets_a_callback_without_a_message(
        simulator, staffed_line, staff_phones, stored, queued_jobs):
    aino, bertil = staffed_line

    result = simulator.call(CALLER, staff=staff_phones((aino, "accept")), hang_up_while_ringing=True)

    [attempt] = stored.attempts(result.call_sid)
    assert attempt.result == DialAttemptResult.CANCELED
    assert stored.call(result.call_sid).outcome == CallOutcome.NO_MESSAGE
    [callback] = stored.callbacks()
    assert callback.caller == CALLER and not callback.has_message
    assert queued_jobs() == [f"callback-{callback.id}-process"]


def test_a_withheld_caller_in_office_hours_is_still_answered_live(simulator, staffed_line, staff_phones, stored):
    aino, _ = staffed_line

    result = simulator.call(None, staff=staff_phones((aino, "accept")))

    assert result.answered_by == aino.phone
    call = stored.call(result.call_sid)
    assert call.caller is None and call.caller_withheld and call.outcome == CallOutcome.ANSWERED


def test_a_staff_member_who_is_calling_the_line_is_not_rung_for_their_own_call(
        simulator, staffed_line, staff_phones):
    aino, bertil = staffed_line

    result = simulator.call(aino.phone, staff=staff_phones((bertil, "accept")))

    assert result.rang == [bertil.phone]
