"""The SMS of conversations by text (helpline.sms.conversation_texts): pure, in three languages,
GSM-7 whenever the caller's own words allow, and never longer than they may be."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpline.callbacks.conversation_rules import FORWARD_MAX_SEGMENTS
from helpline.sms import conversation_texts as texts
from helpline.sms.gsm7 import is_gsm7, measure

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2027, 1, 11, 10, 5, tzinfo=HELSINKI)  # a Monday
LANGUAGES = ("fi", "sv", "en")


def facts(*words: str, channel: str = "sms") -> texts.ConversationFacts:
    return texts.ConversationFacts(12, "+358401234567", channel,
                                   tuple(texts.Said(NOW + timedelta(seconds=20 * n), text) for n, text in enumerate(words)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_to_staff_and_caller_is_gsm7_and_short(language):
    bodies = [
        texts.conversation_assignment(facts("Hei, onko joku paikalla?"), HELSINKI, language),
        texts.conversation_assignment(facts("Hei"), HELSINKI, language, previous="Aino"),
        texts.forwarded(facts("Oletko siellä?", "Tarvitsen apua"), HELSINKI, language),
        texts.caller_stopped(12, "+358401234567", language),
        texts.reply_empty(12, language), texts.reply_too_long(12, 4, language), texts.reply_opted_out(12, language),
        texts.reply_no_sms(12, language), texts.help_reply(language),
        texts.closed_answer(datetime(2027, 1, 12, 9, tzinfo=HELSINKI), NOW, HELSINKI, language),
        texts.closed_answer(None, NOW, HELSINKI, language),
    ]
    for body in bodies:
        assert is_gsm7(body), body
        assert measure(body).segments <= 2, body


def test_the_assignment_names_the_reference_the_number_when_and_the_words():
    assert texts.conversation_assignment(facts("Hei, onko joku paikalla?"), HELSINKI, "en") == (
        'Text #12: 040 1234567 (+358401234567) wrote Mon 11 Jan 10:05: "Hei, onko joku paikalla?" '
        "Reply: REPLY 12 <text> / DONE 12 / PASS 12")


def test_a_bundle_of_texts_shows_each_with_its_time():
    assert texts.forwarded(facts("Oletko siellä?", 'Sanoin "apua"'), HELSINKI, "sv") == (
        '#12 040 1234567 skrev: kl. 10.05 "Oletko siellä?" / kl. 10.05 "Sanoin \'apua\'" Svara: SVARA 12 <text>')


@pytest.mark.parametrize("words", ["sana " * 400, "😢" * 300, "ä" * 2000])
@pytest.mark.parametrize("language", LANGUAGES)
def test_long_words_are_cut_to_fit_and_the_sms_says_how_much_more_is_on_the_page(words, language):
    for body in (texts.conversation_assignment(facts(words), HELSINKI, language),
                 texts.forwarded(facts(words), HELSINKI, language)):
        assert measure(body).segments <= FORWARD_MAX_SEGMENTS
        assert '..."' in body and ("+" in body) and body.rstrip().endswith(("<teksti>", "<text>", "OHITA 12",
                                                                          "PASSA 12", "PASS 12"))


def test_an_emoji_keeps_the_callers_words_but_makes_the_sms_ucs2():
    body = texts.forwarded(facts("Kiitos 🙏"), HELSINKI, "fi")
    assert "Kiitos 🙏" in body and measure(body).encoding == "UCS-2"


@pytest.mark.parametrize(("opens", "fi", "sv", "en"), [
    ("2027-01-11 17:00", "tänään klo 17.00", "i dag kl. 17.00", "today at 17:00"),
    ("2027-01-12 09:00", "huomenna klo 9.00", "i morgon kl. 9.00", "tomorrow at 9:00"),
    ("2027-01-15 09:00", "perjantaina klo 9.00", "på fredag kl. 9.00", "on Friday at 9:00"),
    ("2027-01-25 09:30", "ma 25.1. klo 9.30", "mån 25.1. kl. 9.30", "on Mon 25 Jan at 9:30"),
])
def test_the_automatic_answer_says_when_the_line_opens(opens, fi, sv, en):
    moment = datetime.fromisoformat(opens).replace(tzinfo=HELSINKI)
    assert [texts.opening_words(moment, NOW, HELSINKI, language) for language in LANGUAGES] == [fi, sv, en]


def test_the_automatic_answer_says_closed_when_it_opens_and_112():
    assert texts.closed_answer(datetime(2027, 1, 12, 9, tzinfo=HELSINKI), NOW, HELSINKI, "fi") == (
        "Kiitos viestistäsi. Linja on nyt kiinni. Päivystäjä vastaa sinulle, kun olemme taas avoinna huomenna "
        "klo 9.00. Hätätilanteessa soita 112.")
