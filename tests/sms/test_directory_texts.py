"""The map's SMS: a referred caller's service details, the wrap-up question and its replies;
each in Finnish, Swedish and English, in GSM-7 and short."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from helpline.sms import directory_texts as texts
from helpline.sms.directory_texts import ServiceCard
from helpline.sms.gsm7 import measure

HELSINKI = ZoneInfo("Europe/Helsinki")
AT = datetime(2027, 1, 11, 10, 5, tzinfo=HELSINKI)
CARD = ServiceCard("Kirkon perheneuvonta", "+358401234567", "https://evl.fi/perheneuvonta/", "ma-pe 9-15")


def test_a_referred_caller_gets_the_service_s_name_phone_web_address_and_hours():
    assert texts.referral_to_caller(CARD, "fi") == (
        "Palvelu, josta puhuimme: Kirkon perheneuvonta. Puh. 040 1234567. evl.fi/perheneuvonta. Avoinna ma-pe 9-15.")
    assert texts.referral_to_caller(ServiceCard("Crisis line", "+358925250111", None, "24/7"), "en") == (
        "The service we talked about: Crisis line. Phone 09 25250111. Open 24 hours, every day.")
    assert texts.referral_to_caller(ServiceCard("Ångestlinjen", None, "angest.fi", ""), "sv") == (
        "Tjänsten vi talade om: Ångestlinjen. angest.fi")


def test_the_wrap_up_question_says_which_call_and_how_to_answer():
    assert texts.wrap_up_question(AT, HELSINKI, "fi", conversation_seconds=250) == (
        "Puhelu ma 11.1. klo 10.05 (4 min): miten se päättyi? Vastaa KIRJAA HOIDETTU [aihe] tai "
        "KIRJAA OHJATTU <koodi> [aihe].")
    assert texts.wrap_up_question(AT, HELSINKI, "en").startswith("Your call Mon 11 Jan 10:05: how did it end?")


def test_the_reply_to_wrap_names_the_call_the_outcome_the_service_and_what_is_left():
    assert texts.wrapped_up(AT, HELSINKI, "referred", "fi", service="Kirkon perheneuvonta", topic="yksinäisyys",
                            still_open=1) == ("Kirjattu: puhelu ma 11.1. klo 10.05 ohjattu eteenpäin palveluun Kirkon "
                                              "perheneuvonta, aihe: yksinäisyys. Kiitos! Kirjaamatta vielä 1.")
    assert texts.wrapped_up(AT, HELSINKI, "resolved", "sv") == "Noterat: samtalet mån 11.1. kl. 10.05 löst. Tack!"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_text_is_gsm7_and_fits_one_or_two_segments(language):
    long_card = ServiceCard("Kirkon perheasiain neuvottelukeskus, Espoon seurakuntayhtymä", "+358401234567",
                            "https://www.espoonseurakunnat.fi/perheneuvonta/ajanvaraus", "ma-to 9-12 ja 13-16, pe 9-12")
    for text in (texts.referral_to_caller(long_card, language), texts.referral_to_caller(CARD, language),
                 texts.wrap_up_question(AT, HELSINKI, language, conversation_seconds=3600),
                 texts.wrapped_up(AT, HELSINKI, "referred", language, service=long_card.name, topic="x" * 80,
                                  still_open=3),
                 texts.closed_referred(12, long_card.name, True, language),
                 texts.closed_referred(12, CARD.name, False, language),
                 texts.unknown_service(12, "KRIISII", language),
                 texts.ambiguous_service(12, "kirkon", ["KERHO", "PERHE"], language),
                 texts.missing_service(None, language), texts.nothing_to_wrap_up(language),
                 texts.wrap_up_usage(language), texts.help_more(language)):
        size = measure(text)
        assert size.encoding == "GSM-7", text
        assert size.segments <= 2, text


def test_a_typographic_name_does_not_turn_the_sms_into_ucs2():
    text = texts.referral_to_caller(ServiceCard("“Toivo” – apu", None, None, ""), "fi")
    assert measure(text).encoding == "GSM-7" and '"Toivo" - apu' in text
