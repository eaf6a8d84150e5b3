"""Phone numbers as people type them, as Twilio sends them, and as staff read them in an SMS."""
from __future__ import annotations

import re

import pytest

from helpline.phones import InvalidPhoneNumber, caller_id, is_mobile, normalise, readable


@pytest.mark.parametrize(("typed", "e164"), [
    ("040 123 4567", "+358401234567"),
    ("0401234567", "+358401234567"),
    ("040-123 4567", "+358401234567"),
    ("+358 40 123 4567", "+358401234567"),
    ("+358401234567", "+358401234567"),
    ("00358 40 123 4567", "+358401234567"),  # the international prefix dialled from Finland
    ("09 123 4567", "+35891234567"),  # a Helsinki landline
    ("(09) 123 4567", "+35891234567"),
    ("  050 765 4321\\n".replace("\\n", "\n"), "+358507654321"),
    ("+46 70 123 45 67", "+46701234567"),  # a Swedish mobile keeps its own country code
])
def test_a_supervisor_may_type_a_finnish_number_in_its_national_form(typed, e164):
    assert normalise(typed) == e164


@pytest.mark.parametrize(("typed", "problem"), [
    ("", "a phone number is required"),
    ("   ", "a phone number is required"),
    ("abc", "'abc' is not a phone number"),
    ("call me", "is not a phone number"),
    ("040", "'040' is not a valid phone number: it is too short"),
    ("12", "'12' is not a valid phone number: it is too short"),
    ("+358", "'+358' is not a valid phone number: it is too short"),
    ("040 123 4567 8901 234", "is not a valid phone number: it is too long"),
])
def test_junk_and_too_short_numbers_are_refused_with_a_readable_reason(typed, problem):
    with pytest.raises(InvalidPhoneNumber, match=re.escape(problem)) as error:
        normalise(typed)
    if typed.strip():
        assert "040 123 4567" in str(error.value)  # and says how to write one


def test_an_invalid_phone_number_is_a_value_error_for_callers_that_catch_those():
    with pytest.raises(ValueError):
        normalise("not a number")


@pytest.mark.parametrize("from_value", [
    "anonymous", "Anonymous", "+266696687", "", "   ", None, "Restricted", "RESTRICTED", "unknown",
    "Unavailable", "private", "+7378742833", "+2562533", "+86282452253", "client:alice", "sip:x@example.org",
])
def test_a_withheld_caller_id_gives_no_number(from_value):
    assert caller_id(from_value) is None


@pytest.mark.parametrize(("from_value", "e164"), [
    ("+358401234567", "+358401234567"),
    (" +358 40 123 4567 ", "+358401234567"),
    ("+46701234567", "+46701234567"),
    # A number of the right length that the numbering-plan metadata does not know is kept: the
    # caller's callback must not be lost to stale metadata.
    ("+15550000000", "+15550000000"),
])
def test_a_callers_number_from_twilio_is_kept_in_e164(from_value, e164):
    assert caller_id(from_value) == e164


def test_a_number_unknown_to_the_numbering_plan_is_still_refused_when_a_supervisor_types_it():
    with pytest.raises(InvalidPhoneNumber, match="no such number is in use"):
        normalise("+15550000000")


@pytest.mark.parametrize(("e164", "shown"), [
    ("+358401234567", "040 1234567"),
    ("+35891234567", "09 1234567"),
    ("+46701234567", "+46 70 123 45 67"),
    ("+12025550100", "+1 202-555-0100"),
    ("not a number", "not a number"),  # shown as it is rather than failing an SMS
])
def test_staff_read_numbers_in_the_form_they_would_dial(e164, shown):
    assert readable(e164) == shown


@pytest.mark.parametrize(("e164", "mobile"), [
    ("+358401234567", True), ("+358507654321", True), ("+35891234567", False), ("+46701234567", True),
    ("garbage", False),
])
def test_only_mobile_numbers_are_texted(e164, mobile):
    assert is_mobile(e164) is mobile


@pytest.mark.parametrize("visitor", ["chat:abcdefghijklmno", "chat:flowersflowers", "CHAT:aaaaaaaaaaaaaaa"])
def test_a_web_chat_visitor_without_a_number_is_never_a_number_anyone_can_text(visitor):
    from helpline.phones import caller_id, is_chat_visitor, is_mobile

    assert is_chat_visitor(visitor)
    assert caller_id(visitor) is None and not is_mobile(visitor)


def test_a_web_chat_visitor_reads_as_chat_in_staff_sms():
    from helpline.phones import readable

    assert readable("chat:abcdefghijklmno") == "chat"
