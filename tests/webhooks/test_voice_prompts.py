"""What callers hear: opening times spoken the way people say them, in voices Twilio offers."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from twiml_schema import assert_valid_twiml

from helpline.telephony import prompts, twiml

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY_EVENING = datetime(2027, 1, 11, 18, 0, tzinfo=HELSINKI)


def _at(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).replace(tzinfo=HELSINKI)


@pytest.mark.parametrize(("language", "opens", "spoken"), [
    ("fi", "2027-01-11 19:00", "tänään kello 19"),
    ("fi", "2027-01-12 09:00", "huomenna kello 9"),
    ("fi", "2027-01-14 09:30", "torstaina kello 9.30"),
    ("fi", "2027-01-25 09:00", "maanantaina 25. tammikuuta kello 9"),
    ("sv", "2027-01-12 09:00", "i morgon klockan 9"),
    ("sv", "2027-01-15 12:15", "på fredag klockan 12.15"),
    ("sv", "2027-02-01 09:00", "måndag den 1 februari klockan 9"),
    ("en", "2027-01-11 19:00", "today at 7 p.m."),
    ("en", "2027-01-12 09:00", "tomorrow at 9 a.m."),
    ("en", "2027-01-16 12:00", "on Saturday at 12 p.m."),
    ("en", "2027-01-20 08:45", "on Wednesday 20 January at 8:45 a.m."),
])
def test_the_caller_hears_the_next_opening_as_people_say_it(language, opens, spoken):
    assert prompts.for_language(language).when(_at(opens), MONDAY_EVENING) == spoken


def test_the_next_opening_is_spoken_in_the_line_s_time_zone_even_from_a_utc_now():
    utc_now = MONDAY_EVENING.astimezone(ZoneInfo("UTC")).replace(hour=23)  # 01:00 Tuesday in Helsinki
    assert prompts.FINNISH.when(_at("2027-01-12 09:00"), utc_now) == "tänään kello 9"


@pytest.mark.parametrize("language", prompts.SUPPORTED_LANGUAGES)
def test_every_language_speaks_with_a_voice_twilio_accepts(language):
    said = prompts.for_language(language)
    document = twiml.greeting(said)
    urls = twiml.RecordUrls(action="https://example.org/voice/recorded",
                            status_callback="https://example.org/voice/recording-status")
    twiml.take_message(document, said, [said.closed], urls=urls, max_length=120, line_open=False)

    assert_valid_twiml(str(document))
    assert said.voice.endswith("-Neural") and said.language.startswith(f"{language}-")


def test_the_language_menu_offers_each_other_language_by_its_own_digit():
    assert prompts.language_for_digit("2", ("sv", "en")) == "sv"
    assert prompts.language_for_digit("3", ("sv", "en")) == "en"
    assert prompts.language_for_digit("3", ("sv",)) is None
    assert prompts.language_for_digit("*", ("sv", "en")) is None
    assert prompts.language_for_digit(None, ("sv", "en")) is None


def test_an_unknown_language_falls_back_to_the_default_prompts():
    assert prompts.for_language("de", "sv") is prompts.SWEDISH
    assert prompts.for_language(None) is prompts.FINNISH


def test_the_static_last_resort_apology_is_valid_twiml():
    assert_valid_twiml(twiml.STATIC_APOLOGY)


@pytest.mark.parametrize(("language", "note"), [
    ("sv", "Soittaja valitsi kieleksi ruotsin."),
    ("fi", None),  # the staff member's own language: nothing to say
    ("de", None),  # a code we cannot name in Finnish
    ("\x08", None),  # it comes back in a URL: never a control character in the TwiML
])
def test_the_staff_member_hears_the_callers_language_only_when_it_is_one_we_can_name(language, note):
    document = str(twiml.screen(prompts.FINNISH, caller_language=language,
                                           action="https://example.org/voice/screen-choice"))
    assert_valid_twiml(document)
    assert ("kieleksi" in document) == (note is not None)
    if note:
        assert note in document
